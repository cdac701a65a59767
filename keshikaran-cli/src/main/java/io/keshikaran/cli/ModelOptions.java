package io.keshikaran.cli;

import io.keshikaran.Classifier;
import io.keshikaran.EngineUnavailableException;
import io.keshikaran.ModelException;
import io.keshikaran.image.ImageLimits;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/** The options every command that loads a model shares: model, engine, image limits, verbosity. */
final class ModelOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = Classifier.DEFAULT_MODEL,
            description = "A bundled model (mobilenet_v2_mid, mobilenet_v2, inception_v3) or a model file (.onnx, .pt) "
                    + "with a keshikaran-model.json beside it. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "The inference engine: onnxruntime or pytorch. Default: the fastest one installed "
                    + "(or the keshikaran.engine system property / KESHIKARAN_ENGINE variable).")
    String engine;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "" + ImageLimits.DEFAULT_MAX_PIXELS,
            description = "Refuse images with more pixels than this. Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Option(names = "--max-file-size", paramLabel = "BYTES", defaultValue = "" + ImageLimits.DEFAULT_MAX_FILE_BYTES,
            description = "Refuse image files larger than this. Default: ${DEFAULT-VALUE}.")
    long maxFileBytes;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces and engine logs.")
    boolean verbose;

    /** A preset and description fields for a model file of one's own. */
    @CommandLine.Mixin
    DescriptionOptions description;

    /** Checks the values picocli cannot check by type, and raises logging with --verbose. */
    void validate(CommandLine commandLine) {
        if (maxPixels <= 0 || maxFileBytes <= 0) {
            throw new CommandLine.ParameterException(commandLine, "--max-pixels and --max-file-size must be positive");
        }
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
    }

    ImageLimits limits() {
        return new ImageLimits(maxFileBytes, maxPixels);
    }

    /** A builder for the chosen model, engine and limits; commands may add to it. */
    Classifier.Builder classifierBuilder() {
        return classifierBuilder(model);
    }

    /** A builder for {@code model} (a bundled name or a file) with these options' engine and limits. */
    Classifier.Builder classifierBuilder(String model) {
        Classifier.Builder builder = Classifier.builder().optImageLimits(limits());
        Path file = Classifier.modelFile(model).orElse(null);
        if (file != null) {
            builder.optModelPath(file);
        } else {
            builder.optModel(model);
        }
        description.describe(mixee.commandLine(), model, file).ifPresent(builder::optModelDescription);
        if (engine != null) {
            builder.optEngine(engine);
        }
        return builder;
    }

    Classifier buildClassifier() throws ModelException {
        return classifierBuilder().build();
    }

    /**
     * The message to print for a model or engine error. When PyTorch is missing from an installed CLI
     * (its jars in a {@code lib/} folder), it also says how to add it there.
     *
     * @param e the error
     * @return its message, with the installation's remedy when there is one
     */
    static String errorMessage(Exception e) {
        String message = e.getMessage();
        if (!(e instanceof EngineUnavailableException) || !message.contains("ai.djl.pytorch:pytorch-engine")) {
            return message;
        }
        return installedLib().map(lib -> message + "; in this installation, use the keshikaran "
                + "-pytorch-linux-x86_64 archive instead, or copy those jars and io.keshikaran:keshikaran-models-torchscript "
                + "into " + lib).orElse(message);
    }

    /** The {@code lib/} folder the CLI runs from, if it runs from the jars of an installation. */
    private static Optional<Path> installedLib() {
        try {
            CodeSource source = ModelOptions.class.getProtectionDomain().getCodeSource();
            Path jar = source == null ? null : Path.of(source.getLocation().toURI());
            Path lib = jar == null || !Files.isRegularFile(jar) ? null : jar.getParent();
            return lib != null && lib.getFileName() != null && lib.getFileName().toString().equals("lib")
                    ? Optional.of(lib) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
