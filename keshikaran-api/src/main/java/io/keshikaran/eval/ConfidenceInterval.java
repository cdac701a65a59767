package io.keshikaran.eval;

/**
 * A point estimate with a bootstrap percentile interval. Immutable and thread-safe.
 *
 * @param estimate  the value on the full data
 * @param lower     the lower bound, the {@code (1 - level) / 2} quantile of the resampled values
 * @param upper     the upper bound, the {@code (1 + level) / 2} quantile of the resampled values
 * @param level     the confidence level, such as 0.95
 * @param resamples how many bootstrap resamples the bounds come from
 * @param seed      the random seed that reproduces them
 */
public record ConfidenceInterval(double estimate, double lower, double upper, double level, int resamples, long seed) {

    /**

     * Validates the interval.
     *
     * @throws IllegalArgumentException if {@code lower > upper} or the level is not within (0, 1)

     *

     * @param estimate the value on the full data

     * @param lower the lower bound, the {@code (1 - level) / 2} quantile of the resampled values

     * @param upper the upper bound, the {@code (1 + level) / 2} quantile of the resampled values

     * @param level the confidence level, such as 0.95

     * @param resamples how many bootstrap resamples the bounds come from

     * @param seed the random seed that reproduces them

     */

    public ConfidenceInterval {
        if (lower > upper) {
            throw new IllegalArgumentException("lower bound " + lower + " is above upper bound " + upper);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be within (0, 1), got " + level);
        }
    }
}
