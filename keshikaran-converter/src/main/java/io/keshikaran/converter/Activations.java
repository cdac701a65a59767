package io.keshikaran.converter;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Keras activation functions (the {@code activation} attribute and the {@code Activation} layer). */
final class Activations {

    static final Set<String> SUPPORTED = Set.of("linear", "relu", "relu6", "sigmoid", "tanh", "softmax");

    private Activations() {
    }

    /**
     * Reads an activation attribute and fails early if it is not supported.
     *
     * @param ctx the layer
     * @param attribute the attribute's key
     * @param required whether the attribute must be present (else it defaults to {@code linear})
     * @return the activation's name
     */
    static String read(LayerContext ctx, String attribute, boolean required) {
        String activation = ctx.config().string(attribute, null);
        if (activation == null) {
            if (required) {
                throw ctx.unsupported(attribute, null, "the attribute is required");
            }
            return "linear";
        }
        if (!SUPPORTED.contains(activation)) {
            throw ctx.unsupported(attribute, activation, "supported activations are " + List.copyOf(new java.util.TreeSet<>(SUPPORTED)));
        }
        return activation;
    }

    static boolean isLinear(String activation) {
        return activation.equals("linear");
    }

    /**
     * Applies the activation; the result is the layer's output tensor.
     *
     * @param ctx the layer
     * @param x the pre-activation tensor
     * @param activation a name accepted by {@link #read}
     * @return the activated tensor ({@code x} itself for {@code linear})
     */
    static KerasTensor apply(LayerContext ctx, KerasTensor x, String activation) {
        return apply(ctx.graph(), x, activation, ctx::outputName);
    }

    /**
     * Applies an activation; shared by the layers and graph converters.
     *
     * @param g the graph
     * @param x the pre-activation tensor
     * @param activation one of {@link #SUPPORTED}
     * @param out reserves the output's name; not called for {@code linear}
     * @return the activated tensor ({@code x} itself for {@code linear})
     */
    static KerasTensor apply(OnnxGraphBuilder g, KerasTensor x, String activation, Supplier<String> out) {
        if (isLinear(activation)) {
            return x;
        }
        String name = out.get();
        switch (activation) {
            case "relu" -> g.node("Relu", List.of(x.onnxName()), name);
            case "relu6" -> g.node("Clip", List.of(x.onnxName(), g.floatScalar(0f), g.floatScalar(6f)), name);
            case "sigmoid" -> g.node("Sigmoid", List.of(x.onnxName()), name);
            case "tanh" -> g.node("Tanh", List.of(x.onnxName()), name);
            // Keras and tfjs apply softmax over the last (channel) axis; in an NCHW tensor that is axis 1.
            case "softmax" -> g.node("Softmax", List.of(x.onnxName()), name,
                    List.of(OnnxGraphBuilder.intAttr("axis", x.onnxAxis(-1))));
            default -> throw new IllegalStateException("Unchecked activation " + activation);
        }
        return x.renamed(name);
    }
}
