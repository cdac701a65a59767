package io.keshikaran.converter;

/**
 * Translates one Keras layer type into ONNX nodes.
 *
 * <p>Implementations read the layer's attributes through {@link LayerContext#config()}, which fails the conversion
 * on any attribute left unread, and must reject (with {@link LayerContext#unsupported}) every attribute value whose
 * TensorFlow.js semantics they do not reproduce exactly.
 */
interface LayerConverter {

    /**
     * @param ctx the layer, its inputs and the graph being built
     * @return the layer's output tensor
     */
    KerasTensor convert(LayerContext ctx);
}
