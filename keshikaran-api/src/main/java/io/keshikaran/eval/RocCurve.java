package io.keshikaran.eval;

/**
 * The receiver operating characteristic: for each distinct score, taken as the threshold from the
 * highest down, the false-positive rate and the true-positive rate. Immutable and thread-safe.
 *
 * <p>Point 0 is (0, 0) at threshold {@code +Infinity} (nothing predicted positive), as in
 * scikit-learn's {@code roc_curve(..., drop_intermediate=False)}; the last point is (1, 1) at the
 * lowest score. Tied scores form one point, so a tie between classes is a diagonal segment.
 */
public final class RocCurve {
    private final double[] thresholds;
    private final double[] fpr;
    private final double[] tpr;

    RocCurve(double[] thresholds, double[] fpr, double[] tpr) {
        this.thresholds = thresholds;
        this.fpr = fpr;
        this.tpr = tpr;
    }

    /** @return the number of points, at least 2 */
    public int size() {
        return thresholds.length;
    }

    /** @return the thresholds, decreasing; the first is {@code +Infinity} (a copy) */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** @return the false-positive rate at each threshold, non-decreasing (a copy) */
    public double[] falsePositiveRates() {
        return fpr.clone();
    }

    /** @return the true-positive rate (recall) at each threshold, non-decreasing (a copy) */
    public double[] truePositiveRates() {
        return tpr.clone();
    }

    /** @return the area under the curve by the trapezoidal rule, as {@code roc_auc_score} computes it */
    public double area() {
        double area = 0;
        for (int i = 1; i < fpr.length; i++) {
            area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        }
        return area;
    }
}
