package io.keshikaran.spring;

/**
 * The review and reject thresholds ({@code keshikaran.review-threshold}, {@code keshikaran.reject-threshold})
 * as a bean: turns a score into a {@link Decision}. Immutable and thread-safe.
 *
 * @param reviewThreshold scores at or above it, and below {@code rejectThreshold}, need a human look
 * @param rejectThreshold scores at or above it are refused; also {@link SafeImage}'s default maximum
 */
public record ModerationPolicy(double reviewThreshold, double rejectThreshold) {

    /** The project's defaults, as in keshikaran-examples' {@code ModerationGate}: review at 0.4. */
    public static final double DEFAULT_REVIEW_THRESHOLD = 0.4;
    /** The project's defaults, as in keshikaran-examples' {@code ModerationGate}: reject at 0.8. */
    public static final double DEFAULT_REJECT_THRESHOLD = 0.8;

    /**
     * Checks the thresholds.
     *
     * @throws IllegalArgumentException unless {@code 0 <= reviewThreshold <= rejectThreshold <= 1}
     */
    public ModerationPolicy {
        if (!(reviewThreshold >= 0 && reviewThreshold <= rejectThreshold && rejectThreshold <= 1)) {
            throw new IllegalArgumentException("thresholds must satisfy 0 <= review <= reject <= 1, got review "
                    + reviewThreshold + " and reject " + rejectThreshold);
        }
    }

    /**
     * The decision for a score.
     *
     * @param score a classification score, 0 to 1
     * @return {@link Decision#REJECT} at or above the reject threshold, {@link Decision#REVIEW} at or
     *         above the review threshold, otherwise {@link Decision#ACCEPT}
     */
    public Decision decide(double score) {
        if (score >= rejectThreshold) {
            return Decision.REJECT;
        }
        return score >= reviewThreshold ? Decision.REVIEW : Decision.ACCEPT;
    }
}
