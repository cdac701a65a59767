package io.keshikaran.converter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A small, strict reader for JavaScript <em>literal</em> values, producing Jackson trees.
 *
 * <p>Minified bundles such as nsfwjs's {@code model.min.js} hold the model JSON as a JavaScript object literal,
 * which JSON parsers reject: keys are unquoted identifiers, {@code true}/{@code false} are minified to
 * {@code !0}/{@code !1}, numbers look like {@code .5} or {@code -.25}. This reader accepts exactly the subset of
 * JavaScript that denotes a constant value:
 * <ul>
 *   <li>objects with identifier, string or non-negative integer keys, and arrays (one trailing comma allowed,
 *       as in JavaScript; no holes);</li>
 *   <li>strings in single or double quotes with the escapes {@code \n \r \t \b \f \v \0 \' \" \\ \/ \xHH},
 *       backslash-u escapes (four hex digits, or a code point in braces) and line continuations;</li>
 *   <li>decimal numbers ({@code 1}, {@code .5}, {@code 1.}, {@code 1e-3}) and hexadecimal integers, with an
 *       optional leading {@code -};</li>
 *   <li>{@code true}, {@code false}, {@code !0}, {@code !1} and {@code null}.</li>
 * </ul>
 * Anything else (expressions, comments, {@code undefined}, {@code NaN}, duplicate keys) is an error that reports
 * the line, column and surrounding text.
 *
 * <p>Numbers are read as JavaScript reads them: as IEEE doubles, correctly rounded ({@link Double#parseDouble}
 * rounds exactly as ECMAScript requires). Integral values written without fraction or exponent that fit a
 * {@code long} become integer nodes so that shapes and sizes read naturally; all others become double nodes, so
 * quantization parameters keep every bit of the value tfjs would use.
 */
public final class JsLiteralReader {

    /** A parsed value and the offset just after it. */
    public record Result(JsonNode value, int end) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Deeper nesting than this is certainly not a model file; the limit keeps recursion bounded. */
    private static final int MAX_DEPTH = 512;

    private final String text;
    private final String sourceName;
    private int pos;
    private int depth;

    private JsLiteralReader(String text, int start, String sourceName) {
        this.text = text;
        this.pos = start;
        this.sourceName = sourceName;
    }

    /**
     * Parses text that must consist of exactly one literal, optionally surrounded by whitespace.
     *
     * @param text the JavaScript source
     * @param sourceName a name for error messages, such as a file name
     * @return the value as a Jackson tree
     * @throws ModelFormatException if the text is not a single supported literal
     */
    public static JsonNode parse(String text, String sourceName) {
        JsLiteralReader reader = new JsLiteralReader(text, 0, sourceName);
        JsonNode value = reader.readValue();
        reader.skipWhitespace();
        if (reader.pos != text.length()) {
            throw reader.error("Unexpected text after the literal");
        }
        return value;
    }

    /**
     * Parses one literal that starts at {@code start} (after optional whitespace) and returns where it ended;
     * the text after it is not examined.
     *
     * @param text the JavaScript source
     * @param start the offset to start at
     * @param sourceName a name for error messages
     * @return the value and the offset just after it
     * @throws ModelFormatException if no supported literal starts there
     */
    public static Result parsePrefix(String text, int start, String sourceName) {
        JsLiteralReader reader = new JsLiteralReader(text, start, sourceName);
        JsonNode value = reader.readValue();
        return new Result(value, reader.pos);
    }

    private JsonNode readValue() {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("Unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
            case '\'':
                return NODES.textNode(readString());
            case '!':
                // Minifiers write true as !0 and false as !1; nothing else after '!' is a constant we accept.
                if (text.startsWith("!0", pos) && !isDigitAt(pos + 2)) {
                    pos += 2;
                    return NODES.booleanNode(true);
                }
                if (text.startsWith("!1", pos) && !isDigitAt(pos + 2)) {
                    pos += 2;
                    return NODES.booleanNode(false);
                }
                throw error("Only !0 (true) and !1 (false) are accepted after '!'");
            case '-':
            case '.':
                return readNumber();
            default:
                if (c >= '0' && c <= '9') {
                    return readNumber();
                }
                if (isIdentifierStart(c)) {
                    int start = pos;
                    String word = readIdentifier();
                    switch (word) {
                        case "true":
                            return NODES.booleanNode(true);
                        case "false":
                            return NODES.booleanNode(false);
                        case "null":
                            return NODES.nullNode();
                        default:
                            pos = start;
                            throw error("Unsupported identifier '" + word + "' where a value was expected");
                    }
                }
                throw error("Unexpected character " + describe(c) + " where a value was expected");
        }
    }

    private ObjectNode readObject() {
        enter();
        pos++; // '{'
        ObjectNode object = NODES.objectNode();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (peek() == '}') { // trailing comma, as JavaScript allows
                pos++;
                break;
            }
            int keyStart = pos;
            String key = readKey();
            skipWhitespace();
            expect(':');
            JsonNode value = readValue();
            if (object.has(key)) {
                pos = keyStart;
                // JavaScript would keep the last value silently; a model file with duplicate keys is suspect.
                throw error("Duplicate key '" + key + "'");
            }
            object.set(key, value);
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                break;
            } else {
                throw error("Expected ',' or '}' in object");
            }
        }
        depth--;
        return object;
    }

    private String readKey() {
        char c = peek();
        if (c == '"' || c == '\'') {
            return readString();
        }
        if (isIdentifierStart(c)) {
            return readIdentifier();
        }
        if (c >= '0' && c <= '9') {
            int start = pos;
            while (isDigitAt(pos)) {
                pos++;
            }
            String digits = text.substring(start, pos);
            if (digits.length() > 1 && digits.charAt(0) == '0') {
                pos = start;
                throw error("Numeric key with a leading zero");
            }
            if (pos < text.length() && (isIdentifierPart(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos = start;
                throw error("Only non-negative integer numeric keys are supported");
            }
            return digits;
        }
        throw error("Expected an object key, found " + describe(c));
    }

    private ArrayNode readArray() {
        enter();
        pos++; // '['
        ArrayNode array = NODES.arrayNode();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return array;
        }
        while (true) {
            skipWhitespace();
            char c = peek();
            if (c == ']' && !array.isEmpty()) { // trailing comma
                pos++;
                break;
            }
            if (c == ',') {
                throw error("Array holes (elisions) are not supported");
            }
            array.add(readValue());
            skipWhitespace();
            c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                break;
            } else {
                throw error("Expected ',' or ']' in array");
            }
        }
        depth--;
        return array;
    }

    private String readString() {
        char quote = text.charAt(pos);
        int start = pos;
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                pos = start;
                throw error("Unterminated string");
            }
            char c = text.charAt(pos);
            if (c == quote) {
                pos++;
                return out.toString();
            }
            if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
                throw error("Line break inside a string literal");
            }
            if (c != '\\') {
                out.append(c);
                pos++;
                continue;
            }
            pos++;
            if (pos >= text.length()) {
                pos = start;
                throw error("Unterminated string");
            }
            char e = text.charAt(pos);
            pos++;
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000B');
                case '\'', '"', '\\', '/' -> out.append(e);
                case '0' -> {
                    if (isDigitAt(pos)) {
                        pos -= 2;
                        throw error("Legacy octal escapes are not supported");
                    }
                    out.append('\0');
                }
                case 'x' -> out.append((char) readHex(2));
                case 'u' -> {
                    if (peek() == '{') {
                        pos++;
                        int cpStart = pos;
                        while (pos < text.length() && text.charAt(pos) != '}') {
                            pos++;
                        }
                        if (pos >= text.length() || pos == cpStart || pos - cpStart > 6) {
                            pos = cpStart;
                            throw error("Malformed \\u{...} escape");
                        }
                        int codePoint;
                        try {
                            codePoint = Integer.parseInt(text.substring(cpStart, pos), 16);
                        } catch (NumberFormatException ex) {
                            pos = cpStart;
                            throw error("Malformed \\u{...} escape");
                        }
                        if (codePoint > 0x10FFFF) {
                            pos = cpStart;
                            throw error("Code point out of range in \\u{...} escape");
                        }
                        pos++; // '}'
                        out.appendCodePoint(codePoint);
                    } else {
                        out.append((char) readHex(4));
                    }
                }
                case '\r' -> { // line continuation: backslash + line terminator contributes nothing
                    if (peek() == '\n') {
                        pos++;
                    }
                }
                case '\n', '\u2028', '\u2029' -> {
                    // line continuation
                }
                default -> {
                    pos -= 2;
                    throw error("Unsupported escape sequence \\" + e);
                }
            }
        }
    }

    private int readHex(int digits) {
        if (pos + digits > text.length()) {
            throw error("Truncated hexadecimal escape");
        }
        int value = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                pos += i;
                throw error("Invalid hexadecimal digit in escape");
            }
            value = value * 16 + d;
        }
        pos += digits;
        return value;
    }

    private JsonNode readNumber() {
        int start = pos;
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            pos++;
        }
        if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
            pos += 2;
            int digitsStart = pos;
            while (pos < text.length() && Character.digit(text.charAt(pos), 16) >= 0) {
                pos++;
            }
            if (pos == digitsStart) {
                throw error("Hexadecimal literal without digits");
            }
            rejectIdentifierAfterNumber(start);
            String digits = text.substring(digitsStart, pos);
            // Hex literals are integers; beyond 2^53 JavaScript loses precision, which a model file never needs.
            if (digits.length() > 13) {
                pos = start;
                throw error("Hexadecimal literal too large");
            }
            long v = Long.parseLong(digits, 16);
            return integerNode(negative ? -v : v, negative && v == 0);
        }
        int intStart = pos;
        while (isDigitAt(pos)) {
            pos++;
        }
        int intDigits = pos - intStart;
        if (intDigits > 1 && text.charAt(intStart) == '0') {
            pos = intStart;
            throw error("Numbers with a leading zero (legacy octal) are not supported");
        }
        boolean integral = true;
        int fracDigits = 0;
        if (peek() == '.') {
            integral = false;
            pos++;
            int fracStart = pos;
            while (isDigitAt(pos)) {
                pos++;
            }
            fracDigits = pos - fracStart;
        }
        if (intDigits == 0 && fracDigits == 0) {
            pos = start;
            throw error("Malformed number");
        }
        char c = peek();
        if (c == 'e' || c == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            int expStart = pos;
            while (isDigitAt(pos)) {
                pos++;
            }
            if (pos == expStart) {
                throw error("Malformed exponent");
            }
        }
        rejectIdentifierAfterNumber(start);
        String literal = text.substring(start, pos);
        if (integral && intDigits <= 18) {
            long v = Long.parseLong(literal);
            return integerNode(v, negative && v == 0);
        }
        // Java's grammar for doubles accepts every decimal form above ("1.", ".5", "1e-3"), rounding exactly
        // like ECMAScript's ToNumber.
        double d = Double.parseDouble(literal);
        if (Double.isInfinite(d)) {
            pos = start;
            throw error("Number out of double range");
        }
        return NODES.numberNode(d);
    }

    private JsonNode integerNode(long value, boolean negativeZero) {
        if (negativeZero) {
            // "-0" is the double -0.0 in JavaScript; keep the sign so arithmetic matches tfjs exactly.
            return NODES.numberNode(-0.0);
        }
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            return NODES.numberNode((int) value);
        }
        return NODES.numberNode(value);
    }

    private void rejectIdentifierAfterNumber(int start) {
        if (pos < text.length() && (isIdentifierPart(text.charAt(pos)) || text.charAt(pos) == '.')) {
            throw error("Unexpected character " + describe(text.charAt(pos)) + " after number '"
                    + text.substring(start, pos) + "'");
        }
    }

    private String readIdentifier() {
        int start = pos;
        pos++;
        while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("Expected '" + c + "', found " + describe(peek()));
        }
        pos++;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("Nesting deeper than " + MAX_DEPTH);
        }
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f' || c == '\u00A0'
                    || c == '\uFEFF') {
                pos++;
            } else {
                return;
            }
        }
    }

    /** @return the current character, or {@code \uFFFF} at the end (never a valid character in a literal) */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\uFFFF';
    }

    private boolean isDigitAt(int i) {
        return i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9';
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }

    private static String describe(char c) {
        if (c == '\uFFFF') {
            return "end of input";
        }
        if (c < 0x20 || c > 0x7E) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private ModelFormatException error(String message) {
        int at = Math.min(pos, text.length());
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = at - lineStart + 1;
        int from = Math.max(lineStart, at - 30);
        int to = Math.min(text.length(), at + 30);
        String before = text.substring(from, at).replaceAll("[\\r\\n]", " ");
        String after = text.substring(at, to).replaceAll("[\\r\\n]", " ");
        return new ModelFormatException(String.format("%s at line %d, column %d of %s (near \"%s>>>%s\")",
                message, line, column, sourceName, before, after));
    }
}
