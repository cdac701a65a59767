package io.keshikaran.spring;

import java.util.Locale;

/**
 * What to do with an image, given its score and the {@link ModerationPolicy} thresholds. The same
 * three buckets as {@code ModerationGate} in keshikaran-examples.
 */
public enum Decision {
    /** Score below the review threshold: publish without a human look. */
    ACCEPT,
    /** Score at or above the review threshold and below the reject threshold: hold for a moderator. */
    REVIEW,
    /** Score at or above the reject threshold: refuse it. */
    REJECT;

    /** The lower-case name used in metric tags, such as {@code review}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
