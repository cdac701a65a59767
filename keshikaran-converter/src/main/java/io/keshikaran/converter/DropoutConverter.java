package io.keshikaran.converter;

/** {@code Dropout} is the identity at inference: the layer's output is its input tensor, and no node is added. */
final class DropoutConverter implements LayerConverter {

    @Override
    public KerasTensor convert(LayerContext ctx) {
        ctx.config().ignore("rate", "noise_shape", "seed");
        return ctx.input();
    }
}
