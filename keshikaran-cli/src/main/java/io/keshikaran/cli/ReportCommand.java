package io.keshikaran.cli;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.ClassificationResult;
import io.keshikaran.EngineUnavailableException;
import io.keshikaran.InferenceException;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelException;
import io.keshikaran.image.ImageInput;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.AtomicFiles;
import io.keshikaran.video.VideoClassification;
import io.keshikaran.video.VideoClassifier;
import io.keshikaran.video.VideoFrameScore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code keshikaran report DIR -o report.html}: classifies every image under a folder and writes
 * one self-contained HTML page with thumbnails sorted by score, the risky ones blurred. It scans
 * with the same {@link InputScanner} and classifies through the same {@link Classifier#classifyAll}
 * as {@code keshikaran DIR}, so both give every file the same score.
 */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Writes a self-contained HTML report of every image under DIR.",
            "",
            "Every image under DIR (recursively) is classified exactly as 'keshikaran DIR' classifies it. The report "
                + "shows thumbnails sorted by score and a bar per class; images scoring at or above --blur-at are "
                + "blurred until clicked. Files that can't be read are listed with the reason; the others are still "
                + "classified. The results are also embedded as JSON (<script type=\"application/json\" "
                + "id=\"keshikaran-results\">: [{file, score, probabilities, error, kind}]) for tools.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:The report was written (and, with --threshold, no image scored at or above it).",
            "1:With --threshold: the report was written, at least one image scored at or above T, and none failed.",
            "2:Invalid command line, or DIR is not a folder.",
            "3:The report was written; some images could not be classified (they are listed in it).",
            "4:No image could be classified, or the report could not be written.",
            "5:The model or engine could not be loaded, or failed.",
        })
public final class ReportCommand implements Callable<Integer> {
    /** The default blur threshold: the moderation example's "review" threshold. */
    static final String DEFAULT_BLUR_AT = "0.4";

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ModelOptions modelOptions;

    @CommandLine.Mixin
    ImageOptions imageOptions;

    @CommandLine.Mixin
    ScanOptions scanOptions;

    @CommandLine.Mixin
    VideoOptions videoOptions;

    @Parameters(paramLabel = "DIR", description = "The folder to scan.")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "report.html",
            description = "The HTML file to write. Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--blur-at", paramLabel = "T", defaultValue = DEFAULT_BLUR_AT,
            description = "Blur images scoring at or above T (0..1) until clicked. Default: ${DEFAULT-VALUE}.")
    double blurAt;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Exit with 1 when any image scores at or above T (0..1), as classify does.")
    Double threshold;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        Classifier.Builder builder = modelOptions.classifierBuilder()
                .optDecodeOptions(imageOptions.toDecodeOptions(spec.commandLine()));
        HtmlReport report;
        try (Classifier classifier = builder.build()) {
            report = classifyAll(classifier, err);
        } catch (ModelException | EngineUnavailableException | InferenceException e) {
            err.println("keshikaran: " + ModelOptions.errorMessage(e));
            if (modelOptions.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.MODEL_ERROR;
        }
        try {
            AtomicFiles.writeString(output, report.render());
        } catch (IOException e) {
            err.println("keshikaran: cannot write " + output + ": " + rootMessage(e));
            err.flush();
            return ExitCodes.ALL_FAILED;
        }
        int failed = report.failures().size();
        int classified = report.entries().size();
        out.printf(Locale.ROOT, "%s: %d images, %d at or above %.2f, %d could not be read%n",
                output, classified, report.flaggedCount(), blurAt, failed);
        if (classified + failed == 0) {
            err.println("keshikaran: no images found under " + dir);
        }
        out.flush();
        err.flush();
        if (failed > 0) {
            return classified == 0 ? ExitCodes.ALL_FAILED : ExitCodes.SOME_FAILED;
        }
        boolean reached = threshold != null
                && report.entries().stream().anyMatch(e -> e.classification().score() >= threshold);
        return reached ? ExitCodes.THRESHOLD_REACHED : ExitCodes.OK;
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (!(blurAt >= 0 && blurAt <= 1)) {
            throw new CommandLine.ParameterException(cl, "--blur-at must be within 0..1, got " + blurAt);
        }
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new CommandLine.ParameterException(cl, "--threshold must be within 0..1, got " + threshold);
        }
        modelOptions.validate(cl);
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(cl, dir + ": " + (Files.exists(dir) ? "not a folder" : "no such folder"));
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new CommandLine.ParameterException(cl, "cannot write " + output + ": its folder does not exist");
        }
        if (Files.isDirectory(output)) {
            throw new CommandLine.ParameterException(cl, "cannot write " + output + ": it is a folder");
        }
    }

    /** How an input is named in the report: its path under DIR, with forward slashes. */
    private String relativeName(String source) {
        Path path = Path.of(source);
        return (path.startsWith(dir) ? dir.relativize(path) : path).toString().replace('\\', '/');
    }

    /** Classifies the scan through the library's batch pipeline, which also makes the thumbnails. */
    private HtmlReport classifyAll(Classifier classifier, PrintWriter err) {
        List<HtmlReport.Entry> entries = new ArrayList<>();
        List<HtmlReport.Failure> failures = new ArrayList<>();
        Consumer<InvalidImageException> onError = e -> {
            synchronized (failures) {
                failures.add(new HtmlReport.Failure(relativeName(e.source()), e.reason(), e.kind()));
                err.println("keshikaran: " + e.getMessage());
                err.flush();
            }
        };
        InputScanner scanner = scanOptions.scanner(System.in, onError,
                videoOptions.includeVideos ? List.of(VideoOptions.VIDEO_INCLUDES) : List.of());
        Stream<ImageInput> inputs = scanner.scan(List.of(dir.toString()));
        List<Path> videos = new ArrayList<>();
        if (videoOptions.includeVideos || scanOptions.hasIncludes()) {
            inputs = VideoRunner.setAsideVideos(inputs, videos);
        }
        BatchOptions options = BatchOptions.defaults().withThumbnailSize(Thumbnails.MAX_SIDE);
        classifier.classifyAll(inputs, options, (ClassificationResult result) -> {
            if (!result.isSuccess()) {
                onError.accept(result.error().orElseThrow());
                return;
            }
            Classification c = result.classification().orElseThrow();
            String name = relativeName(c.source());
            RgbImage thumbnail = result.thumbnail().orElseThrow();
            try {
                entries.add(new HtmlReport.Entry(name, c, Thumbnails.jpegDataUri(thumbnail)));
            } catch (IOException e) {
                onError.accept(new InvalidImageException(c.source(), InvalidImageException.Kind.UNREADABLE,
                        "cannot make a thumbnail: " + rootMessage(e), e));
            }
        });
        if (!videos.isEmpty()) {
            VideoClassifier videoClassifier = videoOptions.toVideoClassifier(spec.commandLine(), classifier);
            for (Path video : videos) {
                try {
                    entries.add(videoEntry(videoClassifier, video));
                } catch (InvalidImageException e) {
                    onError.accept(e);
                } catch (IOException e) {
                    onError.accept(new InvalidImageException(video.toString(), InvalidImageException.Kind.UNREADABLE,
                            "cannot make a thumbnail: " + rootMessage(e), e));
                }
            }
        }
        return new HtmlReport(dir.toString(), classifier.model(), classifier.description().scoreLabels(), blurAt,
                entries, failures);
    }

    /** How many of a video's highest-scoring frames the report shows. */
    static final int VIDEO_FRAMES_SHOWN = 3;

    /** A video's card: its aggregate, and its highest-scoring frames as thumbnails with their times. */
    private HtmlReport.Entry videoEntry(VideoClassifier videos, Path video) throws InvalidImageException, IOException {
        VideoClassification v = videos.classify(video);
        List<HtmlReport.FrameThumbnail> frames = new ArrayList<>();
        for (VideoFrameScore f : v.topFrames(VIDEO_FRAMES_SHOWN)) {
            frames.add(new HtmlReport.FrameThumbnail(f.timeSeconds(), f.score(),
                    Thumbnails.jpegDataUri(videos.frameAt(video, f.timeSeconds()))));
        }
        String name = relativeName(video.toString());
        return new HtmlReport.Entry(name, v.toClassification(), frames.get(0).thumbnail(), frames);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }
}
