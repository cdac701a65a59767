package io.keshikaran.converter;

/**
 * The model is well formed but uses a layer type (or graph op), an attribute or an attribute value that the converter
 * does not translate. The message always names the layer or node, its class or op and, where applicable, the
 * attribute.
 */
public class UnsupportedModelException extends ModelFormatException {
    private static final long serialVersionUID = 1L;

    private final String layerName;
    private final String layerClass;
    private final String attribute;

    /**
     * @param layerName the Keras layer's or graph node's name
     * @param layerClass the Keras layer's class name, or the graph node's TensorFlow op
     * @param attribute the offending attribute, or {@code null} when the layer type itself is unsupported
     * @param message the full message
     */
    public UnsupportedModelException(String layerName, String layerClass, String attribute, String message) {
        super(message);
        this.layerName = layerName;
        this.layerClass = layerClass;
        this.attribute = attribute;
    }

    /** @return the Keras layer's or graph node's name */
    public String layerName() {
        return layerName;
    }

    /** @return the Keras layer's class name, e.g. {@code Conv2D}, or the graph node's op, e.g. {@code _FusedConv2D} */
    public String layerClass() {
        return layerClass;
    }

    /** @return the unsupported attribute, or {@code null} when the whole layer type or op is unsupported */
    public String attribute() {
        return attribute;
    }
}
