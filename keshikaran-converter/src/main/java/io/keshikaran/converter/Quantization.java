package io.keshikaran.converter;

/**
 * The affine quantization of one weight tensor in a tfjs weights manifest: {@code w = min + scale * q}.
 *
 * @param dtype the stored integer type, {@code uint8} or {@code uint16}
 * @param min the value of {@code q = 0}
 * @param scale the step between consecutive {@code q}
 */
public record Quantization(String dtype, double min, double scale) {

    /** @return bytes per stored element */
    public int bytesPerElement() {
        return switch (dtype) {
            case "uint8" -> 1;
            case "uint16" -> 2;
            default -> throw new IllegalStateException("Unsupported quantization dtype " + dtype);
        };
    }

    /**
     * Dequantizes one value exactly as tfjs does.
     *
     * <p>tfjs ({@code tf.io.decodeWeights}) computes {@code v * quantization.scale + quantization.min} with
     * JavaScript numbers, i.e. in double precision, and stores the result in a {@code Float32Array}, which rounds
     * to the nearest float. Doing the arithmetic in float instead, or as {@code min + scale * q} with a fused
     * multiply-add, can differ in the last bit; the order and the precision here are deliberate.
     *
     * @param q the stored integer
     * @param min {@link #min()}
     * @param scale {@link #scale()}
     * @return the float32 weight tfjs would use
     */
    public static float dequantize(int q, double min, double scale) {
        double value = q * scale + min;
        return (float) value;
    }

    /**
     * @param q the stored integer
     * @return the float32 weight tfjs would use for it
     */
    public float dequantize(int q) {
        return dequantize(q, min, scale);
    }
}
