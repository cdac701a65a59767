package io.keshikaran.converter;

import ai.onnx.proto.OnnxMl.ModelProto;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command line of the converter.
 *
 * <pre>
 * convert (--tarball nsfwjs-4.4.0.tgz | --package DIR) --out DIR
 *         [--models mobilenet_v2,inception_v3,mobilenet_v2_mid] [--weights uint8-lut|float32|uint8-affine]
 * convert-model --model-json model.json --output model.onnx
 *         [--weights ...] [--input-name input] [--output-name output]
 * </pre>
 *
 * Exit status: 0 on success, 1 when the conversion fails, 2 on a usage error.
 */
public final class Main {

    private static final String USAGE = String.join("\n",
            "Usage:",
            "  convert (--tarball nsfwjs-4.4.0.tgz | --package DIR) --out DIR",
            "          [--models mobilenet_v2,inception_v3,mobilenet_v2_mid] [--weights uint8-lut|float32|uint8-affine]",
            "      Converts the nsfwjs models (default: all three); writes DIR/<model>/model.onnx and",
            "      keshikaran-model.json.",
            "  convert-model --model-json model.json --output model.onnx",
            "          [--weights uint8-lut|float32|uint8-affine] [--input-name input] [--output-name output]",
            "      Converts one standard TensorFlow.js layers or graph model (model.json + binary weight files).");

    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a command without exiting the JVM.
     *
     * @param args the command line
     * @param out where results are printed
     * @param err where errors are printed
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Map<String, String> options;
        try {
            options = parseOptions(Arrays.copyOfRange(args, 1, args.length));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            return switch (args[0]) {
                case "convert" -> convertNsfwjs(options, out, err);
                case "convert-model" -> convertModel(options, out, err);
                default -> {
                    err.println("Unknown command '" + args[0] + "'");
                    err.println(USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (ModelFormatException | IOException | java.io.UncheckedIOException e) {
            err.println("Conversion failed: " + e.getMessage());
            return 1;
        }
    }

    private static int convertNsfwjs(Map<String, String> options, PrintStream out, PrintStream err) {
        allowOnly(options, Set.of("tarball", "package", "out", "models", "weights"));
        String tarball = options.get("tarball");
        String dir = options.get("package");
        if ((tarball == null) == (dir == null)) {
            throw new IllegalArgumentException("Give exactly one of --tarball and --package");
        }
        Path outDir = Path.of(required(options, "out"));
        List<NsfwjsModels.Model> models = new ArrayList<>();
        for (String id : options.getOrDefault("models", "mobilenet_v2,inception_v3,mobilenet_v2_mid").split(",")) {
            models.add(NsfwjsModels.Model.fromId(id.trim()));
        }
        WeightStorage storage = storage(options);
        NpmPackage pkg = tarball != null ? NpmPackage.fromTarball(Path.of(tarball)) : NpmPackage.fromDirectory(Path.of(dir));
        out.println("Source: " + pkg.name() + "@" + pkg.version() + " from " + pkg.origin()
                + pkg.archiveSha256().map(s -> " (sha256 " + s + ")").orElse(""));
        for (NsfwjsModels.Converted c : NsfwjsModels.convertAll(pkg, outDir, models, storage)) {
            out.printf("%s: %dx%d, weights %s -> %s (%d bytes, sha256 %s)%n", c.model().id(), c.inputSize(),
                    c.inputSize(), storage.id(), c.directory().resolve(NsfwjsModels.ONNX_FILE), c.onnxBytes(),
                    c.onnxSha256());
        }
        return 0;
    }

    private static int convertModel(Map<String, String> options, PrintStream out, PrintStream err) throws IOException {
        allowOnly(options, Set.of("model-json", "output", "weights", "input-name", "output-name"));
        Path modelJson = Path.of(required(options, "model-json"));
        Path output = Path.of(required(options, "output"));
        ConversionOptions defaults = ConversionOptions.defaults();
        ConversionOptions conversion = new ConversionOptions(options.getOrDefault("input-name", defaults.inputName()),
                options.getOrDefault("output-name", "output"), defaults.batchDimension(), storage(options), Map.of());
        ModelProto onnx = TfjsToOnnxConverter.convert(TfjsArtifacts.fromModelJson(modelJson), conversion);
        byte[] bytes = onnx.toByteArray();
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(output, bytes);
        out.printf("%s -> %s (%d bytes, sha256 %s)%n", modelJson, output, bytes.length, NpmPackage.sha256(bytes));
        return 0;
    }

    private static WeightStorage storage(Map<String, String> options) {
        String id = options.get("weights");
        return id == null ? ConversionOptions.DEFAULT_WEIGHT_STORAGE : WeightStorage.fromId(id);
    }

    private static Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("Unexpected argument '" + arg + "'");
            }
            String key;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                key = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option " + arg + " needs a value");
                }
                key = arg.substring(2);
                value = args[++i];
            }
            if (options.put(key, value) != null) {
                throw new IllegalArgumentException("Option --" + key + " given twice");
            }
        }
        return options;
    }

    private static void allowOnly(Map<String, String> options, Set<String> allowed) {
        for (String key : options.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("Unknown option --" + key);
            }
        }
    }

    private static String required(Map<String, String> options, String key) {
        String v = options.get(key);
        if (v == null) {
            throw new IllegalArgumentException("Missing option --" + key);
        }
        return v;
    }
}
