package io.keshikaran.converter;

import java.util.ArrayList;
import java.util.List;

import static io.keshikaran.converter.OnnxGraphBuilder.intAttr;
import static io.keshikaran.converter.OnnxGraphBuilder.intsAttr;

/**
 * {@code MaxPooling2D} / {@code AveragePooling2D} → ONNX {@code MaxPool} / {@code AveragePool} with explicit
 * TensorFlow pads.
 *
 * <p>TensorFlow's pools ignore padded positions: max pooling never picks them, and average pooling divides by the
 * number of real elements under the window. ONNX {@code MaxPool} ignores pads too, and {@code AveragePool} does
 * with {@code count_include_pad = 0}.
 */
final class Pooling2DConverter implements LayerConverter {

    private final boolean max;

    Pooling2DConverter(boolean max) {
        this.max = max;
    }

    @Override
    public KerasTensor convert(LayerContext ctx) {
        LayerConfig config = ctx.config();
        config.requireChannelsLast();
        int[] pool = config.ints("pool_size", 2);
        if (pool == null) {
            pool = new int[] {2, 2};
        }
        int[] strides = config.ints("strides", 2);
        if (strides == null) {
            strides = pool.clone(); // Keras: strides default to pool_size
        }
        String padding = config.string("padding", "valid");
        KerasTensor x = ctx.imageInput();
        SpatialPadding h = SpatialPadding.of(ctx, padding, x.dim(1), pool[0], strides[0]);
        SpatialPadding w = SpatialPadding.of(ctx, padding, x.dim(2), pool[1], strides[1]);
        return emit(ctx.graph(), x, max, pool, strides, h, w, ctx.outputName());
    }

    /**
     * Adds the ONNX pool of a TensorFlow max or average pool; shared by the layers and graph converters.
     *
     * @param g the graph
     * @param x the NCHW input
     * @param max max pooling, else average pooling
     * @param pool the window's height and width
     * @param strides the strides along height and width
     * @param h the padding along the height
     * @param w the padding along the width
     * @param out the output's name
     * @return the NCHW output
     */
    static KerasTensor emit(OnnxGraphBuilder g, KerasTensor x, boolean max, int[] pool, int[] strides,
                            SpatialPadding h, SpatialPadding w, String out) {
        List<ai.onnx.proto.OnnxMl.AttributeProto> attributes = new ArrayList<>();
        if (!max) {
            attributes.add(intAttr("count_include_pad", 0));
        }
        attributes.add(intsAttr("kernel_shape", pool[0], pool[1]));
        attributes.add(intsAttr("pads", h.begin(), w.begin(), h.end(), w.end()));
        attributes.add(intsAttr("strides", strides[0], strides[1]));
        g.node(max ? "MaxPool" : "AveragePool", List.of(x.onnxName()), out, attributes);
        return new KerasTensor(out, new long[] {x.dim(0), h.output(), w.output(), x.dim(3)}, true);
    }
}
