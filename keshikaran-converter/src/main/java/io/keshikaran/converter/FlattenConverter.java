package io.keshikaran.converter;

import java.util.List;

/**
 * {@code Flatten} → ONNX {@code Flatten(axis=1)}, in Keras's order.
 *
 * <p>Keras flattens an NHWC tensor, so the features come out as (h, w, c) with c fastest. The graph keeps image
 * tensors in NCHW, so it first transposes back to NHWC; the following Dense kernel then lines up with the
 * features it was trained on. With a 1×1 map the two orders coincide and the transpose is skipped.
 */
final class FlattenConverter implements LayerConverter {

    @Override
    public KerasTensor convert(LayerContext ctx) {
        ctx.config().requireChannelsLast();
        KerasTensor x = ctx.input();
        if (x.rank() < 2) {
            throw ctx.error("needs an input of rank 2 or more");
        }
        if (x.rank() == 2) {
            return x;
        }
        OnnxGraphBuilder g = ctx.graph();
        String source = x.onnxName();
        if (x.channelsFirst() && x.dim(1) * x.dim(2) != 1) {
            source = ctx.name("nhwc");
            g.node("Transpose", List.of(x.onnxName()), source, List.of(OnnxGraphBuilder.intsAttr("perm", 0, 2, 3, 1)));
        }
        long features = 1;
        for (int i = 1; i < x.rank(); i++) {
            features *= x.dim(i);
        }
        String out = ctx.outputName();
        g.node("Flatten", List.of(source), out, List.of(OnnxGraphBuilder.intAttr("axis", 1)));
        return new KerasTensor(out, new long[] {x.dim(0), features}, false);
    }
}
