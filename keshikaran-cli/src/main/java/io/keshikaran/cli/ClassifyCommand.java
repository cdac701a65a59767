package io.keshikaran.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.EngineUnavailableException;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelException;
import io.keshikaran.image.ImageLimits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code keshikaran FILE...}: scores images and prints one result per input. */
@Command(name = "keshikaran",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Scores how sexually explicit images are, from 0 (not at all) to 1 (explicit).",
            "",
            "With one input it prints the score (0.02); with several, one line per input: FILE<TAB>score.",
            "An input that can't be read is reported on stderr and the others are still classified.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Every input was classified (and, with --threshold, none scored at or above it).",
            "1:With --threshold: at least one image scored at or above it, and no input failed.",
            "2:Invalid command line.",
            "3:Some inputs could not be classified (each is reported on stderr); the others were.",
            "4:No input could be classified.",
            "5:The model or engine could not be loaded.",
        })
public final class ClassifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*",
            description = "Image files to classify; '-' reads one image from standard input.")
    List<String> inputs;

    @Option(names = "--json", description = "Print one JSON object per line: {\"file\", \"score\", \"model\", "
            + "\"probabilities\"} or {\"file\", \"error\"}.")
    boolean json;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = Classifier.DEFAULT_MODEL,
            description = "A bundled model (mobilenet_v2, inception_v3) or a model file (.onnx, .pt) "
                    + "with a keshikaran-model.json beside it. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "The inference engine: onnxruntime or pytorch. Default: the fastest one installed "
                    + "(or the keshikaran.engine system property / KESHIKARAN_ENGINE variable).")
    String engine;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Exit with 1 when any image scores at or above T (0..1).")
    Double threshold;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "" + ImageLimits.DEFAULT_MAX_PIXELS,
            description = "Refuse images with more pixels than this. Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Option(names = "--max-file-size", paramLabel = "BYTES", defaultValue = "" + ImageLimits.DEFAULT_MAX_FILE_BYTES,
            description = "Refuse image files larger than this. Default: ${DEFAULT-VALUE}.")
    long maxFileBytes;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces and engine logs.")
    boolean verbose;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threshold must be within 0..1, got " + threshold);
        }
        if (maxPixels <= 0 || maxFileBytes <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-pixels and --max-file-size must be positive");
        }
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        try (Classifier classifier = buildClassifier()) {
            int failed = 0;
            boolean reached = false;
            boolean single = inputs.size() == 1;
            for (String input : inputs) {
                try {
                    Classification c = classify(classifier, input);
                    reached |= threshold != null && c.score() >= threshold;
                    printResult(out, c, single);
                } catch (InvalidImageException e) {
                    failed++;
                    reportError(out, err, input, e);
                }
            }
            out.flush();
            if (failed > 0) {
                return failed == inputs.size() ? ExitCodes.ALL_FAILED : ExitCodes.SOME_FAILED;
            }
            return reached ? ExitCodes.THRESHOLD_REACHED : ExitCodes.OK;
        } catch (ModelException | EngineUnavailableException e) {
            err.println("keshikaran: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.MODEL_ERROR;
        }
    }

    private Classifier buildClassifier() throws ModelException {
        Classifier.Builder builder = Classifier.builder()
                .optImageLimits(new ImageLimits(maxFileBytes, maxPixels));
        if (looksLikePath(model)) {
            builder.optModelPath(Path.of(model));
        } else {
            builder.optModel(model);
        }
        if (engine != null) {
            builder.optEngine(engine);
        }
        return builder.build();
    }

    private static boolean looksLikePath(String model) {
        String lower = model.toLowerCase(Locale.ROOT);
        return model.contains("/") || model.contains("\\") || lower.endsWith(".onnx") || lower.endsWith(".pt")
                || Files.exists(Path.of(model));
    }

    private Classification classify(Classifier classifier, String input) throws InvalidImageException {
        if ("-".equals(input)) {
            InputStream stdin = System.in;
            return classifier.classify(stdin, "-");
        }
        return classifier.classify(Path.of(input));
    }

    private void printResult(PrintWriter out, Classification c, boolean single) {
        if (json) {
            ObjectNode node = mapper.createObjectNode();
            node.put("file", c.source());
            node.put("score", c.score());
            node.put("model", c.model().id());
            ObjectNode probabilities = node.putObject("probabilities");
            for (Map.Entry<String, Float> e : c.probabilities().entrySet()) {
                probabilities.put(e.getKey(), e.getValue());
            }
            out.println(node);
        } else if (single) {
            out.println(formatScore(c.score()));
        } else {
            out.println(c.source() + "\t" + formatScore(c.score()));
        }
    }

    private void reportError(PrintWriter out, PrintWriter err, String input, InvalidImageException e) {
        if (json) {
            ObjectNode node = mapper.createObjectNode();
            node.put("file", input);
            node.put("error", e.reason());
            out.println(node);
        }
        err.println("keshikaran: " + e.getMessage());
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    static String formatScore(double score) {
        return String.format(Locale.ROOT, "%.2f", score);
    }
}
