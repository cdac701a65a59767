package io.keshikaran.internal.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonTest {

    @Test
    void readsEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"s\": \"x\", \"i\": -12, \"d\": 2.5e-1, \"t\": true, \"f\": false, \"n\": null,"
                + " \"a\": [1, [], {}], \"o\": {\"k\": []}}\r\n");
        assertThat(v).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(m.keySet().toArray()).containsExactly("s", "i", "d", "t", "f", "n", "a", "o");
        assertThat(m.get("s")).isEqualTo("x");
        assertThat(m.get("i")).isEqualTo(-12L);
        assertThat(m.get("d")).isEqualTo(0.25);
        assertThat(m.get("t")).isEqualTo(true);
        assertThat(m.get("f")).isEqualTo(false);
        assertThat(m.containsKey("n")).isTrue();
        assertThat(m.get("n")).isNull();
        assertThat(m.get("a")).isEqualTo(List.of(1L, List.of(), Map.of()));
        assertThat(m.get("o")).isEqualTo(Map.of("k", List.of()));
    }

    @Test
    void readsScalarDocumentsAndNullInArrays() throws Exception {
        assertThat(Json.parse("\"only\"")).isEqualTo("only");
        assertThat(Json.parse("0")).isEqualTo(0L);
        assertThat(Json.parse("-0.0")).isEqualTo(-0.0);
        assertThat(Json.parse("null")).isNull();
        assertThat(((List<?>) Json.parse("[null, 1]")).toArray()).containsExactly(null, 1L);
    }

    @Test
    void numbersKeepIntegersApartFromDecimals() throws Exception {
        assertThat(Json.parse("224")).isEqualTo(224L);
        assertThat(Json.parse("224.0")).isEqualTo(224.0);
        assertThat(Json.parse("1E2")).isEqualTo(100.0);
        assertThat(Json.parse("1e+2")).isEqualTo(100.0);
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775809")).isEqualTo(new BigInteger("-9223372036854775809"));
        assertThat(Json.parse("1e-400")).isEqualTo(0.0);
    }

    @Test
    void decodesEscapesAndSurrogatePairs() throws Exception {
        assertThat(Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"")).isEqualTo("\" \\ / \b \f \n \r \t");
        assertThat(Json.parse("\"\\u0041\\u00e9\\u00E9\\u20AC\"")).isEqualTo("Aéé€");
        // U+1F600 as an escaped pair, raw, and mixed.
        assertThat(Json.parse("\"\\uD83D\\uDE00\"")).isEqualTo("\uD83D\uDE00");
        assertThat(Json.parse("\"\uD83D\uDE00\"")).isEqualTo("\uD83D\uDE00");
        assertThat(Json.parse("\"\\ud83d\uDE00\"")).isEqualTo("\uD83D\uDE00");
        assertThat(Json.parse("\"\\u0000\"")).isEqualTo("\0");
    }

    @Test
    void resultsAreUnmodifiable() throws Exception {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"a\": [1]}");
        assertThatThrownBy(() -> m.clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) m.get("a")).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                      | empty document, expected a JSON value                  | 1 | 1",
        "`   `                   | empty document, expected a JSON value                  | 1 | 4",
        "{} x                    | unexpected 'x' after the JSON value                    | 1 | 4",
        "{}{}                    | unexpected '{' after the JSON value                    | 1 | 3",
        "`[1,]`                  | unexpected ']', expected a value                       | 1 | 4",
        "`{\"a\": 1,}`           | unexpected '}', expected a string key                  | 1 | 9",
        "{a: 1}                  | unexpected 'a', expected a string key                  | 1 | 2",
        "`{'a': 1}`              | unexpected ''', expected a string key                  | 1 | 2",
        "`{\"a\" 1}`             | unexpected '1', expected ':'                           | 1 | 6",
        "`{\"a\": 1 \"b\": 2}`   | unexpected '\"', expected ',' or '}'                   | 1 | 9",
        "`[1 2]`                 | unexpected '2', expected ',' or ']'                    | 1 | 4",
        "`[1`                    | unexpected end of input, expected ',' or ']'           | 1 | 3",
        "`{\"a\": 1, \"a\": 2}`  | duplicate key \"a\"                                    | 1 | 10",
        "01                      | numbers must not have leading zeros                    | 1 | 1",
        "-                       | unexpected end of input, expected a digit              | 1 | 2",
        "1.                      | unexpected end of input, expected a digit              | 1 | 3",
        ".5                      | unexpected '.', expected a value                       | 1 | 1",
        "1e                      | unexpected end of input, expected a digit              | 1 | 3",
        "+1                      | unexpected '+', expected a value                       | 1 | 1",
        "1e999                   | number 1e999 is beyond the range of a double           | 1 | 1",
        "NaN                     | unexpected 'N', expected a value                       | 1 | 1",
        "tru                     | invalid literal, expected a value such as true         | 1 | 1",
        "nul                     | invalid literal, expected a value such as null         | 1 | 1",
        "`\"abc`                 | unterminated string                                    | 1 | 1",
        "`\"\\x\"`               | invalid escape \\x                                     | 1 | 3",
        "`\"\\u12G4\"`           | invalid \\u escape: expected 4 hex digits              | 1 | 6",
        "`\"\\u12\"`             | invalid \\u escape: expected 4 hex digits              | 1 | 6",
        "`\"\\uD83D\"`           | unpaired UTF-16 surrogate U+D83D                       | 1 | 2",
        "`\"\\uD83Dx\"`          | unpaired UTF-16 surrogate U+D83D                       | 1 | 2",
        "`\"\\uDE00\"`           | unpaired UTF-16 surrogate U+DE00                       | 1 | 2",
        "`\"\\uD83D\\u0041\"`    | unpaired UTF-16 surrogate U+D83D                       | 1 | 2",
        "`// c\n{}`              | unexpected '/', expected a value                       | 1 | 1",
    })
    void rejectsWhatIsNotStrictJson(String text, String reason, int line, int column) {
        // CSV cannot hold raw newlines: \n in the case stands for one.
        JsonException e = catchThrowableOfType(() -> Json.parse(text.replace("\\n", "\n")), JsonException.class);
        assertThat(e).as(text).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.line()).as("line").isEqualTo(line);
        assertThat(e.column()).as("column").isEqualTo(column);
        assertThat(e.getMessage()).isEqualTo(reason + " at line " + line + ", column " + column);
    }

    @Test
    void rawControlCharactersInStringsAreRejected() {
        JsonException e = catchThrowableOfType(() -> Json.parse("[\"a\tb\"]"), JsonException.class);
        assertThat(e.getMessage()).isEqualTo("raw control character U+0009 in a string (escape it) at line 1, column 4");
    }

    @Test
    void positionsCountLinesAfterLfCrLfAndCr() {
        JsonException lf = catchThrowableOfType(() -> Json.parse("{\n  \"a\": 1,\n  \"b\": x\n}"), JsonException.class);
        assertThat(lf.getMessage()).isEqualTo("unexpected 'x', expected a value at line 3, column 8");
        JsonException crlf = catchThrowableOfType(() -> Json.parse("{\r\n  \"a\": 1,\r\n  \"b\": x\r\n}"),
                JsonException.class);
        assertThat(crlf.getMessage()).isEqualTo("unexpected 'x', expected a value at line 3, column 8");
        JsonException cr = catchThrowableOfType(() -> Json.parse("[\r\r  x]"), JsonException.class);
        assertThat(cr.getMessage()).isEqualTo("unexpected 'x', expected a value at line 3, column 3");
    }

    @Test
    void nestingIsLimited() throws Exception {
        assertThat(Json.parse("[[[1]]]", 3)).isEqualTo(List.of(List.of(List.of(1L))));
        JsonException e = catchThrowableOfType(() -> Json.parse("[[{\"a\": 1}]]", 2), JsonException.class);
        assertThat(e.getMessage()).isEqualTo("nesting deeper than 2 levels at line 1, column 3");
        // Deep enough to overflow the stack without the limit.
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(catchThrowableOfType(() -> Json.parse(deep), JsonException.class).reason())
                .isEqualTo("nesting deeper than " + Json.DEFAULT_MAX_DEPTH + " levels");
        assertThatThrownBy(() -> Json.parse("[]", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesMustBeUtf8AndMayStartWithAByteOrderMark() throws Exception {
        assertThat(Json.parse("\uFEFF{\"é\": \"€\"}".getBytes(StandardCharsets.UTF_8), 8)).isEqualTo(Map.of("é", "€"));
        byte[] latin1 = "{\"a\":\n \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        JsonException e = catchThrowableOfType(() -> Json.parse(latin1, 8), JsonException.class);
        assertThat(e.getMessage()).isEqualTo("not valid UTF-8 (byte 11) at line 2, column 6");
        byte[] truncated = Arrays.copyOf("\"€\"".getBytes(StandardCharsets.UTF_8), 3);
        assertThat(catchThrowableOfType(() -> Json.parse(truncated, 8), JsonException.class).reason())
                .isEqualTo("not valid UTF-8 (byte 1)");
    }
}
