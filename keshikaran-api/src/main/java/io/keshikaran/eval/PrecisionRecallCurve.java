package io.keshikaran.eval;

/**
 * Precision and recall for each distinct score taken as the threshold, from the highest down.
 * Immutable and thread-safe.
 *
 * <p>Point 0 is recall 0, precision 1 at threshold {@code +Infinity}, the point scikit-learn's
 * {@code precision_recall_curve} appends; every other point is a distinct score, so its precision is
 * always defined. scikit-learn lists the same points in the opposite order.
 */
public final class PrecisionRecallCurve {
    private final double[] thresholds;
    private final double[] precision;
    private final double[] recall;

    PrecisionRecallCurve(double[] thresholds, double[] precision, double[] recall) {
        this.thresholds = thresholds;
        this.precision = precision;
        this.recall = recall;
    }

    /** @return the number of points, at least 2 */
    public int size() {
        return thresholds.length;
    }

    /** @return the thresholds, decreasing; the first is {@code +Infinity} (a copy) */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** @return the precision at each threshold (a copy) */
    public double[] precisions() {
        return precision.clone();
    }

    /** @return the recall at each threshold, non-decreasing (a copy) */
    public double[] recalls() {
        return recall.clone();
    }

    /**
     * @return the average precision, {@code sum((R[i] - R[i-1]) * P[i])}: a step-wise area without
     *         interpolation, as {@code average_precision_score} computes it
     */
    public double averagePrecision() {
        double ap = 0;
        for (int i = 1; i < recall.length; i++) {
            ap += (recall[i] - recall[i - 1]) * precision[i];
        }
        return ap;
    }
}
