package io.keshikaran.eval;

/**
 * Cumulative counts at each distinct score, from the highest down: the one pass that every curve,
 * threshold and bootstrap resample in this package is computed from.
 */
final class Counts {
    /** Distinct scores, decreasing. */
    final double[] thresholds;
    /** Positives scoring at or above {@code thresholds[i]}. */
    final long[] tps;
    /** Negatives scoring at or above {@code thresholds[i]}. */
    final long[] fps;
    final long positives;
    final long negatives;

    private Counts(double[] thresholds, long[] tps, long[] fps, int length) {
        this.thresholds = java.util.Arrays.copyOf(thresholds, length);
        this.tps = java.util.Arrays.copyOf(tps, length);
        this.fps = java.util.Arrays.copyOf(fps, length);
        this.positives = length == 0 ? 0 : tps[length - 1];
        this.negatives = length == 0 ? 0 : fps[length - 1];
    }

    /** The example indices sorted by score, highest first. */
    static int[] order(double[] scores) {
        Integer[] boxed = new Integer[scores.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        java.util.Arrays.sort(boxed, (a, b) -> Double.compare(scores[b], scores[a]));
        int[] order = new int[boxed.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = boxed[i];
        }
        return order;
    }

    /**
     * Counts in one walk over examples in {@code order}, each weighted by {@code weights[i]} (how many
     * times a bootstrap resample drew it), or 1 when {@code weights} is null.
     */
    static Counts of(double[] scores, boolean[] positive, int[] order, int[] weights) {
        double[] thresholds = new double[order.length];
        long[] tps = new long[order.length];
        long[] fps = new long[order.length];
        int m = 0;
        long tp = 0;
        long fp = 0;
        boolean open = false;
        for (int i : order) {
            int w = weights == null ? 1 : weights[i];
            if (w == 0) {
                continue;
            }
            // A point closes where the score changes; tied scores share one point.
            if (open && scores[i] != thresholds[m - 1]) {
                open = false;
            }
            if (!open) {
                thresholds[m++] = scores[i];
                open = true;
            }
            if (positive[i]) {
                tp += w;
            } else {
                fp += w;
            }
            tps[m - 1] = tp;
            fps[m - 1] = fp;
        }
        return new Counts(thresholds, tps, fps, m);
    }

    int points() {
        return thresholds.length;
    }

    void requireBoth(String what) {
        if (positives == 0 || negatives == 0) {
            throw new IllegalStateException(what + " needs both classes, but the data has " + positives
                    + " positive and " + negatives + " negative examples");
        }
    }

    void requirePositives(String what) {
        if (positives == 0) {
            throw new IllegalStateException(what + " needs positive examples, but all " + negatives
                    + " examples are negative");
        }
    }

    RocCurve roc() {
        requireBoth("a ROC curve");
        int n = points() + 1;
        double[] t = new double[n];
        double[] fpr = new double[n];
        double[] tpr = new double[n];
        t[0] = Double.POSITIVE_INFINITY;
        for (int i = 0; i < points(); i++) {
            t[i + 1] = thresholds[i];
            fpr[i + 1] = (double) fps[i] / negatives;
            tpr[i + 1] = (double) tps[i] / positives;
        }
        return new RocCurve(t, fpr, tpr);
    }

    PrecisionRecallCurve precisionRecall() {
        requirePositives("a precision-recall curve");
        int n = points() + 1;
        double[] t = new double[n];
        double[] precision = new double[n];
        double[] recall = new double[n];
        t[0] = Double.POSITIVE_INFINITY;
        precision[0] = 1;
        for (int i = 0; i < points(); i++) {
            t[i + 1] = thresholds[i];
            precision[i + 1] = (double) tps[i] / (tps[i] + fps[i]);
            recall[i + 1] = (double) tps[i] / positives;
        }
        return new PrecisionRecallCurve(t, precision, recall);
    }

    /** The ROC area without building the curve: the bootstrap's inner loop. */
    double rocAuc() {
        requireBoth("ROC AUC");
        double area = 0;
        long prevTp = 0;
        long prevFp = 0;
        for (int i = 0; i < points(); i++) {
            area += (double) (fps[i] - prevFp) * (tps[i] + prevTp);
            prevTp = tps[i];
            prevFp = fps[i];
        }
        return area / (2.0 * positives * negatives);
    }

    /** The average precision without building the curve. */
    double averagePrecision() {
        requirePositives("average precision");
        double ap = 0;
        long prevTp = 0;
        for (int i = 0; i < points(); i++) {
            ap += (double) (tps[i] - prevTp) / positives * tps[i] / (tps[i] + fps[i]);
            prevTp = tps[i];
        }
        return ap;
    }

    /** Point {@code i} as a confusion matrix; {@code i == -1} is the +Infinity threshold. */
    ConfusionMatrix matrix(int i) {
        if (i < 0) {
            return new ConfusionMatrix(Double.POSITIVE_INFINITY, 0, 0, negatives, positives);
        }
        return new ConfusionMatrix(thresholds[i], tps[i], fps[i], negatives - fps[i], positives - tps[i]);
    }

    /** The confusion matrix at any threshold: the last point whose score is at or above it. */
    ConfusionMatrix at(double threshold) {
        // thresholds are decreasing: find how many are >= threshold.
        int lo = 0;
        int hi = points();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (thresholds[mid] >= threshold) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int i = lo - 1;
        long tp = i < 0 ? 0 : tps[i];
        long fp = i < 0 ? 0 : fps[i];
        return new ConfusionMatrix(threshold, tp, fp, negatives - fp, positives - tp);
    }
}
