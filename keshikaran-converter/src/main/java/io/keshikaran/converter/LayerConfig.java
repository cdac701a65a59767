package io.keshikaran.converter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Strict access to one layer's Keras {@code config}, or to one graph node's attributes (see {@link GraphNode}).
 *
 * <p>Every key a converter reads is recorded; {@link #checkAllUsed()} then fails on any key that was neither read
 * nor declared irrelevant for inference. A new Keras attribute that changes the computation therefore stops the
 * conversion instead of being silently ignored.
 */
final class LayerConfig {

    /** Keys that never affect inference: identity, training-only settings, initializers, regularizers. */
    private static final Set<String> INFERENCE_IRRELEVANT = Set.of("name", "trainable");
    private static final List<String> INFERENCE_IRRELEVANT_SUFFIXES =
            List.of("_initializer", "_regularizer", "_constraint");

    private final String kind;
    private final String layerName;
    private final String layerClass;
    private final JsonNode config;
    private final Set<String> used = new HashSet<>();

    LayerConfig(String layerName, String layerClass, JsonNode config) {
        this("Layer", layerName, layerClass, config);
    }

    /**
     * @param kind what the configuration belongs to, for messages: {@code Layer} or {@code Node} (a graph node,
     *     whose attributes have been unwrapped from TensorFlow's {@code AttrValue} form)
     * @param layerName the layer's or node's name
     * @param layerClass the Keras class or TensorFlow op
     * @param config the attributes
     */
    LayerConfig(String kind, String layerName, String layerClass, JsonNode config) {
        this.kind = kind;
        this.layerName = layerName;
        this.layerClass = layerClass;
        this.config = config;
    }

    /** Marks keys as read without reading them (inference-irrelevant for this layer type). */
    void ignore(String... keys) {
        used.addAll(List.of(keys));
    }

    /** @return the raw value, or {@code null} when absent; marks it used */
    JsonNode get(String key) {
        used.add(key);
        JsonNode v = config.get(key);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String key) {
        return get(key) != null;
    }

    String string(String key, String defaultValue) {
        JsonNode v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isTextual()) {
            throw unsupported(key, v, "expected a string");
        }
        return v.asText();
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw unsupported(key, v, "expected a boolean");
        }
        return v.asBoolean();
    }

    double number(String key, double defaultValue) {
        JsonNode v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            throw unsupported(key, v, "expected a number");
        }
        return v.doubleValue();
    }

    int integer(String key, int defaultValue) {
        JsonNode v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToInt()) {
            throw unsupported(key, v, "expected an integer");
        }
        return v.intValue();
    }

    /**
     * Reads a Keras "int or tuple of n ints" attribute such as {@code kernel_size} or {@code strides}.
     *
     * @return the n ints, or {@code null} when absent
     */
    int[] ints(String key, int n) {
        JsonNode v = get(key);
        if (v == null) {
            return null;
        }
        int[] out = new int[n];
        if (v.canConvertToExactIntegral()) {
            java.util.Arrays.fill(out, v.intValue());
            return out;
        }
        if (!v.isArray() || v.size() != n) {
            throw unsupported(key, v, "expected an integer or " + n + " integers");
        }
        for (int i = 0; i < n; i++) {
            if (!v.get(i).canConvertToExactIntegral()) {
                throw unsupported(key, v, "expected integers");
            }
            out[i] = v.get(i).intValue();
        }
        return out;
    }

    /** Fails unless the layer keeps channels last, the only layout tfjs models use. */
    void requireChannelsLast() {
        String format = string("data_format", "channels_last");
        if (!format.equals("channels_last")) {
            throw unsupported("data_format", get("data_format"), "only channels_last is supported");
        }
    }

    /** Fails on any key that was not read and is not inference-irrelevant. */
    void checkAllUsed() {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (used.contains(key) || INFERENCE_IRRELEVANT.contains(key)
                    || INFERENCE_IRRELEVANT_SUFFIXES.stream().anyMatch(key::endsWith)) {
                continue;
            }
            unknown.add(key);
        }
        if (!unknown.isEmpty()) {
            StringBuilder list = new StringBuilder();
            for (String key : unknown) {
                list.append(list.length() == 0 ? "" : ", ").append('\'').append(key).append("' = ")
                        .append(config.get(key));
            }
            throw new UnsupportedModelException(layerName, layerClass, unknown.get(0), kind + " '" + layerName + "' ("
                    + layerClass + ") has unsupported attribute" + (unknown.size() > 1 ? "s " : " ") + list
                    + ": the converter does not know how to translate " + (unknown.size() > 1 ? "them" : "it"));
        }
    }

    UnsupportedModelException unsupported(String attribute, Object value, String why) {
        return new UnsupportedModelException(layerName, layerClass, attribute, kind + " '" + layerName + "' ("
                + layerClass + "): unsupported " + attribute + " = " + value + " (" + why + ")");
    }
}
