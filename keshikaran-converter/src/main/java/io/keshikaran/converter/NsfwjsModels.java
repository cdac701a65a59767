package io.keshikaran.converter;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the models bundled in the npm package {@code nsfwjs} (two Keras layers models and one TensorFlow graph
 * model) and writes, per model, {@code model.onnx} and its {@code keshikaran-model.json} descriptor (format:
 * {@code docs/model-descriptor.md}).
 *
 * <p>The preprocessing written into the descriptors is nsfwjs's own ({@code infer} in {@code src/core.ts}):
 * RGB, divided by 255, {@code tf.image.resizeBilinear(..., alignCorners = true)} to the model's square size,
 * NHWC; nsfwjs feeds all three models this way. The models already end with a softmax over the five classes.
 */
public final class NsfwjsModels {

    /** The class labels in output index order. */
    public static final List<String> LABELS = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
    /** The labels whose probabilities add up to the explicitness score. */
    public static final List<String> SCORE_LABELS = List.of("Hentai", "Porn", "Sexy");
    /** The descriptor's file name. */
    public static final String DESCRIPTOR_FILE = "keshikaran-model.json";
    /** The ONNX file's name. */
    public static final String ONNX_FILE = "model.onnx";

    /** The models in nsfwjs 4.x. */
    public enum Model {
        /** MobileNetV2, 224×224, a Keras layers model. */
        MOBILENET_V2("mobilenet_v2"),
        /** InceptionV3, 299×299, a Keras layers model. */
        INCEPTION_V3("inception_v3"),
        /** MobileNetV2 (width 1.4) with a new head, 224×224, a TensorFlow graph model; nsfwjs's "MobileNetV2Mid". */
        MOBILENET_V2_MID("mobilenet_v2_mid");

        private final String id;

        Model(String id) {
            this.id = id;
        }

        /** @return the directory name under {@code dist/models/}, also used as the model name */
        public String id() {
            return id;
        }

        /** @return the model's directory inside the package */
        public String packageDirectory() {
            return "dist/models/" + id;
        }

        /**
         * @param id a value of {@link #id()}
         * @return the model
         */
        public static Model fromId(String id) {
            for (Model m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("Unknown nsfwjs model '" + id + "'; expected one of "
                    + Arrays.stream(values()).map(Model::id).toList());
        }
    }

    /**
     * One converted model.
     *
     * @param model which model
     * @param directory the directory holding its files
     * @param onnxBytes the ONNX file's size
     * @param onnxSha256 the ONNX file's SHA-256
     * @param inputSize the square input size
     */
    public record Converted(Model model, Path directory, long onnxBytes, String onnxSha256, int inputSize) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private NsfwjsModels() {
    }

    /**
     * Converts a model to ONNX in memory.
     *
     * @param pkg the nsfwjs package
     * @param model which model
     * @param storage how to store the weights
     * @return the ONNX model
     */
    public static ModelProto toOnnx(NpmPackage pkg, Model model, WeightStorage storage) {
        TfjsArtifacts tfjs = TfjsArtifacts.fromNpmBundle(pkg, model.packageDirectory());
        return toOnnx(pkg, model, tfjs, storage);
    }

    private static ModelProto toOnnx(NpmPackage pkg, Model model, TfjsArtifacts tfjs, WeightStorage storage) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("keshikaran.source", source(pkg, model));
        pkg.archiveSha256().ifPresent(sha -> metadata.put("keshikaran.source.sha256", sha));
        metadata.put("keshikaran.source.license", license(pkg));
        ModelProto onnx = TfjsToOnnxConverter.convert(tfjs,
                ConversionOptions.defaults().withWeightStorage(storage).withMetadata(metadata));
        long[] in = TfjsToOnnxConverter.inputShape(onnx);
        long[] out = TfjsToOnnxConverter.outputShape(onnx);
        if (in.length != 4 || in[1] != in[2] || in[3] != 3) {
            throw new ModelFormatException(model.id() + ": expected a square RGB NHWC input, got " + Arrays.toString(in));
        }
        if (!Arrays.equals(out, new long[] {-1, LABELS.size()})) {
            throw new ModelFormatException(model.id() + ": expected " + LABELS.size() + " outputs, got "
                    + Arrays.toString(out));
        }
        return onnx;
    }

    /**
     * Converts models and writes {@code <outDir>/<model>/model.onnx} and {@code keshikaran-model.json}.
     *
     * @param pkg the nsfwjs package
     * @param outDir the output root, e.g. {@code keshikaran-models/src/main/resources/io/keshikaran/models}
     * @param models which models
     * @param storage how to store the weights
     * @return what was written
     */
    public static List<Converted> convertAll(NpmPackage pkg, Path outDir, List<Model> models, WeightStorage storage) {
        if (!pkg.name().equals("nsfwjs")) {
            throw new ModelFormatException(pkg.origin() + " is the npm package '" + pkg.name() + "', not nsfwjs");
        }
        List<Converted> results = new ArrayList<>();
        for (Model model : models) {
            TfjsArtifacts tfjs = TfjsArtifacts.fromNpmBundle(pkg, model.packageDirectory());
            ModelProto onnx = toOnnx(pkg, model, tfjs, storage);
            byte[] bytes = onnx.toByteArray();
            int size = (int) TfjsToOnnxConverter.inputShape(onnx)[1];
            String sha = NpmPackage.sha256(bytes);
            Path dir = outDir.resolve(model.id());
            try {
                Files.createDirectories(dir);
                writeAtomically(dir.resolve(ONNX_FILE), bytes);
                String descriptor = descriptorJson(pkg, model, tfjs, size, sha);
                writeAtomically(dir.resolve(DESCRIPTOR_FILE), descriptor.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + dir, e);
            }
            results.add(new Converted(model, dir, bytes.length, sha, size));
        }
        return results;
    }

    /**
     * Builds the descriptor (see {@code docs/model-descriptor.md}).
     *
     * @param pkg the source package
     * @param model which model
     * @param tfjs the source model, for the source files' hashes
     * @param size the square input size
     * @param onnxSha256 the SHA-256 of {@code model.onnx}
     * @return the JSON text, with a trailing newline
     */
    static String descriptorJson(NpmPackage pkg, Model model, TfjsArtifacts tfjs, int size, String onnxSha256) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", model.id());
        root.put("version", pkg.name() + "-" + pkg.version());
        root.put("source", source(pkg, model));
        root.put("license", license(pkg));
        root.putObject("files").put("onnx", ONNX_FILE);

        ObjectNode input = root.putObject("input");
        input.put("name", "input");
        input.put("height", size);
        input.put("width", size);
        input.put("layout", "NHWC");
        input.put("channelOrder", "RGB");
        input.put("pixelDivisor", 255.0);
        input.putArray("mean").add(0.0).add(0.0).add(0.0);
        input.putArray("std").add(1.0).add(1.0).add(1.0);
        input.put("resize", "BILINEAR_ALIGN_CORNERS");
        input.put("resizeHeight", size);
        input.put("resizeWidth", size);
        input.put("crop", "NONE");

        ObjectNode output = root.putObject("output");
        output.put("name", "probabilities");
        output.put("activation", "NONE");
        ArrayNode labels = output.putArray("labels");
        LABELS.forEach(labels::add);
        ArrayNode scoreLabels = root.putObject("score").putArray("labels");
        SCORE_LABELS.forEach(scoreLabels::add);

        ObjectNode provenance = root.putObject("provenance");
        ObjectNode inputs = provenance.putObject("inputs");
        pkg.archiveFileName().ifPresent(name -> inputs.put(name, pkg.archiveSha256().orElseThrow()));
        // Keys of the package's own files are their paths inside the tarball, which start with "package/".
        tfjs.sourceSha256().forEach((path, sha) -> inputs.put("package/" + path, sha));
        provenance.putObject("outputs").put(ONNX_FILE, onnxSha256);
        provenance.put("generatedBy", "keshikaran-converter " + TfjsToOnnxConverter.version());
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
            // A fixed "\n" (not the platform separator) keeps the file byte-identical on every OS.
            printer.indentObjectsWith(new DefaultIndenter("  ", "\n"));
            return JSON.writer(printer).writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String source(NpmPackage pkg, Model model) {
        return "npm " + pkg.name() + "@" + pkg.version() + ", " + model.packageDirectory() + " (GantMan/nsfw_model)";
    }

    private static String license(NpmPackage pkg) {
        return pkg.packageJson().path("license").asText("UNKNOWN");
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
