package io.keshikaran.video;

import io.keshikaran.InvalidImageException;

import java.util.Objects;

/**
 * A video could not be classified: it is missing, unreadable, not a video, has no video track,
 * uses a container or codec keshikaran-video does not accept, is corrupt or truncated, or exceeds a
 * {@link VideoLimits limit}.
 *
 * <p>It extends {@link InvalidImageException} so that code handling "this input is bad, skip it"
 * (a batch, the CLI, a moderation service) treats bad videos like bad images without a second
 * catch; {@link #kind()} tells the cases apart. The message has the form {@code "<file>: <reason>"}.
 */
public class InvalidVideoException extends InvalidImageException {
    private static final long serialVersionUID = 1L;

    /** Why the video was rejected. */
    public enum Kind {
        /** The file does not exist, is a directory, or cannot be read. */
        UNREADABLE,
        /** The content is not a video container FFmpeg recognises. */
        NOT_A_VIDEO,
        /** A container or video codec that keshikaran-video does not accept or cannot decode. */
        UNSUPPORTED,
        /** A container with no video track, such as an audio-only file. */
        NO_VIDEO_STREAM,
        /** The container or the video data is damaged: nothing, or not everything, could be decoded. */
        CORRUPT,
        /** The file ends before the data its container announces. */
        TRUNCATED,
        /** The file size, the frame size, the duration or the number of decoded frames is over a limit. */
        LIMIT_EXCEEDED,
        /** Decoding and classifying took longer than {@link VideoLimits#timeBudget()}. */
        TIME_BUDGET_EXCEEDED
    }

    private final Kind kind;

    /**
     * @param source the video's name as the caller knows it
     * @param kind   the category of the failure
     * @param reason a short phrase
     * @param cause  the underlying error, or {@code null}
     */
    public InvalidVideoException(String source, Kind kind, String reason, Throwable cause) {
        super(source, reason, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** As {@link #InvalidVideoException(String, Kind, String, Throwable)} without a cause. */
    public InvalidVideoException(String source, Kind kind, String reason) {
        this(source, kind, reason, null);
    }

    /** The category of the failure. */
    public Kind kind() {
        return kind;
    }
}
