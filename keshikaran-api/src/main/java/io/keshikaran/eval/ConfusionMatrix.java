package io.keshikaran.eval;

/**
 * The four counts of a binary decision at one threshold: an example is predicted positive when its
 * score is at or above {@code threshold}. Immutable and thread-safe.
 *
 * <p>A rate whose denominator is zero is {@code NaN}: precision when nothing is predicted positive,
 * recall with no positive example, the false-positive rate with no negative example.
 *
 * @param threshold      the threshold; {@code +Infinity} predicts nothing positive
 * @param truePositives  positives scoring at or above the threshold
 * @param falsePositives negatives scoring at or above the threshold
 * @param trueNegatives  negatives scoring below the threshold
 * @param falseNegatives positives scoring below the threshold
 */
public record ConfusionMatrix(double threshold, long truePositives, long falsePositives, long trueNegatives,
                              long falseNegatives) {

    /**

     * Validates the counts.
     *
     * @throws IllegalArgumentException if a count is negative or the threshold is NaN

     *

     * @param threshold the threshold; {@code +Infinity} predicts nothing positive

     * @param truePositives positives scoring at or above the threshold

     * @param falsePositives negatives scoring at or above the threshold

     * @param trueNegatives negatives scoring below the threshold

     * @param falseNegatives positives scoring below the threshold

     */

    public ConfusionMatrix {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold is NaN");
        }
        if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
            throw new IllegalArgumentException("negative count in confusion matrix: tp=" + truePositives + " fp="
                    + falsePositives + " tn=" + trueNegatives + " fn=" + falseNegatives);
        }
    }

    /** @return tp / (tp + fp), or NaN when nothing is predicted positive */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** @return tp / (tp + fn), the true-positive rate, or NaN with no positive example */
    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** @return fp / (fp + tn), or NaN with no negative example */
    public double falsePositiveRate() {
        return ratio(falsePositives, falsePositives + trueNegatives);
    }

    /** @return (tp + tn) / total */
    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    /** @return how many examples are predicted positive */
    public long predictedPositives() {
        return truePositives + falsePositives;
    }

    /** @return the number of examples */
    public long total() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
