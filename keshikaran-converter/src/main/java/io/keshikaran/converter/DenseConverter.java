package io.keshikaran.converter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code Dense} on a rank-2 input → ONNX {@code Gemm} (with bias) or {@code MatMul}, plus the activation. The
 * Keras kernel {@code [in, units]} is already the right-hand matrix.
 */
final class DenseConverter implements LayerConverter {

    @Override
    public KerasTensor convert(LayerContext ctx) {
        LayerConfig config = ctx.config();
        int units = config.integer("units", -1);
        if (units < 1) {
            throw ctx.unsupported("units", config.get("units"), "must be a positive integer");
        }
        boolean useBias = config.bool("use_bias", true);
        String activation = Activations.read(ctx, "activation", false);
        KerasTensor x = ctx.input();
        if (x.rank() != 2) {
            throw ctx.error("is applied to a rank-" + x.rank() + " tensor " + Arrays.toString(x.shape())
                    + "; only rank-2 inputs are supported (add a Flatten)");
        }
        long in = x.dim(1);
        List<String> inputs = new ArrayList<>(List.of(x.onnxName(),
                ctx.weightInput("kernel", new long[] {in, units}, null, in, units)));
        String out = Activations.isLinear(activation) ? ctx.outputName() : ctx.name("linear");
        if (useBias) {
            inputs.add(ctx.weightInput("bias", new long[] {units}, null, units));
            ctx.graph().node("Gemm", inputs, out);
        } else {
            ctx.graph().node("MatMul", inputs, out);
        }
        return Activations.apply(ctx, new KerasTensor(out, new long[] {x.dim(0), units}, false), activation);
    }
}
