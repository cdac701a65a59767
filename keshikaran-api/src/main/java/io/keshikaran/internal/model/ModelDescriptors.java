package io.keshikaran.internal.model;

import io.keshikaran.ModelDescription;
import io.keshikaran.ModelException;
import io.keshikaran.ModelPreset;
import io.keshikaran.OutputActivation;
import io.keshikaran.internal.json.Json;
import io.keshikaran.internal.json.JsonException;
import io.keshikaran.preprocess.ChannelOrder;
import io.keshikaran.preprocess.CropMode;
import io.keshikaran.preprocess.Layout;
import io.keshikaran.preprocess.PreprocessingSpec;
import io.keshikaran.preprocess.ResizeMethod;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code keshikaran-model.json} model descriptors (format: {@code docs/model-descriptor.md}).
 * Every error names the descriptor and the offending field. A descriptor may be at most
 * {@value #MAX_BYTES} bytes of UTF-8 and nest at most {@value #MAX_DEPTH} levels.
 */
public final class ModelDescriptors {
    /** The descriptor's file name, expected beside the model file and in each bundled model's folder. */
    public static final String FILE_NAME = "keshikaran-model.json";
    /** Largest descriptor read: real ones are 2 KB, so anything near this is the wrong file. */
    public static final int MAX_BYTES = 1 << 20;
    /** Deepest nesting allowed: descriptors nest 3 levels. */
    public static final int MAX_DEPTH = 32;

    private ModelDescriptors() {
    }

    /**
     * A parsed descriptor: the description plus the model file name per format ({@code files}).
     *
     * @param description the model's description
     * @param files       the {@code files} object: format key ({@code onnx}, {@code torchscript}) to file name
     */
    public record Descriptor(ModelDescription description, Map<String, String> files) {
        public Descriptor {
            files = Map.copyOf(files);
        }

        /**
         * The model file for one format.
         *
         * @param formatKey a key of the descriptor's {@code files} object, such as {@code onnx}
         * @return the file name, relative to the descriptor's folder; empty if there is none for this format
         */
        public Optional<String> file(String formatKey) {
            return Optional.ofNullable(files.get(formatKey));
        }
    }

    /**
     * Parses a descriptor that must name the model itself (or a preset, whose name it then takes).
     *
     * @param in    the descriptor's bytes (not closed)
     * @param where names the descriptor in error messages
     * @return the descriptor
     * @throws ModelException if it is not valid JSON or a field is missing or invalid
     */
    public static Descriptor read(InputStream in, String where) throws ModelException {
        return read(in, where, null);
    }

    /**
     * Parses a descriptor. A descriptor may name a {@link ModelPreset} in {@code "preset"}; then every
     * other field is optional and overrides the preset's value.
     *
     * @param in           the descriptor's bytes (not closed)
     * @param where        names the descriptor in error messages
     * @param fallbackName the model's name when the descriptor has none (the model file's name), or null
     * @return the descriptor
     * @throws ModelException if it cannot be read, is not valid JSON or a field is missing or invalid
     */
    public static Descriptor read(InputStream in, String where, String fallbackName) throws ModelException {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new ModelException(where + ": cannot read model descriptor: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new ModelException(where + ": model descriptor is larger than " + MAX_BYTES + " bytes");
        }
        Object root;
        try {
            root = Json.parse(bytes, MAX_DEPTH);
        } catch (JsonException e) {
            throw new ModelException(where + ": not a valid JSON model descriptor: " + e.getMessage(), e);
        }
        if (!(root instanceof Map)) {
            throw new ModelException(where + ": a model descriptor must be a JSON object");
        }
        return parse(asObject(root), where, fallbackName);
    }

    /**
     * Reads the descriptor beside a model file, whose name is the model's unless the descriptor names it.
     *
     * @param modelFile the model file
     * @return the descriptor; empty if there is no {@value #FILE_NAME} in the model file's folder
     * @throws ModelException if the descriptor cannot be read or is invalid; the message names it
     */
    public static Optional<Descriptor> besideModel(Path modelFile) throws ModelException {
        Path descriptor = modelFile.toAbsolutePath().resolveSibling(FILE_NAME);
        if (!Files.isRegularFile(descriptor)) {
            return Optional.empty();
        }
        return Optional.of(readFile(descriptor, stem(modelFile)));
    }

    /**
     * Reads a descriptor file.
     *
     * @param descriptor   the descriptor file
     * @param fallbackName the model's name when the descriptor has none, or null
     * @return the descriptor
     * @throws ModelException if it cannot be read or is invalid; the message names it
     */
    public static Descriptor readFile(Path descriptor, String fallbackName) throws ModelException {
        try (InputStream in = Files.newInputStream(descriptor)) {
            return read(in, descriptor.toString(), fallbackName);
        } catch (IOException e) {
            throw new ModelException(descriptor + ": cannot read model descriptor: " + e.getMessage(), e);
        }
    }

    /**
     * The model name a file gives when nothing else names the model.
     *
     * @param file a model file
     * @return its name without the extension
     */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static Descriptor parse(Map<String, Object> root, String where, String fallbackName) throws ModelException {
        try {
            ModelDescription base = null;
            if (root.get("preset") != null) {
                try {
                    base = ModelPreset.fromId(text(root, "preset", null, where)).description();
                } catch (IllegalArgumentException e) {
                    throw new ModelException(where + ": field 'preset': " + e.getMessage(), e);
                }
            }
            Map<String, Object> input = base == null ? object(root, "input", where) : optionalObject(root, "input", where);
            Map<String, Object> output = base == null ? object(root, "output", where) : optionalObject(root, "output", where);
            PreprocessingSpec.Builder spec = preprocessing(input, base == null ? null : base.preprocessing(), where);
            List<String> labels = output.containsKey("labels") || base == null
                    ? strings(output, "labels", where) : base.labels();
            Map<String, Object> score = optionalObject(root, "score", where);
            List<String> scoreLabels = score.containsKey("labels") ? strings(score, "labels", where)
                    : base != null && !output.containsKey("labels") ? base.scoreLabels() : labels;
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
            Map<String, String> files = new LinkedHashMap<>();
            Map<String, Object> fileObject = optionalObject(root, "files", where);
            for (String format : fileObject.keySet()) {
                if (fileObject.get(format) != null) {
                    files.put(format, text(fileObject, format, null, where));
                }
            }
            return new Descriptor(description, files);
        } catch (IllegalArgumentException e) {
            throw new ModelException(where + ": " + e.getMessage(), e);
        }
    }

    /** The {@code input} object over a base spec (a preset's), or over the defaults when there is none. */
    private static PreprocessingSpec.Builder preprocessing(Map<String, Object> input, PreprocessingSpec base,
                                                           String where) throws ModelException {
        PreprocessingSpec.Builder spec = base != null ? base.toBuilder() : PreprocessingSpec.builder();
        int height = base != null && !input.containsKey("height") ? base.height() : integer(input, "height", where);
        int width = base != null && !input.containsKey("width") ? base.width() : integer(input, "width", where);
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
            spec.optCenterCrop(
                    inherit && !input.containsKey("resizeHeight") ? base.resizeHeight() : integer(input, "resizeHeight", where),
                    inherit && !input.containsKey("resizeWidth") ? base.resizeWidth() : integer(input, "resizeWidth", where));
        } else {
            spec.optSquash();
            for (String field : List.of("resizeHeight", "resizeWidth")) {
                int size = field.equals("resizeHeight") ? height : width;
                if (input.containsKey(field) && integer(input, field, where) != size) {
                    throw new ModelException(where + ": field '" + field + "' differs from the input size, which needs "
                            + "\"crop\": \"CENTER\" (without a crop the image is resized straight to the input size)");
                }
            }
        }
        if (input.containsKey("jpegRoundTripQuality")) {
            spec.optJpegRoundTrip(integer(input, "jpegRoundTripQuality", where));
        }
        return spec;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> optionalObject(Map<String, Object> node, String field, String where)
            throws ModelException {
        Object v = node.get(field);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw new ModelException(where + ": field '" + field + "' must be an object");
        }
        return asObject(v);
    }

    private static Map<String, Object> object(Map<String, Object> node, String field, String where)
            throws ModelException {
        Object v = node.get(field);
        if (!(v instanceof Map)) {
            throw new ModelException(where + ": missing object '" + field + "'");
        }
        return asObject(v);
    }

    private static String text(Map<String, Object> node, String field, String fallback, String where)
            throws ModelException {
        Object v = node.get(field);
        if (v == null) {
            if (fallback == null) {
                throw new ModelException(where + ": missing field '" + field + "'");
            }
            return fallback;
        }
        if (!(v instanceof String)) {
            throw new ModelException(where + ": field '" + field + "' must be a string");
        }
        return (String) v;
    }

    private static int integer(Map<String, Object> node, String field, String where) throws ModelException {
        Object v = node.get(field);
        if (!(v instanceof Long) || (Long) v != ((Long) v).intValue()) {
            throw new ModelException(where + ": field '" + field + "' must be an integer");
        }
        return ((Long) v).intValue();
    }

    private static double number(Map<String, Object> node, String field, double fallback, String where)
            throws ModelException {
        if (!node.containsKey(field)) {
            return fallback;
        }
        Object v = node.get(field);
        if (!(v instanceof Number)) {
            throw new ModelException(where + ": field '" + field + "' must be a number");
        }
        return ((Number) v).doubleValue();
    }

    private static float[] floats(Map<String, Object> node, String field, float[] fallback, String where)
            throws ModelException {
        if (!node.containsKey(field)) {
            return fallback;
        }
        Object v = node.get(field);
        if (!(v instanceof List)) {
            throw new ModelException(where + ": field '" + field + "' must be an array of numbers");
        }
        List<?> list = (List<?>) v;
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number)) {
                throw new ModelException(where + ": field '" + field + "' must be an array of numbers");
            }
            out[i] = ((Number) list.get(i)).floatValue();
        }
        return out;
    }

    private static List<String> strings(Map<String, Object> node, String field, String where) throws ModelException {
        Object v = node.get(field);
        if (!(v instanceof List)) {
            throw new ModelException(where + ": field '" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object item : (List<?>) v) {
            if (!(item instanceof String)) {
                throw new ModelException(where + ": field '" + field + "' must be an array of strings");
            }
            out.add((String) item);
        }
        return out;
    }

    private static <E extends Enum<E>> E enumValue(Map<String, Object> node, String field, Class<E> type, E fallback,
                                                   String where) throws ModelException {
        Object v = node.get(field);
        if (v == null) {
            return fallback;
        }
        String s = String.valueOf(v).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            if (!(v instanceof String)) {
                throw new IllegalArgumentException("not a string");
            }
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new ModelException(where + ": field '" + field + "' is '" + v + "', expected one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
