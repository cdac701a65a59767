package io.keshikaran.converter;

import java.util.Arrays;
import java.util.List;

/**
 * {@code BatchNormalization} (inference form) → ONNX {@code BatchNormalization} with the layer's epsilon:
 * {@code (x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta}, as tfjs computes it. A layer
 * with {@code scale: false} has no gamma (1 is used) and one with {@code center: false} has no beta (0).
 */
final class BatchNormalizationConverter implements LayerConverter {

    @Override
    public KerasTensor convert(LayerContext ctx) {
        LayerConfig config = ctx.config();
        // Training-time settings: they do not change the inference formula.
        config.ignore("momentum", "fused", "renorm_momentum");
        if (config.bool("renorm", false)) {
            throw ctx.unsupported("renorm", true, "batch renormalization is not supported");
        }
        for (String key : new String[] {"virtual_batch_size", "adjustment", "renorm_clipping"}) {
            if (config.has(key)) {
                throw ctx.unsupported(key, config.get(key), "only null is supported");
            }
        }
        if (config.bool("synchronized", false)) {
            throw ctx.unsupported("synchronized", true, "not supported");
        }
        KerasTensor x = ctx.input();
        int axis = config.integer("axis", -1);
        // ONNX normalizes axis 1, which is where the channel axis lives for NCHW and for [N, C] tensors.
        boolean channelAxis = (x.rank() == 4 || x.rank() == 2) && (axis == -1 || axis == x.rank() - 1);
        if (!channelAxis) {
            throw ctx.unsupported("axis", axis, "only the last (channel) axis of a rank-2 or rank-4 input is supported"
                    + " (input shape " + Arrays.toString(x.shape()) + ")");
        }
        double epsilon = config.number("epsilon", 1e-3);
        boolean center = config.bool("center", true);
        boolean scale = config.bool("scale", true);
        long c = x.dim(-1);
        OnnxGraphBuilder g = ctx.graph();
        String gamma;
        if (scale) {
            gamma = ctx.weightInput("gamma", new long[] {c}, null, c);
        } else {
            float[] ones = new float[(int) c];
            Arrays.fill(ones, 1f);
            gamma = g.floatConstant(ctx.layerName() + "/gamma", ones, c);
        }
        String beta = center ? ctx.weightInput("beta", new long[] {c}, null, c)
                : g.floatConstant(ctx.layerName() + "/beta", new float[(int) c], c);
        String mean = ctx.weightInput("moving_mean", new long[] {c}, null, c);
        String variance = ctx.weightInput("moving_variance", new long[] {c}, null, c);
        String out = ctx.outputName();
        g.node("BatchNormalization", List.of(x.onnxName(), gamma, beta, mean, variance), out,
                List.of(OnnxGraphBuilder.floatAttr("epsilon", (float) epsilon)));
        return x.renamed(out);
    }
}
