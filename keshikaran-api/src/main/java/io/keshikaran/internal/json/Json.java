package io.keshikaran.internal.json;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259) for the few small documents keshikaran reads itself, such as model
 * descriptors; the API module depends on the JDK only, and the JDK has no JSON parser.
 *
 * <p>Values become plain Java objects: an object a {@code Map<String, Object>} in document order, an
 * array a {@code List<Object>}, a string a {@link String}, a number without fraction or exponent a
 * {@link Long} (a {@link BigInteger} beyond the long range), any other number a finite {@link Double},
 * {@code true}/{@code false} a {@link Boolean} and {@code null} Java {@code null}. Maps and lists are
 * unmodifiable.
 *
 * <p>Rejected, with the line and column: anything after the value, trailing commas, comments, single
 * quotes, unquoted keys, duplicate keys, leading zeros, {@code NaN}, numbers beyond the double range,
 * raw control characters in strings, unknown escapes, unpaired UTF-16 surrogates, malformed UTF-8, and
 * nesting deeper than the given depth. Thread-safe (stateless).
 */
public final class Json {
    /** Nesting depth allowed by {@link #parse(String)}: far beyond any descriptor, far below a stack overflow. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private Json() {
    }

    /**
     * Parses a document nested at most {@value #DEFAULT_MAX_DEPTH} deep.
     *
     * @param text the document
     * @return the value, as described in the class comment
     * @throws JsonException if the text is not one strict JSON value
     */
    public static Object parse(String text) throws JsonException {
        return parse(text, DEFAULT_MAX_DEPTH);
    }

    /**
     * Parses a document.
     *
     * @param text     the document
     * @param maxDepth how many objects and arrays may nest inside each other, at least 1
     * @return the value, as described in the class comment
     * @throws JsonException if the text is not one strict JSON value or nests deeper than {@code maxDepth}
     */
    public static Object parse(String text, int maxDepth) throws JsonException {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, got " + maxDepth);
        }
        return new Parser(text, maxDepth).document();
    }

    /**
     * Parses a UTF-8 document; a leading byte order mark is skipped.
     *
     * @param utf8     the document's bytes
     * @param maxDepth how many objects and arrays may nest inside each other, at least 1
     * @return the value, as described in the class comment
     * @throws JsonException if the bytes are not valid UTF-8 or not one strict JSON value
     */
    public static Object parse(byte[] utf8, int maxDepth) throws JsonException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        String text = out.flip().toString();
        if (result.isError()) {
            throw Parser.error(text, text.length(), "not valid UTF-8 (byte " + in.position() + ")");
        }
        return parse(text.startsWith("\uFEFF") ? text.substring(1) : text, maxDepth);
    }

    /** A recursive-descent parser over one document; recursion is bounded by {@code maxDepth}. */
    private static final class Parser {
        private final String s;
        private final int maxDepth;
        private int pos;
        private int depth;

        Parser(String s, int maxDepth) {
            this.s = s;
            this.maxDepth = maxDepth;
        }

        Object document() throws JsonException {
            skipWhitespace();
            if (pos == s.length()) {
                throw error("empty document, expected a JSON value");
            }
            Object value = value();
            skipWhitespace();
            if (pos < s.length()) {
                throw error("unexpected " + describe(s.charAt(pos)) + " after the JSON value");
            }
            return value;
        }

        private Object value() throws JsonException {
            if (pos >= s.length()) {
                throw error("unexpected end of input, expected a value");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || isDigit(c)) {
                        return number();
                    }
                    throw error("unexpected " + describe(c) + ", expected a value");
            }
        }

        private Map<String, Object> object() throws JsonException {
            enter();
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                depth--;
                return Collections.unmodifiableMap(map);
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error(unexpected() + ", expected a string key");
                }
                int keyStart = pos;
                String key = string();
                if (map.containsKey(key)) {
                    throw error(keyStart, "duplicate key \"" + key + "\"");
                }
                skipWhitespace();
                if (peek() != ':') {
                    throw error(unexpected() + ", expected ':'");
                }
                pos++;
                skipWhitespace();
                map.put(key, value());
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == '}') {
                    depth--;
                    return Collections.unmodifiableMap(map);
                }
                if (c != ',') {
                    pos--;
                    throw error(unexpected() + ", expected ',' or '}'");
                }
            }
        }

        private List<Object> array() throws JsonException {
            enter();
            pos++;
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                depth--;
                return Collections.unmodifiableList(list);
            }
            while (true) {
                skipWhitespace();
                list.add(value());
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == ']') {
                    depth--;
                    return Collections.unmodifiableList(list);
                }
                if (c != ',') {
                    pos--;
                    throw error(unexpected() + ", expected ',' or ']'");
                }
            }
        }

        private void enter() throws JsonException {
            if (++depth > maxDepth) {
                throw error("nesting deeper than " + maxDepth + " levels");
            }
        }

        private String string() throws JsonException {
            int start = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error(start, "unterminated string");
                }
                int at = pos;
                if (s.charAt(pos) == '"') {
                    pos++;
                    return sb.toString();
                }
                char c = stringChar();
                if (Character.isLowSurrogate(c)) {
                    throw error(at, "unpaired UTF-16 surrogate " + describe(c));
                }
                sb.append(c);
                if (Character.isHighSurrogate(c)) {
                    // RFC 8259 writes a non-BMP character as two escapes; raw pairs are accepted as well.
                    char low = pos < s.length() && s.charAt(pos) != '"' ? stringChar() : 0;
                    if (!Character.isLowSurrogate(low)) {
                        throw error(at, "unpaired UTF-16 surrogate " + describe(c));
                    }
                    sb.append(low);
                }
            }
        }

        /** One char of a string, raw or escaped; there is one at {@code pos} and it is not the closing quote. */
        private char stringChar() throws JsonException {
            int at = pos;
            char c = s.charAt(pos++);
            if (c == '\\') {
                return escape();
            }
            if (c < 0x20) {
                throw error(at, "raw control character " + describe(c) + " in a string (escape it)");
            }
            return c;
        }

        /** Reads the escape after a backslash (already consumed). */
        private char escape() throws JsonException {
            if (pos >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            switch (c) {
                case '"':
                case '\\':
                case '/':
                    return c;
                case 'b':
                    return '\b';
                case 'f':
                    return '\f';
                case 'n':
                    return '\n';
                case 'r':
                    return '\r';
                case 't':
                    return '\t';
                case 'u':
                    int value = 0;
                    for (int i = 0; i < 4; i++) {
                        if (pos >= s.length() || !isAsciiHex(s.charAt(pos))) {
                            throw error("invalid \\u escape: expected 4 hex digits");
                        }
                        value = value * 16 + Character.digit(s.charAt(pos), 16);
                        pos++;
                    }
                    return (char) value;
                default:
                    throw error(pos - 1, "invalid escape \\" + (c >= 0x20 && c < 0x7f ? String.valueOf(c) : describe(c)));
            }
        }

        private Object number() throws JsonException {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error(unexpected() + ", expected a digit");
            }
            if (s.charAt(pos) == '0' && pos + 1 < s.length() && isDigit(s.charAt(pos + 1))) {
                throw error(start, "numbers must not have leading zeros");
            }
            boolean integral = true;
            digits();
            if (peek() == '.') {
                pos++;
                requireDigit();
                integral = false;
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                requireDigit();
                integral = false;
            }
            String literal = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException e) {
                    return new BigInteger(literal);
                }
            }
            double d = Double.parseDouble(literal);
            if (Double.isInfinite(d)) {
                throw error(start, "number " + literal + " is beyond the range of a double");
            }
            return d;
        }

        private void requireDigit() throws JsonException {
            if (!isDigit(peek())) {
                throw error(unexpected() + ", expected a digit");
            }
            digits();
        }

        private void digits() {
            while (isDigit(peek())) {
                pos++;
            }
        }

        private void literal(String word) throws JsonException {
            if (!s.startsWith(word, pos)) {
                throw error("invalid literal, expected a value such as " + word);
            }
            pos += word.length();
        }

        private void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        /** The current char, or 0 at the end (0 is never valid where this is used). */
        private char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        private String unexpected() {
            return pos < s.length() ? "unexpected " + describe(s.charAt(pos)) : "unexpected end of input";
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isAsciiHex(char c) {
            return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }

        private static String describe(char c) {
            return c > 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
        }

        private JsonException error(String reason) {
            return error(pos, reason);
        }

        private JsonException error(int at, String reason) {
            return error(s, at, reason);
        }

        /** The error at char {@code at} of {@code text}; CR, LF and CRLF each end a line. */
        static JsonException error(String text, int at, String reason) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < at && i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                    line++;
                    column = 1;
                } else if (c != '\r') {
                    column++;
                }
            }
            return new JsonException(reason, line, column);
        }
    }
}
