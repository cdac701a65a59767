package io.keshikaran.converter;

import java.util.List;

/**
 * The {@code ReLU} layer → ONNX {@code Relu}, or {@code Clip(0, max_value)} when {@code max_value} is set
 * (MobileNetV2's ReLU6). tfjs implements only {@code max_value}, so a leaky slope or a threshold is rejected.
 */
final class ReLUConverter implements LayerConverter {

    @Override
    public KerasTensor convert(LayerContext ctx) {
        LayerConfig config = ctx.config();
        double negativeSlope = config.number("negative_slope", 0);
        if (negativeSlope != 0) {
            throw ctx.unsupported("negative_slope", negativeSlope, "only 0 is supported");
        }
        double threshold = config.number("threshold", 0);
        if (threshold != 0) {
            throw ctx.unsupported("threshold", threshold, "only 0 is supported");
        }
        KerasTensor x = ctx.input();
        OnnxGraphBuilder g = ctx.graph();
        String out = ctx.outputName();
        if (config.has("max_value")) {
            double max = config.number("max_value", Double.NaN);
            if (!(max >= 0) || (float) max != max) {
                throw ctx.unsupported("max_value", max, "must be a non-negative float32 value");
            }
            g.node("Clip", List.of(x.onnxName(), g.floatScalar(0f), g.floatScalar((float) max)), out);
        } else {
            g.node("Relu", List.of(x.onnxName()), out);
        }
        return x.renamed(out);
    }
}
