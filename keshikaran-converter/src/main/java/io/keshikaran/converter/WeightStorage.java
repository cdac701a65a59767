package io.keshikaran.converter;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How uint8-quantized source weights are stored in the ONNX file.
 *
 * <p>Every variant reproduces the float32 weights; they differ in file size and in whether the reproduction is
 * bit-exact. Tensors that are not uint8-quantized, and tensors so small that the uint8 form would not be smaller,
 * are always stored as float32.
 */
public enum WeightStorage {

    /** Dequantize in Java exactly as tfjs does and store float32 initializers. Largest file; bit-exact. */
    FLOAT32("float32"),

    /**
     * Store the uint8 values plus a 256-entry float32 table per tensor holding exactly the values tfjs computes
     * ({@code Cast(uint8→int32) → Gather(table)}). About 4× smaller than {@link #FLOAT32} and still bit-exact;
     * ONNX Runtime folds these constant subgraphs into plain initializers when the session loads.
     */
    UINT8_LUT("uint8-lut"),

    /**
     * Store the uint8 values with float32 scale and min ({@code Cast → Mul → Add}). About 4× smaller, but the
     * float32 arithmetic can differ from tfjs's double-precision dequantization in the last bit of a weight.
     */
    UINT8_AFFINE("uint8-affine");

    private final String id;

    WeightStorage(String id) {
        this.id = id;
    }

    /** @return the name used on the command line and in model metadata */
    public String id() {
        return id;
    }

    /**
     * @param id a name as returned by {@link #id()}
     * @return the storage variant
     * @throws IllegalArgumentException for an unknown name
     */
    public static WeightStorage fromId(String id) {
        for (WeightStorage s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown weight storage '" + id + "'; expected one of "
                + Arrays.stream(values()).map(WeightStorage::id).collect(Collectors.joining(", ")));
    }
}
