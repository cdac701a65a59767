package io.keshikaran.converter;

import java.util.Arrays;

/**
 * A Keras tensor during conversion: its name in the ONNX graph and its Keras (channels-last) shape.
 *
 * <p>Rank-4 tensors are kept in NCHW order in the ONNX graph ({@code channelsFirst}), since that is the layout
 * ONNX convolutions and pools use; the graph transposes the NHWC input once, and transposes back only where Keras
 * semantics depend on the memory order (Flatten). Tensors of other ranks keep the Keras order.
 *
 * @param onnxName the ONNX tensor name
 * @param shape the Keras shape, batch first; {@code -1} for the batch dimension
 * @param channelsFirst whether the ONNX tensor holds this rank-4 Keras tensor as NCHW
 */
record KerasTensor(String onnxName, long[] shape, boolean channelsFirst) {

    KerasTensor {
        shape = shape.clone();
        if (channelsFirst && shape.length != 4) {
            throw new IllegalArgumentException("Only rank-4 tensors are stored channels-first");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    int rank() {
        return shape.length;
    }

    /** @return Keras dimension {@code axis} (negative counts from the end) */
    long dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /**
     * @param kerasAxis an axis in Keras (channels-last) numbering, possibly negative
     * @return the same axis in the ONNX tensor's numbering
     */
    int onnxAxis(int kerasAxis) {
        int axis = kerasAxis < 0 ? shape.length + kerasAxis : kerasAxis;
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("Axis " + kerasAxis + " out of range for rank " + shape.length);
        }
        if (!channelsFirst) {
            return axis;
        }
        return switch (axis) {
            case 0 -> 0;
            case 1 -> 2;
            case 2 -> 3;
            default -> 1;
        };
    }

    /** @return the same tensor under another ONNX name */
    KerasTensor renamed(String name) {
        return new KerasTensor(name, shape, channelsFirst);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasTensor t && onnxName.equals(t.onnxName) && Arrays.equals(shape, t.shape)
                && channelsFirst == t.channelsFirst;
    }

    @Override
    public int hashCode() {
        return onnxName.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return onnxName + Arrays.toString(shape) + (channelsFirst ? " (NCHW)" : "");
    }
}
