package io.keshikaran.converter;

import java.util.Arrays;

/**
 * One entry of a tfjs {@code weightsManifest}: a named tensor stored at the next offset of the concatenated
 * weight data.
 *
 * @param name the weight's name, {@code <layer>/<weight>} (e.g. {@code Conv1/kernel})
 * @param shape the tensor shape
 * @param dtype the dequantized type; only {@code float32} is supported
 * @param quantization the quantization, or {@code null} for raw little-endian float32 data
 */
public record WeightSpec(String name, long[] shape, String dtype, Quantization quantization) {

    /** Copies the shape so the record stays immutable. */
    public WeightSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public int elementCount() {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new ModelFormatException("Weight '" + name + "' has a negative dimension: " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException("Weight '" + name + "' is too large: " + n + " elements");
        }
        return (int) n;
    }

    /** @return bytes occupied in the weight data */
    public long byteLength() {
        return (long) elementCount() * (quantization == null ? 4 : quantization.bytesPerElement());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightSpec w && name.equals(w.name) && Arrays.equals(shape, w.shape)
                && dtype.equals(w.dtype) && java.util.Objects.equals(quantization, w.quantization);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, Arrays.hashCode(shape), dtype, quantization);
    }

    @Override
    public String toString() {
        return "WeightSpec[" + name + " " + Arrays.toString(shape) + " " + dtype
                + (quantization == null ? "" : " " + quantization) + "]";
    }
}
