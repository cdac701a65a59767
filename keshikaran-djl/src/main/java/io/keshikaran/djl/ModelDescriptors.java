package io.keshikaran.djl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelException;
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
            JsonNode input = object(root, "input", where);
            JsonNode output = object(root, "output", where);
            PreprocessingSpec.Builder spec = PreprocessingSpec.builder()
                    .setSize(integer(input, "height", where), integer(input, "width", where))
                    .optLayout(enumValue(input, "layout", Layout.class, Layout.NHWC, where))
                    .optChannelOrder(enumValue(input, "channelOrder", ChannelOrder.class, ChannelOrder.RGB, where))
                    .optPixelDivisor((float) number(input, "pixelDivisor", 255.0, where))
                    .optNormalization(floats(input, "mean", new float[] {0, 0, 0}, where),
                            floats(input, "std", new float[] {1, 1, 1}, where))
                    .optResize(enumValue(input, "resize", ResizeMethod.class, ResizeMethod.BILINEAR_ALIGN_CORNERS, where));
            CropMode crop = enumValue(input, "crop", CropMode.class, CropMode.NONE, where);
            if (crop == CropMode.CENTER) {
                spec.optCenterCrop(integer(input, "resizeHeight", where), integer(input, "resizeWidth", where));
            }
            List<String> labels = strings(output, "labels", where);
            JsonNode score = root.get("score");
            List<String> scoreLabels = score != null ? strings(score, "labels", where) : labels;
            ModelDescription description = ModelDescription.builder()
                    .setName(text(root, "name", null, where))
                    .optVersion(text(root, "version", "unversioned", where))
                    .optSource(text(root, "source", "unknown", where))
                    .optLicense(text(root, "license", "unknown", where))
                    .setPreprocessing(spec.build())
                    .setLabels(labels)
                    .optActivation(enumValue(output, "activation", OutputActivation.class, OutputActivation.NONE, where))
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
