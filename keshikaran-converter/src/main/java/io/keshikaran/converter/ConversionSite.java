package io.keshikaran.converter;

/**
 * The Keras layer or graph node being converted, as far as shared translation code needs it: to fail with a
 * message that names it.
 */
interface ConversionSite {

    /**
     * @param message what is wrong, completing a sentence that starts with the layer's or node's name
     * @return an exception naming the layer or node
     */
    ModelFormatException error(String message);

    /**
     * @param attribute the attribute
     * @param value its value
     * @param why why it cannot be translated
     * @return an exception naming the layer or node and the attribute
     */
    UnsupportedModelException unsupported(String attribute, Object value, String why);
}
