package io.keshikaran;

/**
 * An image could not be classified: it is missing, unreadable, not an image, truncated, too large,
 * or in a format no installed decoder supports.
 *
 * <p>The message has the form {@code "<source>: <reason>"}, so it can be shown to a user as is.
 */
public class InvalidImageException extends KeshikaranException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String reason;

    /**
     * @param source the input's name as the caller knows it (a path, {@code "-"} for stdin, ...)
     * @param reason why it was rejected, in a short phrase
     */
    public InvalidImageException(String source, String reason) {
        this(source, reason, null);
    }

    /** As {@link #InvalidImageException(String, String)}, keeping the underlying cause. */
    public InvalidImageException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.source = source;
        this.reason = reason;
    }

    /** The input's name, as given by the caller. */
    public String source() {
        return source;
    }

    /** Why the input was rejected, without the source name. */
    public String reason() {
        return reason;
    }
}
