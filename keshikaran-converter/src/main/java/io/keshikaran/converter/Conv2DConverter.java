package io.keshikaran.converter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

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
        WeightTensor kernelWeight;
        if (depthwise) {
            int multiplier = config.integer("depth_multiplier", 1);
            if (multiplier < 1) {
                throw ctx.unsupported("depth_multiplier", multiplier, "must be positive");
            }
            outChannels = inChannels * multiplier;
            kernelWeight = ctx.weight("depthwise_kernel", kernel[0], kernel[1], inChannels, multiplier);
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
            kernelWeight = ctx.weight("kernel", kernel[0], kernel[1], inChannels, filters);
        }
        WeightTensor biasWeight = useBias ? ctx.weight("bias", outChannels) : null;
        SpatialPadding h = SpatialPadding.of(ctx, padding, x.dim(1), kernel[0], strides[0]);
        SpatialPadding w = SpatialPadding.of(ctx, padding, x.dim(2), kernel[1], strides[1]);
        KerasTensor y = emit(ctx.graph(), x, kernelWeight, biasWeight, depthwise, h, w, strides,
                () -> Activations.isLinear(activation) ? ctx.outputName() : ctx.name("conv"));
        return Activations.apply(ctx, y, activation);
    }

    /**
     * Adds the ONNX {@code Conv} of a TensorFlow (depthwise) convolution; shared by the layers and graph converters.
     *
     * @param g the graph
     * @param x the NCHW input
     * @param kernel the TensorFlow kernel, HWIO {@code [kh, kw, in, out]}, or {@code [kh, kw, in, multiplier]} for a
     *     depthwise convolution; its {@code in} must be the input's channel count
     * @param bias the {@code [out]} bias, or {@code null}
     * @param depthwise whether this is a depthwise convolution
     * @param h the padding along the height
     * @param w the padding along the width
     * @param strides the strides along height and width
     * @param out reserves the output's name (after the weights', so names are assigned in a stable order)
     * @return the NCHW output
     */
    static KerasTensor emit(OnnxGraphBuilder g, KerasTensor x, WeightTensor kernel, WeightTensor bias,
                            boolean depthwise, SpatialPadding h, SpatialPadding w, int[] strides,
                            Supplier<String> out) {
        long[] k = kernel.shape();
        long outChannels = depthwise ? k[2] * k[3] : k[3];
        String kernelName = depthwise
                ? g.weight(kernel.name(), kernel, new int[] {2, 3, 0, 1}, outChannels, 1, k[0], k[1])
                : g.weight(kernel.name(), kernel, new int[] {3, 2, 0, 1}, outChannels, k[2], k[0], k[1]);
        List<String> inputs = new ArrayList<>(List.of(x.onnxName(), kernelName));
        if (bias != null) {
            inputs.add(g.weight(bias.name(), bias, null, outChannels));
        }
        String name = out.get();
        g.node("Conv", inputs, name, List.of(
                intsAttr("dilations", 1, 1),
                intAttr("group", depthwise ? k[2] : 1),
                intsAttr("kernel_shape", k[0], k[1]),
                intsAttr("pads", h.begin(), w.begin(), h.end(), w.end()),
                intsAttr("strides", strides[0], strides[1])));
        return new KerasTensor(name, new long[] {x.dim(0), h.output(), w.output(), outChannels}, true);
    }
}
