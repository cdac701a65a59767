package io.keshikaran.converter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of {@link TfjsToOnnxConverter}.
 *
 * @param inputName the ONNX graph input's name
 * @param outputName the ONNX graph output's name
 * @param batchDimension the symbolic name of the batch dimension
 * @param weightStorage how uint8 weights are stored
 * @param metadata extra {@code metadata_props} for the ONNX model, written in iteration order
 */
public record ConversionOptions(String inputName, String outputName, String batchDimension,
                                WeightStorage weightStorage, Map<String, String> metadata) {

    /** The storage the bundled models use; chosen from the measurements in {@code keshikaran-models/PROVENANCE.md}. */
    public static final WeightStorage DEFAULT_WEIGHT_STORAGE = WeightStorage.UINT8_LUT;

    /** Validates and defensively copies. */
    public ConversionOptions {
        Objects.requireNonNull(inputName, "inputName");
        Objects.requireNonNull(outputName, "outputName");
        Objects.requireNonNull(batchDimension, "batchDimension");
        Objects.requireNonNull(weightStorage, "weightStorage");
        if (inputName.equals(outputName)) {
            throw new IllegalArgumentException("The input and output must have different names");
        }
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** @return {@code input} → {@code probabilities}, batch {@code N}, {@link #DEFAULT_WEIGHT_STORAGE}, no metadata */
    public static ConversionOptions defaults() {
        return new ConversionOptions("input", "probabilities", "N", DEFAULT_WEIGHT_STORAGE, Map.of());
    }

    /**
     * @param storage the weight storage
     * @return a copy with that storage
     */
    public ConversionOptions withWeightStorage(WeightStorage storage) {
        return new ConversionOptions(inputName, outputName, batchDimension, storage, metadata);
    }

    /**
     * @param extra metadata entries to add (later entries replace earlier ones with the same key)
     * @return a copy with the entries added
     */
    public ConversionOptions withMetadata(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(metadata);
        merged.putAll(extra);
        return new ConversionOptions(inputName, outputName, batchDimension, weightStorage, merged);
    }
}
