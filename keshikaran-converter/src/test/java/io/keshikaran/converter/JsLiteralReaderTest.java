package io.keshikaran.converter;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsLiteralReaderTest {

    private static JsonNode parse(String js) {
        return JsLiteralReader.parse(js, "test.js");
    }

    @Test
    void readsMinifiedBooleansNullAndUnquotedKeys() {
        JsonNode n = parse("{a:!0,b:!1,c:null,d:true,e:false,$f_1:1}");
        assertThat(n.get("a").booleanValue()).isTrue();
        assertThat(n.get("b").booleanValue()).isFalse();
        assertThat(n.get("c").isNull()).isTrue();
        assertThat(n.get("d").booleanValue()).isTrue();
        assertThat(n.get("e").booleanValue()).isFalse();
        assertThat(n.get("$f_1").intValue()).isEqualTo(1);
    }

    @Test
    void readsNestedArraysAndObjectsLikeKerasInboundNodes() {
        JsonNode n = parse("{inbound_nodes:[[[\"input_1\",0,0,{}],['x',0,0,{}]]],padding:[[0,1],[0,1]],e:[],o:{}}");
        assertThat(n.get("inbound_nodes").get(0).get(1).get(0).asText()).isEqualTo("x");
        assertThat(n.get("inbound_nodes").get(0).get(0).get(3).isObject()).isTrue();
        assertThat(n.get("padding").toString()).isEqualTo("[[0,1],[0,1]]");
        assertThat(n.get("e").isEmpty()).isTrue();
        assertThat(n.get("o").isEmpty()).isTrue();
    }

    @Test
    void readsEscapedStrings() {
        JsonNode n = parse("[\"a\\\"b\", 'c\\'d', \"\\\\\\/\\n\\r\\t\\b\\f\\v\\0\", \"\\x41\\u00e9\\u{1F600}\", 'line\\\ncont']");
        assertThat(n.get(0).asText()).isEqualTo("a\"b");
        assertThat(n.get(1).asText()).isEqualTo("c'd");
        assertThat(n.get(2).asText()).isEqualTo("\\/\n\r\t\b\f\u000B\0");
        assertThat(n.get(3).asText()).isEqualTo("Aé\uD83D\uDE00");
        assertThat(n.get(4).asText()).isEqualTo("linecont");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            ".5; 0.5", "-.25; -0.25", "1e-3; 0.001", "1E+3; 1000.0", "2.; 2.0", "-1.5e-7; -1.5E-7",
            "0.006666756611244351; 0.006666756611244351", "0x1F; 31", "123456789012345678901; 1.2345678901234568E20"})
    void readsJavaScriptNumbersAsDoubles(String js, double expected) {
        assertThat(parse(js).doubleValue()).isEqualTo(expected);
    }

    @Test
    void keepsIntegersIntegralAndNegativeZeroNegative() {
        assertThat(parse("224").isInt()).isTrue();
        assertThat(parse("-3").intValue()).isEqualTo(-3);
        assertThat(parse("4294967296").isLong()).isTrue();
        assertThat(parse("0.5").isDouble()).isTrue();
        JsonNode negativeZero = parse("-0");
        assertThat(negativeZero.isDouble()).isTrue();
        assertThat(Double.doubleToRawLongBits(negativeZero.doubleValue()))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void readsNumericKeysWhitespaceAndTrailingCommas() {
        JsonNode n = parse(" { 1 : [ 1 , 2 , ] ,\n 'quoted key' : \"v\" , } ");
        assertThat(n.get("1").size()).isEqualTo(2);
        assertThat(n.get("quoted key").asText()).isEqualTo("v");
    }

    @Test
    void parsePrefixStopsAfterTheLiteral() {
        JsLiteralReader.Result r = JsLiteralReader.parsePrefix("x={a:1}},{}]", 2, "t");
        assertThat(r.value().get("a").intValue()).isEqualTo(1);
        assertThat(r.end()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{a:1", "[1,,2]", "{a:1 b:2}", "{a:undefined}", "NaN", "!2", "{a:1}x", "01", "1.2.3",
            "'unterminated", "\"bad \\q escape\"", "{a:1,a:2}", "{a:f()}", "-", "1e", "{'a' 1}", "\"line\nbreak\"",
            "/* comment */ 1", "[1]]", "0x"})
    void rejectsWhatIsNotAPlainLiteral(String js) {
        assertThatThrownBy(() -> parse(js)).isInstanceOf(ModelFormatException.class).hasMessageContaining("test.js");
    }

    @Test
    void errorsSayWhere() {
        assertThatThrownBy(() -> parse("{a:1,\n b:@}"))
                .hasMessageContaining("line 2, column 4")
                .hasMessageContaining("'@'");
        assertThatThrownBy(() -> parse("{a:1,a:2}")).hasMessageContaining("Duplicate key 'a'");
    }
}
