package io.keshikaran.converter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One node of a TensorFlow GraphDef as tfjs's converter writes it in JSON ({@code modelTopology.node[]}).
 *
 * <p>The attributes are kept unwrapped from TensorFlow's {@code AttrValue} form, so that they read like a Keras
 * config through {@link LayerConfig}: {@code {"s": base64}} becomes the decoded string, {@code {"i": "3"}} the
 * number 3, {@code {"f": x}} and {@code {"b": x}} their values, {@code {"type": "DT_FLOAT"}} the type name,
 * {@code {"list": {"i": [...]}}} an array (an empty {@code list} an empty array), and {@code shape} and
 * {@code tensor} values stay objects. An empty {@code AttrValue} is {@code null}, i.e. absent.
 *
 * @param name the node's name
 * @param op the TensorFlow op, e.g. {@code _FusedConv2D}
 * @param inputs the data inputs as written ({@code node}, {@code node:1}); control inputs ({@code ^node}), which
 *     order execution but carry no value, are left out
 * @param attributes the unwrapped attributes
 */
record GraphNode(String name, String op, List<String> inputs, ObjectNode attributes) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    GraphNode {
        inputs = List.copyOf(inputs);
        attributes = attributes.deepCopy();
    }

    @Override
    public ObjectNode attributes() {
        return attributes.deepCopy();
    }

    /**
     * Parses one entry of {@code modelTopology.node}.
     *
     * @param node the JSON node
     * @return the graph node
     * @throws ModelFormatException if it is malformed
     */
    static GraphNode parse(JsonNode node) {
        String name = node.path("name").asText("");
        String op = node.path("op").asText("");
        if (name.isEmpty() || op.isEmpty()) {
            throw new ModelFormatException("A graph node has no name or op: " + abbreviate(node));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            // 'device' only places the node on a device; it never changes what the node computes.
            if (!List.of("name", "op", "input", "attr", "device").contains(key)) {
                throw new ModelFormatException("Node '" + name + "' (" + op + ") has an unknown field '" + key + "'");
            }
        }
        List<String> inputs = new ArrayList<>();
        JsonNode input = node.path("input");
        if (!input.isMissingNode() && !input.isArray()) {
            throw new ModelFormatException("Node '" + name + "' (" + op + ") has a non-array 'input'");
        }
        for (JsonNode i : input) {
            if (!i.isTextual() || i.asText().isEmpty()) {
                throw new ModelFormatException("Node '" + name + "' (" + op + ") has an invalid input " + i);
            }
            if (!i.asText().startsWith("^")) {
                inputs.add(i.asText());
            }
        }
        ObjectNode attributes = NODES.objectNode();
        JsonNode attr = node.path("attr");
        if (!attr.isMissingNode() && !attr.isObject()) {
            throw new ModelFormatException("Node '" + name + "' (" + op + ") has a non-object 'attr'");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = attr.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            attributes.set(e.getKey(), unwrap(name, op, e.getKey(), e.getValue()));
        }
        return new GraphNode(name, op, inputs, attributes);
    }

    /** @return strict access to the attributes; TensorFlow-internal ones ({@code _name}) are ignored */
    LayerConfig config() {
        LayerConfig config = new LayerConfig("Node", name, op, attributes);
        attributes.fieldNames().forEachRemaining(key -> {
            if (key.startsWith("_")) {
                config.ignore(key);
            }
        });
        return config;
    }

    /**
     * Splits an input reference into the producing node and its output index: {@code a} and {@code a:0} are
     * output 0 of {@code a}, {@code a:2} output 2.
     *
     * @param input an entry of {@link #inputs()} or a signature tensor name
     * @return the node name and output index
     */
    static Map.Entry<String, Integer> parseInput(String input) {
        int colon = input.lastIndexOf(':');
        if (colon > 0 && input.substring(colon + 1).matches("[0-9]{1,9}")) {
            return Map.entry(input.substring(0, colon), Integer.parseInt(input.substring(colon + 1)));
        }
        return Map.entry(input, 0);
    }

    private static JsonNode unwrap(String name, String op, String key, JsonNode value) {
        if (!value.isObject() || value.size() > 1) {
            throw new ModelFormatException("Node '" + name + "' (" + op + ") has a malformed attribute '" + key
                    + "': " + abbreviate(value));
        }
        if (value.isEmpty()) {
            return NODES.nullNode();
        }
        Map.Entry<String, JsonNode> field = value.fields().next();
        if (field.getKey().equals("list")) {
            ArrayNode list = NODES.arrayNode();
            JsonNode items = field.getValue();
            if (!items.isObject() || items.size() > 1) {
                throw new ModelFormatException("Node '" + name + "' (" + op + ") has a malformed list attribute '"
                        + key + "': " + abbreviate(value));
            }
            if (!items.isEmpty()) {
                Map.Entry<String, JsonNode> kind = items.fields().next();
                for (JsonNode item : kind.getValue()) {
                    list.add(scalar(name, op, key, kind.getKey(), item));
                }
            }
            return list;
        }
        return scalar(name, op, key, field.getKey(), field.getValue());
    }

    private static JsonNode scalar(String name, String op, String key, String kind, JsonNode v) {
        try {
            return switch (kind) {
                case "s" -> NODES.textNode(new String(Base64.getDecoder().decode(v.asText()), StandardCharsets.UTF_8));
                // proto3 JSON writes int64 as strings.
                case "i" -> NODES.numberNode(Long.parseLong(v.asText()));
                case "f" -> v.isNumber() ? v : NODES.numberNode(Double.parseDouble(v.asText()));
                case "b" -> NODES.booleanNode(v.asBoolean());
                case "type" -> NODES.textNode(v.asText());
                default -> v; // shape, tensor, func...: kept as is; reading them as anything else fails
            };
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("Node '" + name + "' (" + op + ") has an invalid '" + kind + "' value "
                    + v + " in attribute '" + key + "'", e);
        }
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
