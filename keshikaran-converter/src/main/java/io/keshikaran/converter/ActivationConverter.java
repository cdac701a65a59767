package io.keshikaran.converter;

/** The {@code Activation} layer: see {@link Activations}. */
final class ActivationConverter implements LayerConverter {

    @Override
    public KerasTensor convert(LayerContext ctx) {
        String activation = Activations.read(ctx, "activation", true);
        return Activations.apply(ctx, ctx.input(), activation);
    }
}
