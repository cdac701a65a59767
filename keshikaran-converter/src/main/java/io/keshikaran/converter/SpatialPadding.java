package io.keshikaran.converter;

/**
 * TensorFlow's {@code 'valid'} and {@code 'same'} padding for one spatial dimension, as explicit ONNX pads.
 *
 * <p>For {@code 'same'}, TensorFlow makes the output {@code ceil(in / stride)} long and pads
 * {@code max((out - 1) * stride + kernel - in, 0)} in total, putting the smaller half before and the extra
 * element after (bottom/right). That asymmetry is why explicit pads are written instead of ONNX's
 * {@code auto_pad}; {@code 'valid'} pads nothing and yields {@code floor((in - kernel) / stride) + 1}.
 *
 * @param begin padding before (top/left)
 * @param end padding after (bottom/right)
 * @param output the output length
 */
record SpatialPadding(int begin, int end, long output) {

    /**
     * @param site the layer or node, for error messages
     * @param padding {@code valid} or {@code same}
     * @param input the input length
     * @param kernel the (effective) kernel length
     * @param stride the stride
     * @return the padding
     */
    static SpatialPadding of(ConversionSite site, String padding, long input, int kernel, int stride) {
        if (kernel < 1 || stride < 1) {
            throw site.error("has a non-positive kernel size or stride");
        }
        return switch (padding) {
            case "valid" -> {
                if (input < kernel) {
                    throw site.error("has a " + kernel + "-wide window over an input of length " + input
                            + " with 'valid' padding: the output would be empty");
                }
                yield new SpatialPadding(0, 0, (input - kernel) / stride + 1);
            }
            case "same" -> {
                long out = (input + stride - 1) / stride;
                long total = Math.max((out - 1) * stride + kernel - input, 0);
                yield new SpatialPadding((int) (total / 2), (int) (total - total / 2), out);
            }
            default -> throw site.unsupported("padding", padding, "only 'valid' and 'same' are supported");
        };
    }

    /**
     * TensorFlow's {@code EXPLICIT} padding (graph models' {@code explicit_paddings}): the given pads, then a
     * {@code 'valid'} window, so the output is {@code floor((in + begin + end - kernel) / stride) + 1}.
     *
     * @param site the layer or node, for error messages
     * @param begin padding before
     * @param end padding after
     * @param input the input length
     * @param kernel the kernel length
     * @param stride the stride
     * @return the padding
     */
    static SpatialPadding explicit(ConversionSite site, long begin, long end, long input, int kernel, int stride) {
        if (begin < 0 || end < 0 || begin > Integer.MAX_VALUE || end > Integer.MAX_VALUE) {
            throw site.unsupported("explicit_paddings", begin + ", " + end, "pads must be non-negative ints");
        }
        SpatialPadding window = of(site, "valid", input + begin + end, kernel, stride);
        return new SpatialPadding((int) begin, (int) end, window.output());
    }
}
