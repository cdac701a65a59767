package io.keshikaran.converter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** {@code ZeroPadding2D} → ONNX {@code Pad} (constant 0) on the H and W axes of the NCHW tensor. */
final class ZeroPadding2DConverter implements LayerConverter {

    @Override
    public KerasTensor convert(LayerContext ctx) {
        LayerConfig config = ctx.config();
        config.requireChannelsLast();
        JsonNode p = config.get("padding");
        int top;
        int bottom;
        int left;
        int right;
        // Keras accepts an int, (symmetric_h, symmetric_w) or ((top, bottom), (left, right)).
        if (p == null) {
            top = bottom = left = right = 1;
        } else if (p.canConvertToExactIntegral()) {
            top = bottom = left = right = p.intValue();
        } else if (p.isArray() && p.size() == 2 && p.get(0).canConvertToExactIntegral()
                && p.get(1).canConvertToExactIntegral()) {
            top = bottom = p.get(0).intValue();
            left = right = p.get(1).intValue();
        } else if (p.isArray() && p.size() == 2 && p.get(0).isArray() && p.get(0).size() == 2
                && p.get(1).isArray() && p.get(1).size() == 2) {
            top = p.get(0).get(0).intValue();
            bottom = p.get(0).get(1).intValue();
            left = p.get(1).get(0).intValue();
            right = p.get(1).get(1).intValue();
        } else {
            throw ctx.unsupported("padding", p, "expected an int, 2 ints or 2 pairs of ints");
        }
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw ctx.unsupported("padding", p, "negative padding");
        }
        KerasTensor x = ctx.imageInput();
        long[] s = x.shape();
        OnnxGraphBuilder g = ctx.graph();
        // ONNX pads: all begins (N, C, H, W), then all ends.
        String pads = g.int64Constant(ctx.layerName() + "/pads", new long[] {0, 0, top, left, 0, 0, bottom, right}, 8);
        String out = ctx.outputName();
        g.node("Pad", List.of(x.onnxName(), pads), out);
        return new KerasTensor(out, new long[] {s[0], s[1] + top + bottom, s[2] + left + right, s[3]}, true);
    }
}
