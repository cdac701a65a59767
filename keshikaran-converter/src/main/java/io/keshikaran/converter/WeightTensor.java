package io.keshikaran.converter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One decoded weight tensor: the stored integers (for quantized weights) and the float32 values that tfjs
 * computes from them.
 */
public final class WeightTensor {

    private final WeightSpec spec;
    private final int[] quantized;
    private final float[] values;

    private WeightTensor(WeightSpec spec, int[] quantized, float[] values) {
        this.spec = spec;
        this.quantized = quantized;
        this.values = values;
    }

    /**
     * Decodes a tensor from its bytes in the weight data, as {@code tf.io.decodeWeights} does: little-endian
     * {@code uint8}/{@code uint16} values dequantized with {@link Quantization#dequantize(int, double, double)},
     * or raw little-endian float32.
     *
     * @param spec the manifest entry
     * @param data the whole weight data
     * @param offset where this tensor starts
     * @return the tensor
     */
    static WeightTensor decode(WeightSpec spec, byte[] data, int offset) {
        int n = spec.elementCount();
        Quantization q = spec.quantization();
        if (q == null) {
            float[] values = new float[n];
            ByteBuffer.wrap(data, offset, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return new WeightTensor(spec, null, values);
        }
        int[] ints = new int[n];
        float[] values = new float[n];
        if (q.bytesPerElement() == 1) {
            for (int i = 0; i < n; i++) {
                ints[i] = data[offset + i] & 0xFF;
            }
        } else {
            for (int i = 0; i < n; i++) {
                int p = offset + 2 * i;
                ints[i] = (data[p] & 0xFF) | ((data[p + 1] & 0xFF) << 8);
            }
        }
        for (int i = 0; i < n; i++) {
            values[i] = Quantization.dequantize(ints[i], q.min(), q.scale());
        }
        return new WeightTensor(spec, ints, values);
    }

    /** @return the manifest entry */
    public WeightSpec spec() {
        return spec;
    }

    /** @return the weight's name */
    public String name() {
        return spec.name();
    }

    /** @return the tensor shape */
    public long[] shape() {
        return spec.shape();
    }

    /** @return whether the tensor is stored as uint8 (and so can be stored as uint8 in ONNX too) */
    public boolean isUint8() {
        return spec.quantization() != null && spec.quantization().bytesPerElement() == 1;
    }

    /** @return a copy of the float32 values tfjs would use, in the tensor's row-major order */
    public float[] values() {
        return values.clone();
    }

    /** @return a copy of the stored integers, or {@code null} when the tensor is not quantized */
    public int[] quantizedValues() {
        return quantized == null ? null : quantized.clone();
    }

    /** Package-private, uncopied access for the converter, which never modifies the arrays. */
    float[] valuesView() {
        return values;
    }

    int[] quantizedView() {
        return quantized;
    }
}
