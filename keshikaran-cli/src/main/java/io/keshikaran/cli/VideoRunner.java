package io.keshikaran.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keshikaran.image.ImageInput;
import io.keshikaran.video.VideoClassification;
import io.keshikaran.video.VideoFormats;
import io.keshikaran.video.VideoFrameScore;

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
     * Prints one scored video in the command's format, for a single file and a folder scan alike:
     * text and CSV as an image's result (the aggregate score), JSON the image fields plus
     * {@code "frames": [{"time", "score"}...]} and, on early exit, {@code "stoppedAt"} (seconds).
     */
    static void print(VideoClassification v, OutputFormat format, OutputFormat.Printer printer, PrintWriter out) {
        if (format == OutputFormat.JSON) {
            out.println(json(v));
        } else {
            printer.result(v.toClassification());
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
