package io.keshikaran.djl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelException;
import io.keshikaran.ModelPreset;
import io.keshikaran.OutputActivation;
import io.keshikaran.preprocess.ChannelOrder;
import io.keshikaran.preprocess.CropMode;
import io.keshikaran.preprocess.Layout;
import io.keshikaran.preprocess.PreprocessingSpec;
import io.keshikaran.preprocess.ResizeMethod;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code keshikaran-model.json} model descriptors (format: {@code docs/model-descriptor.md}).
 * Every error names the descriptor and the offending field.
 */
public final class ModelDescriptors {
    /** The descriptor's file name, expected beside the model file. */
    public static final String FILE_NAME = "keshikaran-model.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelDescriptors() {
    }

    /** A parsed descriptor: the description plus the model file name per format. */
    public record Descriptor(ModelDescription description, Optional<String> onnxFile,
                             Optional<String> torchScriptFile, Optional<String> inputName) {
    }

    /**
     * Parses a descriptor.
     *
     * @param where names the descriptor in error messages
     * @throws ModelException if it is not valid JSON or a field is missing or invalid
     */
    public static Descriptor read(InputStream in, String where) throws ModelException {
        return read(in, where, null);
    }

    /**
     * Parses a descriptor. A descriptor may name a {@link ModelPreset} in {@code "preset"}; then every
     * other field is optional and overrides the preset's value.
     *
     * @param where        names the descriptor in error messages
     * @param fallbackName the model's name when the descriptor has none (the model file's name), or null
     * @throws ModelException if it is not valid JSON or a field is missing or invalid
     */
    public static Descriptor read(InputStream in, String where, String fallbackName) throws ModelException {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new ModelException(where + ": not a valid JSON model descriptor: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelException(where + ": cannot read model descriptor: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(where + ": a model descriptor must be a JSON object");
        }
        try {
            ModelDescription base = null;
            if (root.hasNonNull("preset")) {
                try {
                    base = ModelPreset.fromId(text(root, "preset", null, where)).description();
                } catch (IllegalArgumentException e) {
                    throw new ModelException(where + ": field 'preset': " + e.getMessage(), e);
                }
            }
            JsonNode input = base == null ? object(root, "input", where) : optionalObject(root, "input", where);
            JsonNode output = base == null ? object(root, "output", where) : optionalObject(root, "output", where);
            PreprocessingSpec.Builder spec = preprocessing(input, base == null ? null : base.preprocessing(), where);
            List<String> labels = output.has("labels") || base == null
                    ? strings(output, "labels", where) : base.labels();
            JsonNode score = root.get("score");
            List<String> scoreLabels = score != null ? strings(score, "labels", where)
                    : base != null && !output.has("labels") ? base.scoreLabels() : labels;
            String name = text(root, "name", base != null && fallbackName == null ? base.name() : fallbackName, where);
            ModelDescription description = ModelDescription.builder()
                    .setName(name)
                    .optVersion(text(root, "version", base != null ? base.version() : "unversioned", where))
                    .optSource(text(root, "source", base != null ? base.source() : "unknown", where))
                    .optLicense(text(root, "license", base != null ? base.license() : "unknown", where))
                    .setPreprocessing(spec.build())
                    .setLabels(labels)
                    .optActivation(enumValue(output, "activation", OutputActivation.class,
                            base != null ? base.activation() : OutputActivation.NONE, where))
                    .setScoreLabels(scoreLabels)
                    .build();
            JsonNode files = root.path("files");
            return new Descriptor(description,
                    Optional.ofNullable(files.path("onnx").textValue()),
                    Optional.ofNullable(files.path("torchscript").textValue()),
                    Optional.ofNullable(input.path("name").textValue()));
        } catch (IllegalArgumentException e) {
            throw new ModelException(where + ": " + e.getMessage(), e);
        }
    }

    /** The {@code input} object over a base spec (a preset's), or over the defaults when there is none. */
    private static PreprocessingSpec.Builder preprocessing(JsonNode input, PreprocessingSpec base, String where)
            throws ModelException {
        PreprocessingSpec.Builder spec = base != null ? base.toBuilder() : PreprocessingSpec.builder();
        int height = base != null && !input.has("height") ? base.height() : integer(input, "height", where);
        int width = base != null && !input.has("width") ? base.width() : integer(input, "width", where);
        spec.setSize(height, width)
                .optLayout(enumValue(input, "layout", Layout.class, base != null ? base.layout() : Layout.NHWC, where))
                .optChannelOrder(enumValue(input, "channelOrder", ChannelOrder.class,
                        base != null ? base.channelOrder() : ChannelOrder.RGB, where))
                .optPixelDivisor((float) number(input, "pixelDivisor", base != null ? base.pixelDivisor() : 255.0, where))
                .optNormalization(floats(input, "mean", base != null ? base.mean() : new float[] {0, 0, 0}, where),
                        floats(input, "std", base != null ? base.std() : new float[] {1, 1, 1}, where))
                .optResize(enumValue(input, "resize", ResizeMethod.class,
                        base != null ? base.resize() : ResizeMethod.BILINEAR_ALIGN_CORNERS, where));
        CropMode crop = enumValue(input, "crop", CropMode.class, base != null ? base.crop() : CropMode.NONE, where);
        if (crop == CropMode.CENTER) {
            boolean inherit = base != null && base.crop() == CropMode.CENTER;
            spec.optCenterCrop(inherit && !input.has("resizeHeight") ? base.resizeHeight() : integer(input, "resizeHeight", where),
                    inherit && !input.has("resizeWidth") ? base.resizeWidth() : integer(input, "resizeWidth", where));
        } else {
            spec.optSquash();
            for (String field : List.of("resizeHeight", "resizeWidth")) {
                int size = field.equals("resizeHeight") ? height : width;
                if (input.has(field) && integer(input, field, where) != size) {
                    throw new ModelException(where + ": field '" + field + "' differs from the input size, which needs "
                            + "\"crop\": \"CENTER\" (without a crop the image is resized straight to the input size)");
                }
            }
        }
        if (input.has("jpegRoundTripQuality")) {
            spec.optJpegRoundTrip(integer(input, "jpegRoundTripQuality", where));
        }
        return spec;
    }

    private static JsonNode optionalObject(JsonNode node, String field, String where) throws ModelException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return MAPPER.createObjectNode();
        }
        if (!v.isObject()) {
            throw new ModelException(where + ": field '" + field + "' must be an object");
        }
        return v;
    }

    private static JsonNode object(JsonNode node, String field, String where) throws ModelException {
        JsonNode v = node.get(field);
        if (v == null || !v.isObject()) {
            throw new ModelException(where + ": missing object '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode node, String field, String fallback, String where) throws ModelException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                throw new ModelException(where + ": missing field '" + field + "'");
            }
            return fallback;
        }
        if (!v.isTextual()) {
            throw new ModelException(where + ": field '" + field + "' must be a string");
        }
        return v.textValue();
    }

    private static int integer(JsonNode node, String field, String where) throws ModelException {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ModelException(where + ": field '" + field + "' must be an integer");
        }
        return v.intValue();
    }

    private static double number(JsonNode node, String field, double fallback, String where) throws ModelException {
        JsonNode v = node.get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new ModelException(where + ": field '" + field + "' must be a number");
        }
        return v.doubleValue();
    }

    private static float[] floats(JsonNode node, String field, float[] fallback, String where) throws ModelException {
        JsonNode v = node.get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isArray()) {
            throw new ModelException(where + ": field '" + field + "' must be an array of numbers");
        }
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isNumber()) {
                throw new ModelException(where + ": field '" + field + "' must be an array of numbers");
            }
            out[i] = (float) v.get(i).doubleValue();
        }
        return out;
    }

    private static List<String> strings(JsonNode node, String field, String where) throws ModelException {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new ModelException(where + ": field '" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new ModelException(where + ": field '" + field + "' must be an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, String field, Class<E> type, E fallback,
                                                   String where) throws ModelException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        String s = v.asText().trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new ModelException(where + ": field '" + field + "' is '" + v.asText() + "', expected one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
