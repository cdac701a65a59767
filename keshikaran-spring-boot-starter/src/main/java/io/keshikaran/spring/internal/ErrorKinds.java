package io.keshikaran.spring.internal;

import io.keshikaran.InvalidImageException;
import java.util.Locale;

/**
 * The machine-readable kind of a refused input, used as the {@code kind} tag of
 * {@code keshikaran.errors}.
 *
 * <p>The one place to switch to {@code InvalidImageException.kind()} once the core has it: until
 * then the kind is read from the reason's wording, which {@code ImageDecoder} keeps stable.
 */
public final class ErrorKinds {

    private ErrorKinds() {
    }

    /**
     * One of {@code empty}, {@code too_large}, {@code not_an_image}, {@code unsupported_format},
     * {@code corrupt}, {@code not_found}, {@code unreadable} or {@code other}.
     */
    public static String of(InvalidImageException e) {
        String reason = e.reason() == null ? "" : e.reason().toLowerCase(Locale.ROOT);
        if (reason.startsWith("empty") || reason.contains("declares an empty image")) {
            return "empty";
        }
        if (reason.contains("over the limit") || reason.contains("the limit (imagelimits")
                || reason.contains("not enough memory")) {
            return "too_large";
        }
        if (reason.startsWith("not an image") || reason.startsWith("not a recognised image")) {
            return "not_an_image";
        }
        if (reason.contains("are not supported")) {
            return "unsupported_format";
        }
        if (reason.startsWith("corrupt")) {
            return "corrupt";
        }
        if (reason.startsWith("no such file") || reason.equals("is a directory")) {
            return "not_found";
        }
        if (reason.startsWith("permission denied") || reason.startsWith("cannot read")) {
            return "unreadable";
        }
        return "other";
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
