package io.keshikaran;

import java.util.Objects;

/**
 * An image could not be classified: it is missing, unreadable, not an image, truncated, too large,
 * or in a format no installed decoder supports.
 *
 * <p>The message has the form {@code "<source>: <reason>"}, so it can be shown to a user as is.
 * Callers that must branch (an HTTP service choosing 413, 415 or 422, say) use {@link #kind()},
 * never the message.
 */
public class InvalidImageException extends KeshikaranException {
    private static final long serialVersionUID = 2L;

    /** Why an input was refused, for callers that must branch on it. */
    public enum Kind {
        /** The content is not an image at all: empty, text, or no known signature. HTTP 415. */
        NOT_AN_IMAGE,
        /** An image, but in a format keshikaran does not accept (TIFF, say). HTTP 415. */
        UNSUPPORTED_FORMAT,
        /** A supported format whose data is truncated, corrupt or inconsistent. HTTP 422. */
        CORRUPT,
        /** Over an {@link io.keshikaran.image.ImageLimits} limit (bytes or pixels), or over the memory decoding may use. HTTP 413. */
        TOO_LARGE,
        /** The input could not be read: missing, a folder, no permission, an I/O error. */
        UNREADABLE
    }

    /** The input's name, as the caller gave it. */
    private final String source;
    /** Why it could not be classified. */
    private final String reason;
    /** What kind of failure it is. */
    private final Kind kind;

    /**
     * @param source the input's name as the caller knows it (a path, {@code "-"} for stdin, ...)
     * @param kind   the machine-readable reason
     * @param reason why it was rejected, in a short phrase
     */
    public InvalidImageException(String source, Kind kind, String reason) {
        this(source, kind, reason, null);
    }

    /**
     * As {@link #InvalidImageException(String, Kind, String)}, keeping the underlying cause.
     *
     * @param source the input's name as the caller knows it
     * @param kind   the machine-readable reason
     * @param reason why it was rejected, in a short phrase
     * @param cause  the decoder's or the file system's exception; may be null
     */
    public InvalidImageException(String source, Kind kind, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.source = source;
        this.reason = reason;
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * A {@link Kind#CORRUPT} image: the data of a supported format is truncated or malformed.
     *
     * @param source the input's name as the caller knows it
     * @param reason why it was rejected, in a short phrase
     */
    public InvalidImageException(String source, String reason) {
        this(source, Kind.CORRUPT, reason, null);
    }

    /**
     * A {@link Kind#CORRUPT} image, keeping the underlying cause.
     *
     * @param source the input's name as the caller knows it
     * @param reason why it was rejected, in a short phrase
     * @param cause  the decoder's exception; may be null
     */
    public InvalidImageException(String source, String reason, Throwable cause) {
        this(source, Kind.CORRUPT, reason, cause);
    }

    /**
     * The input's name, as given by the caller.
     *
     * @return the name
     */
    public String source() {
        return source;
    }

    /**
     * Why the input was rejected, without the source name.
     *
     * @return a short phrase
     */
    public String reason() {
        return reason;
    }

    /**
     * The machine-readable reason.
     *
     * @return the kind; never null
     */
    public Kind kind() {
        return kind;
    }
}
