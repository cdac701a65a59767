package io.keshikaran.converter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.keshikaran.converter.OnnxGraphBuilder.intAttr;
import static io.keshikaran.converter.OnnxGraphBuilder.intsAttr;

/**
 * {@code Conv2D} and {@code DepthwiseConv2D} → ONNX {@code Conv} on NCHW, plus the fused activation.
 *
 * <p>Kernels: Keras {@code Conv2D} stores HWIO {@code [kh, kw, in, out]}, ONNX wants OIHW; a depthwise kernel
 * {@code [kh, kw, in, multiplier]} becomes {@code [in * multiplier, 1, kh, kw]} with {@code group = in}, because
 * TensorFlow numbers depthwise output channels {@code c * multiplier + m}, which is exactly ONNX's grouping.
 */
final class Conv2DConverter implements LayerConverter {

    private final boolean depthwise;

    Conv2DConverter(boolean depthwise) {
        this.depthwise = depthwise;
    }

    @Override
    public KerasTensor convert(LayerContext ctx) {
        LayerConfig config = ctx.config();
        config.requireChannelsLast();
        int[] kernel = config.ints("kernel_size", 2);
        if (kernel == null) {
            throw ctx.unsupported("kernel_size", null, "the attribute is required");
        }
        int[] strides = config.ints("strides", 2);
        if (strides == null) {
            strides = new int[] {1, 1};
        }
        String padding = config.string("padding", "valid");
        int[] dilation = config.ints("dilation_rate", 2);
        if (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) {
            throw ctx.unsupported("dilation_rate", Arrays.toString(dilation), "only [1, 1] is supported");
        }
        boolean useBias = config.bool("use_bias", true);
        String activation = Activations.read(ctx, "activation", false);

        KerasTensor x = ctx.imageInput();
        long inChannels = x.dim(3);
        long outChannels;
        String kernelName;
        int group;
        if (depthwise) {
            int multiplier = config.integer("depth_multiplier", 1);
            if (multiplier < 1) {
                throw ctx.unsupported("depth_multiplier", multiplier, "must be positive");
            }
            outChannels = inChannels * multiplier;
            group = (int) inChannels;
            kernelName = ctx.weightInput("depthwise_kernel",
                    new long[] {kernel[0], kernel[1], inChannels, multiplier},
                    new int[] {2, 3, 0, 1}, outChannels, 1, kernel[0], kernel[1]);
        } else {
            int filters = config.integer("filters", -1);
            if (filters < 1) {
                throw ctx.unsupported("filters", config.get("filters"), "must be a positive integer");
            }
            int groups = config.integer("groups", 1);
            if (groups != 1) {
                throw ctx.unsupported("groups", groups, "only 1 is supported");
            }
            outChannels = filters;
            group = 1;
            kernelName = ctx.weightInput("kernel", new long[] {kernel[0], kernel[1], inChannels, filters},
                    new int[] {3, 2, 0, 1}, filters, inChannels, kernel[0], kernel[1]);
        }
        List<String> inputs = new ArrayList<>(List.of(x.onnxName(), kernelName));
        if (useBias) {
            inputs.add(ctx.weightInput("bias", new long[] {outChannels}, null, outChannels));
        }

        SpatialPadding h = SpatialPadding.of(ctx, padding, x.dim(1), kernel[0], strides[0]);
        SpatialPadding w = SpatialPadding.of(ctx, padding, x.dim(2), kernel[1], strides[1]);
        String out = Activations.isLinear(activation) ? ctx.outputName() : ctx.name("conv");
        ctx.graph().node("Conv", inputs, out, List.of(
                intsAttr("dilations", 1, 1),
                intAttr("group", group),
                intsAttr("kernel_shape", kernel[0], kernel[1]),
                intsAttr("pads", h.begin(), w.begin(), h.end(), w.end()),
                intsAttr("strides", strides[0], strides[1])));
        KerasTensor y = new KerasTensor(out, new long[] {x.dim(0), h.output(), w.output(), outChannels}, true);
        return Activations.apply(ctx, y, activation);
    }
}
