package io.keshikaran.preprocess;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float32 tensor: the data in row-major order plus its shape. Immutable: {@link #data()}
 * is a read-only view, so tensors can be shared between threads without copying.
 */
public final class FloatTensor {
    private final float[] data;
    private final long[] shape;

    /**
     * Creates a tensor. The array is owned by the tensor afterwards: the caller must not modify it.
     *
     * @throws IllegalArgumentException if the shape's element count differs from {@code data.length}
     * @param data the values, row-major
     * @param shape the dimensions; their product is the number of values
     */
    public FloatTensor(float[] data, long... shape) {
        this.data = Objects.requireNonNull(data, "data");
        this.shape = shape.clone();
        long count = 1;
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("shape dimensions must be positive: " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, d);
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " values but data has " + data.length);
        }
    }

    /**
     * A read-only view of the values, positioned at 0.
     *
     * @return a read-only view of the values, positioned at 0
     */
    public FloatBuffer data() {
        return FloatBuffer.wrap(data).asReadOnlyBuffer();
    }

    /**
     * A copy of the values.
     *
     * @return a copy of the values
     */
    public float[] toArray() {
        return data.clone();
    }

    /**
     * The value at flat (row-major) index {@code i}.
     *
     * @param i the flat index
     * @return the value at flat (row-major) index {@code i}
     */
    public float get(int i) {
        return data[i];
    }

    /**
     * A copy of the shape.
     *
     * @return a copy of the shape
     */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * The number of values.
     *
     * @return the number of values
     */
    public int size() {
        return data.length;
    }

    /**
     * Stacks tensors of identical shape {@code [1, ...]} into one {@code [n, ...]} batch.
     *
     * @throws IllegalArgumentException if the tensors are not all of the same {@code [1, ...]} shape
     * @param items tensors of shape {@code [1, ...]}
     * @return the {@code [n, ...]} batch
     */
    public static FloatTensor stack(java.util.List<FloatTensor> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("cannot stack zero tensors");
        }
        long[] first = items.get(0).shape;
        if (first.length == 0 || first[0] != 1) {
            throw new IllegalArgumentException("stack needs [1, ...] tensors, got " + Arrays.toString(first));
        }
        int each = items.get(0).data.length;
        float[] out = new float[Math.multiplyExact(each, items.size())];
        for (int i = 0; i < items.size(); i++) {
            FloatTensor t = items.get(i);
            if (!Arrays.equals(t.shape, first)) {
                throw new IllegalArgumentException("cannot stack " + Arrays.toString(t.shape) + " with " + Arrays.toString(first));
            }
            System.arraycopy(t.data, 0, out, i * each, each);
        }
        long[] shape = first.clone();
        shape[0] = items.size();
        return new FloatTensor(out, shape);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
