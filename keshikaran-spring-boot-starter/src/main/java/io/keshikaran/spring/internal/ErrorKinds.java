package io.keshikaran.spring.internal;

import io.keshikaran.InvalidImageException;
import java.util.Locale;

/**
 * The machine-readable kind of a refused input, used as the {@code kind} tag of
 * {@code keshikaran.errors}: {@link InvalidImageException#kind()} in lower case.
 */
public final class ErrorKinds {

    private ErrorKinds() {
    }

    /**
     * One of {@code not_an_image}, {@code unsupported_format}, {@code corrupt}, {@code too_large}
     * or {@code unreadable}.
     *
     * @param e the refusal
     * @return the tag value
     */
    public static String of(InvalidImageException e) {
        return e.kind().name().toLowerCase(Locale.ROOT);
    }

    /** The kind of a failure of the classifier itself: {@code inference}, {@code closed} or {@code internal}. */
    public static String of(RuntimeException e) {
        if (e instanceof io.keshikaran.InferenceException) {
            return "inference";
        }
        if (e instanceof IllegalStateException) {
            return "closed";
        }
        return "internal";
    }
}
