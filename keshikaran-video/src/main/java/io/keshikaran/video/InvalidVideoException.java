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
 * catch. {@link #kind()} gives the general kind every surface maps (an HTTP service's 415, 413 or
 * 422, say); {@link #videoKind()} tells the video cases apart. The message has the form {@code "<file>: <reason>"}.
 */
public class InvalidVideoException extends InvalidImageException {
    private static final long serialVersionUID = 1L;

    /** Why the video was rejected, in more detail than {@link InvalidImageException.Kind}. */
    public enum VideoKind {
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
        TIME_BUDGET_EXCEEDED;

        /** The general kind, as for images. */
        InvalidImageException.Kind general() {
            return switch (this) {
                case UNREADABLE -> InvalidImageException.Kind.UNREADABLE;
                case NOT_A_VIDEO -> InvalidImageException.Kind.NOT_AN_IMAGE;
                case UNSUPPORTED, NO_VIDEO_STREAM -> InvalidImageException.Kind.UNSUPPORTED_FORMAT;
                case CORRUPT, TRUNCATED -> InvalidImageException.Kind.CORRUPT;
                case LIMIT_EXCEEDED, TIME_BUDGET_EXCEEDED -> InvalidImageException.Kind.TOO_LARGE;
            };
        }
    }

    private final VideoKind videoKind;

    /**
     * @param source the video's name as the caller knows it
     * @param kind   the category of the failure
     * @param reason a short phrase
     * @param cause  the underlying error, or {@code null}
     */
    public InvalidVideoException(String source, VideoKind kind, String reason, Throwable cause) {
        super(source, Objects.requireNonNull(kind, "kind").general(), reason, cause);
        this.videoKind = kind;
    }

    /**
     * As {@link #InvalidVideoException(String, VideoKind, String, Throwable)} without a cause.
     *
     * @param source the video's name as the caller knows it
     * @param kind   the category of the failure
     * @param reason a short phrase
     */
    public InvalidVideoException(String source, VideoKind kind, String reason) {
        this(source, kind, reason, null);
    }

    /**
     * The video-specific category of the failure.
     *
     * @return the category; {@link #kind()} is its general counterpart
     */
    public VideoKind videoKind() {
        return videoKind;
    }
}
