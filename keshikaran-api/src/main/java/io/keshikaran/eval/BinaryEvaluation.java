package io.keshikaran.eval;

import java.util.Optional;

/**
 * Curves, summary numbers and thresholds for scored, labelled examples. Computed once by
 * {@link #of(LabeledScores)}; immutable and thread-safe.
 *
 * <p>An example is predicted positive when its score is at or above the threshold. Thresholds this
 * class recommends are always scores that occur in the data, so the counts they promise are exactly
 * the counts on this data; on new data expect them to vary by about the bootstrap interval.
 *
 * <p>Computations that need both classes (the ROC curve and its area, a false-positive-rate target)
 * throw {@link IllegalStateException} naming the missing class when the data has one class only;
 * those that need positives (precision-recall, average precision, precision and recall targets)
 * throw it when there are none.
 */
public final class BinaryEvaluation {
    private final LabeledScores data;
    private final Counts counts;

    private BinaryEvaluation(LabeledScores data) {
        this.data = data;
        this.counts = Counts.of(data.scoresArray(), data.positiveArray(), Counts.order(data.scoresArray()), null);
    }

    /**
     * Evaluates scored examples: sorts them once, O(n log n).
     *
     * @param data the examples
     * @return the evaluation
     */
    public static BinaryEvaluation of(LabeledScores data) {
        return new BinaryEvaluation(java.util.Objects.requireNonNull(data, "data"));
    }

    /** @return the examples this evaluation is of */
    public LabeledScores data() {
        return data;
    }

    /**
     * @return the ROC curve
     * @throws IllegalStateException if the data has one class only
     */
    public RocCurve roc() {
        return counts.roc();
    }

    /**
     * @return the area under the ROC curve; ties between classes count one half
     * @throws IllegalStateException if the data has one class only
     */
    public double rocAuc() {
        return counts.rocAuc();
    }

    /**
     * @return the precision-recall curve
     * @throws IllegalStateException if the data has no positive example
     */
    public PrecisionRecallCurve precisionRecall() {
        return counts.precisionRecall();
    }

    /**
     * @return the average precision, as {@link PrecisionRecallCurve#averagePrecision()} defines it
     * @throws IllegalStateException if the data has no positive example
     */
    public double averagePrecision() {
        return counts.averagePrecision();
    }

    /**
     * The confusion matrix at any threshold, in O(log n).
     *
     * @param threshold examples scoring at or above it are predicted positive; may be infinite
     * @return the counts
     * @throws IllegalArgumentException if the threshold is NaN
     */
    public ConfusionMatrix confusionAt(double threshold) {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold is NaN");
        }
        return counts.at(threshold);
    }

    /**
     * The lowest threshold whose precision reaches the target: the highest recall at that precision.
     * Precision is not monotonic in the threshold, so a higher threshold may fall below the target
     * even though this one reaches it.
     *
     * @param minPrecision the target, within [0, 1]
     * @return the operating point, or empty if no threshold reaches the target
     * @throws IllegalArgumentException if the target is outside [0, 1]
     * @throws IllegalStateException    if the data has no positive example
     */
    public Optional<ConfusionMatrix> thresholdForPrecision(double minPrecision) {
        requireRate(minPrecision, "precision");
        counts.requirePositives("a precision target");
        for (int i = counts.points() - 1; i >= 0; i--) {
            if ((double) counts.tps[i] / (counts.tps[i] + counts.fps[i]) >= minPrecision) {
                return Optional.of(counts.matrix(i));
            }
        }
        return Optional.empty();
    }

    /**
     * The highest threshold whose recall reaches the target: the fewest false positives at that recall.
     *
     * @param minRecall the target, within [0, 1]; 0 gives the highest score
     * @return the operating point; never empty, since the lowest score has recall 1
     * @throws IllegalArgumentException if the target is outside [0, 1]
     * @throws IllegalStateException    if the data has no positive example
     */
    public Optional<ConfusionMatrix> thresholdForRecall(double minRecall) {
        requireRate(minRecall, "recall");
        counts.requirePositives("a recall target");
        for (int i = 0; i < counts.points(); i++) {
            if ((double) counts.tps[i] / counts.positives >= minRecall) {
                return Optional.of(counts.matrix(i));
            }
        }
        return Optional.empty();
    }

    /**
     * The lowest threshold whose false-positive rate stays at or below the target: the highest
     * recall at that rate.
     *
     * @param maxFalsePositiveRate the target, within [0, 1]
     * @return the operating point, or empty if even the highest score exceeds the target (only
     *         flagging nothing would meet it)
     * @throws IllegalArgumentException if the target is outside [0, 1]
     * @throws IllegalStateException    if the data has one class only
     */
    public Optional<ConfusionMatrix> thresholdForFalsePositiveRate(double maxFalsePositiveRate) {
        requireRate(maxFalsePositiveRate, "false-positive rate");
        counts.requireBoth("a false-positive-rate target");
        for (int i = counts.points() - 1; i >= 0; i--) {
            if ((double) counts.fps[i] / counts.negatives <= maxFalsePositiveRate) {
                return Optional.of(counts.matrix(i));
            }
        }
        return Optional.empty();
    }

    private static void requireRate(double target, String what) {
        if (!(target >= 0 && target <= 1)) {
            throw new IllegalArgumentException("target " + what + " must be within [0, 1], got " + target);
        }
    }

    @Override
    public String toString() {
        return "BinaryEvaluation[" + data + "]";
    }
}
