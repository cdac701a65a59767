package io.keshikaran.cli;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.EngineUnavailableException;
import io.keshikaran.InferenceException;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageInput;
import io.keshikaran.video.VideoClassification;
import io.keshikaran.video.VideoClassifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** {@code keshikaran FILE...}: scores images and prints one result per input. */
@Command(name = "keshikaran",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Scores how sexually explicit images are, from 0 (not at all) to 1 (explicit).",
            "",
            "With one file it prints the score (0.02); otherwise one line per image, FILE<TAB>score, as results "
                + "arrive, and a summary on stderr. Folders are scanned recursively. An input that can't be read "
                + "is reported on stderr and the others are still classified.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Every input was classified (and, with --threshold, none scored at or above it).",
            "1:With --threshold: at least one image scored at or above it, and no input failed.",
            "2:Invalid command line.",
            "3:Some inputs could not be classified (each is reported on stderr); the others were.",
            "4:No input could be classified.",
            "5:The model or engine could not be loaded, or failed.",
        })
public final class ClassifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ModelOptions modelOptions;

    @CommandLine.Mixin
    ImageOptions imageOptions;

    @CommandLine.Mixin
    VideoOptions videoOptions;

    // Optional for picocli, so that subcommands such as 'report' parse; call() still requires an input.
    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Image files or folders; '-' reads one image from standard input.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--files-from", paramLabel = "LIST",
            description = "Also classify the files listed in LIST, one path per line ('-' for standard input).")
    String filesFrom;

    @CommandLine.Mixin
    ScanOptions scanOptions;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output: text, json (one object per line) or csv. Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Option(names = "--json", description = "Same as --format json: {\"file\", \"score\", \"model\", "
            + "\"probabilities\", \"image\"} (plus \"frames\": [{\"index\", \"score\"}...] for animations) or "
            + "{\"file\", \"error\", \"kind\"} per line.")
    boolean json;

    @Option(names = "--order", paramLabel = "ORDER", defaultValue = "input",
            description = "Print results in input order, or as they complete (completion). Default: ${DEFAULT-VALUE}.")
    BatchOptions.Order order;



    @Option(names = "--threshold", paramLabel = "T",
            description = "Exit with 1 when any image scores at or above T (0..1).")
    Double threshold;

    // 4, not the library's 8: 8 images per engine call raised a folder scan's peak RSS by about
    // 30 MiB for no speed (docs/performance.md, "Batch size in the CLI").
    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "4",
            description = "Images per engine call. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N",
            description = "Decoding threads. Default: one per core (decoding large photos dominates; see docs/performance.md).")
    Integer decodeThreads;


    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            description = "Progress line on stderr: auto (when stderr is a terminal), always or never. Default: ${DEFAULT-VALUE}.")
    ProgressMode progress;

    /** When the progress line is shown. */
    enum ProgressMode { AUTO, ALWAYS, NEVER }




    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OutputFormat outputFormat = json ? OutputFormat.JSON : format;
        if (inputs.isEmpty() && filesFrom == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'FILE'");
        }
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threshold must be within 0..1, got " + threshold);
        }
        if (batchSize < 1 || (decodeThreads != null && decodeThreads < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size and --threads must be positive");
        }
        modelOptions.validate(spec.commandLine());
        boolean single = filesFrom == null && inputs.size() == 1
                && ("-".equals(inputs.get(0)) || !Files.isDirectory(Path.of(inputs.get(0))));
        boolean live = switch (progress) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> !single && Boolean.getBoolean("keshikaran.stderr.tty");
        };

        Classifier.Builder builder = modelOptions.classifierBuilder();
        builder.optDecodeOptions(imageOptions.toDecodeOptions(spec.commandLine()));
        try (Classifier classifier = builder.build()) {
            // One video named alone skips the image pipeline and draws no progress line (a single
            // file has no count to show); it is printed and counted as a video in a folder is.
            boolean singleVideo = single && VideoRunner.isVideo(inputs.get(0));
            OutputFormat.Printer printer = outputFormat.printer(out, classifier.description().labels(), single);
            Progress bar = new Progress(err, live && !singleVideo);
            AtomicBoolean reached = new AtomicBoolean();
            Consumer<InvalidImageException> onError = e -> {
                synchronized (out) {
                    bar.update(false);
                    bar.clearLine();
                    printer.error(e);
                    out.flush();
                    err.println("keshikaran: " + e.getMessage());
                    if (modelOptions.verbose) {
                        e.printStackTrace(err);
                    }
                    err.flush();
                }
            };
            List<Path> videos = new ArrayList<>();
            if (singleVideo) {
                videos.add(Path.of(inputs.get(0)));
            } else {
                classifyImages(classifier, printer, bar, reached, onError, videos);
            }
            if (!videos.isEmpty()) {
                VideoClassifier videoClassifier = videoOptions.toVideoClassifier(spec.commandLine(), classifier);
                for (Path video : videos) {
                    try {
                        VideoClassification v = videoClassifier.classify(video);
                        printResult(out, bar, reached, v.score(), () -> VideoRunner.print(v, outputFormat, printer, out));
                    } catch (InvalidImageException e) {
                        onError.accept(e);
                    }
                }
            }
            if (!single) {
                bar.summary();
            }
            long failed = bar.failed();
            if (failed > 0) {
                return failed == bar.done() ? ExitCodes.ALL_FAILED : ExitCodes.SOME_FAILED;
            }
            return reached.get() ? ExitCodes.THRESHOLD_REACHED : ExitCodes.OK;
        } catch (ModelException | EngineUnavailableException | InferenceException e) {
            err.println("keshikaran: " + ModelOptions.errorMessage(e));
            if (modelOptions.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.MODEL_ERROR;
        }
    }

    /**
     * Classifies the images of the inputs, printing each result or error as it comes, and sets the
     * video files it meets aside in {@code videos}, to be scored after the images.
     */
    private void classifyImages(Classifier classifier, OutputFormat.Printer printer, Progress bar, AtomicBoolean reached,
                                Consumer<InvalidImageException> onError, List<Path> videos) {
        PrintWriter out = spec.commandLine().getOut();
        InputScanner scanner = scanOptions.scanner(System.in, onError,
                videoOptions.includeVideos ? List.of(VideoOptions.VIDEO_INCLUDES) : List.of());
        Stream<ImageInput> stream = scanner.scan(inputs);
        BufferedReader list = null;
        if (filesFrom != null) {
            try {
                list = scanner.openList(filesFrom);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--files-from " + filesFrom + ": cannot read: " + e.getMessage());
            }
            stream = Stream.concat(stream, scanner.scanList(list));
        }
        // Videos go their own way, after the images: a folder scan meets them only when asked
        // (--video, --include), and files named on the command line are always looked at.
        boolean sniff = videoOptions.includeVideos || scanOptions.hasIncludes() || filesFrom != null
                || inputs.stream().anyMatch(i -> !"-".equals(i) && !Files.isDirectory(Path.of(i)));
        if (sniff) {
            stream = VideoRunner.setAsideVideos(stream, videos);
        }
        BatchOptions options = new BatchOptions(batchSize,
                decodeThreads != null ? decodeThreads : BatchOptions.defaults().decodeThreads(),
                Math.max(64, 4 * batchSize), order);
        classifier.classifyAll(stream, options, result -> {
            if (result.isSuccess()) {
                Classification c = result.classification().orElseThrow();
                printResult(out, bar, reached, c.score(), () -> printer.result(c));
            } else {
                onError.accept(result.error().orElseThrow());
            }
        });
        closeQuietly(list);
    }

    /**
     * Prints one image's or video's result under the output lock, after clearing the progress line,
     * and notes whether its score reached {@code --threshold}.
     */
    private void printResult(PrintWriter out, Progress bar, AtomicBoolean reached, double score, Runnable print) {
        synchronized (out) {
            bar.update(true);
            bar.clearLine();
            print.run();
            out.flush();
        }
        if (threshold != null && score >= threshold) {
            reached.set(true);
        }
    }

    private static void closeQuietly(BufferedReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // Nothing was lost: every line was read already.
            }
        }
    }
}
