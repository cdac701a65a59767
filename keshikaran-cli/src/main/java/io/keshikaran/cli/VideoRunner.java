package io.keshikaran.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keshikaran.Classifier;
import io.keshikaran.image.ImageInput;
import io.keshikaran.video.InvalidVideoException;
import io.keshikaran.video.VideoClassification;
import io.keshikaran.video.VideoClassifier;
import io.keshikaran.video.VideoFormats;
import io.keshikaran.video.VideoFrameScore;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CLI's video path: one file whose content is MP4/MOV or Matroska/WebM is scored frame by
 * frame with the command's classifier and printed in the command's output format.
 */
final class VideoRunner {
    private VideoRunner() {
    }

    /** Whether a command-line input is a video file, judged by its content, never its name. */
    static boolean isVideo(String input) {
        return !"-".equals(input) && VideoFormats.looksLikeVideo(Path.of(input));
    }

    /**
     * The inputs without the video files, which go to {@code videos} as the stream is read (on the
     * reading thread), to be scored after the images. Judged by content, like the single-file path.
     */
    static Stream<ImageInput> setAsideVideos(Stream<ImageInput> inputs, List<Path> videos) {
        return inputs.filter(input -> {
            Optional<Path> file = input.path().filter(VideoFormats::looksLikeVideo);
            file.ifPresent(videos::add);
            return file.isEmpty();
        });
    }

    /**
     * Prints one scored video in the command's format: text and CSV as an image's result (the
     * aggregate), JSON with {@code "frames"} and {@code "stoppedAt"}.
     */
    static void print(VideoClassification v, OutputFormat format, OutputFormat.Printer printer, PrintWriter out) {
        if (format == OutputFormat.JSON) {
            out.println(json(v));
        } else {
            printer.result(v.toClassification());
        }
    }

    /**
     * Scores one video and prints it: text, the score; JSON, the image fields plus
     * {@code "frames": [{"time", "score"}...]} and, on early exit, {@code "stoppedAt"} (seconds);
     * CSV, the aggregate row.
     *
     * @return the exit code
     */
    static int run(VideoOptions options, CommandLine commandLine, Classifier classifier, String input,
                   OutputFormat format, PrintWriter out, PrintWriter err, Double threshold, boolean verbose) {
        VideoClassifier videos = options.toVideoClassifier(commandLine, classifier);
        OutputFormat.Printer printer = format.printer(out, classifier.description().labels(), true);
        try {
            VideoClassification v = videos.classify(Path.of(input));
            print(v, format, printer, out);
            out.flush();
            return threshold != null && v.score() >= threshold ? ExitCodes.THRESHOLD_REACHED : ExitCodes.OK;
        } catch (InvalidVideoException e) {
            printer.error(e);
            out.flush();
            err.println("keshikaran: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.ALL_FAILED;
        }
    }

    static ObjectNode json(VideoClassification v) {
        ObjectNode node = OutputFormat.json(v.toClassification());
        ArrayNode frames = node.putArray("frames"); // replaces the image form's {"index","score"}
        for (VideoFrameScore f : v.frames()) {
            frames.addObject().put("time", f.timeSeconds()).put("score", f.score());
        }
        v.stoppedAt().ifPresent(f -> node.put("stoppedAt", f.timeSeconds()));
        return node;
    }
}
