package io.keshikaran.converter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the exported constant from a single-module browserify/UMD bundle such as nsfwjs's
 * {@code model.min.js} and {@code group1-shard1of1.min.js}.
 *
 * <p>Those files look like {@code !function(e){...UMD header...}(function(){return function e(a,n,i){...}
 * ({1:[function(e,a,n){a.exports=VALUE},{}]},{},[1])(1)});}: browserify's module 1 assigns one literal to its
 * {@code module.exports}. The parameter names change from file to file (the minifier picks them), so the module
 * function is located structurally: <code>{1:[function(p1,p2,p3){p2.exports=</code>. Nothing is evaluated; the value
 * is read with {@link JsLiteralReader}, and the bundle must contain exactly one such module whose body is exactly
 * that one assignment.
 */
public final class BrowserifyBundle {

    private static final String IDENT = "[A-Za-z_$][A-Za-z0-9_$]*";
    private static final Pattern MODULE_ONE = Pattern.compile(
            "\\{1:\\[function\\((" + IDENT + "),(" + IDENT + "),(" + IDENT + ")\\)\\{");

    private BrowserifyBundle() {
    }

    /**
     * Returns the literal assigned to {@code module.exports} by module 1 of the bundle.
     *
     * @param js the bundle's source
     * @param sourceName a name for error messages
     * @return the exported value
     * @throws ModelFormatException if the file is not such a bundle or the value is not a supported literal
     */
    public static JsonNode moduleExports(String js, String sourceName) {
        Matcher m = MODULE_ONE.matcher(js);
        if (!m.find()) {
            throw new ModelFormatException(sourceName + " is not a browserify bundle: no '{1:[function(a,b,c){' found");
        }
        int bodyStart = m.end();
        String moduleParam = m.group(2);
        if (m.find()) {
            throw new ModelFormatException(sourceName + " contains more than one browserify module 1; refusing to guess");
        }
        String assignment = moduleParam + ".exports=";
        if (!js.startsWith(assignment, bodyStart)) {
            throw new ModelFormatException(sourceName + ": module 1 does not start with '" + assignment
                    + "' but with '" + js.substring(bodyStart, Math.min(js.length(), bodyStart + 40)) + "'");
        }
        JsLiteralReader.Result result = JsLiteralReader.parsePrefix(js, bodyStart + assignment.length(), sourceName);
        int end = result.end();
        if (end < js.length() && js.charAt(end) == ';') {
            end++;
        }
        if (end >= js.length() || js.charAt(end) != '}') {
            throw new ModelFormatException(sourceName + ": module 1 contains more than the exported literal (at offset "
                    + end + ": '" + js.substring(end, Math.min(js.length(), end + 40)) + "')");
        }
        return result.value();
    }
}
