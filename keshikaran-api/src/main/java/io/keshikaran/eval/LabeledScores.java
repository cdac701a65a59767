package io.keshikaran.eval;

import java.util.Arrays;

/**
 * Scored examples with their true class: the input to {@link BinaryEvaluation} and {@link Bootstrap}.
 * Immutable and thread-safe.
 *
 * <p>Scores may be any finite or infinite double. NaN scores are rejected unless the builder is told
 * to drop them ({@link Builder#optDropNaN(boolean)}); {@link #droppedNaN()} then counts them. There is
 * at least one example; there may be examples of one class only, in which case the computations
 * that need both classes throw {@link IllegalStateException} saying so.
 */
public final class LabeledScores {
    private final double[] scores;
    private final boolean[] positive;
    private final int positives;
    private final int droppedNaN;

    private LabeledScores(double[] scores, boolean[] positive, int droppedNaN) {
        this.scores = scores;
        this.positive = positive;
        this.droppedNaN = droppedNaN;
        int p = 0;
        for (boolean b : positive) {
            if (b) {
                p++;
            }
        }
        this.positives = p;
    }

    /**
     * A new builder.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Examples from parallel arrays, which are copied.
     *
     * @param scores   one score per example
     * @param positive whether each example truly belongs to the positive class
     * @return the examples
     * @throws IllegalArgumentException if the arrays differ in length, are empty or hold a NaN score
     */
    public static LabeledScores of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException("scores and labels differ in length: " + scores.length + " scores, "
                    + positive.length + " labels");
        }
        Builder b = builder();
        for (int i = 0; i < scores.length; i++) {
            b.add(scores[i], positive[i]);
        }
        return b.build();
    }

    /** @return the number of examples, at least 1 */
    public int size() {
        return scores.length;
    }

    /**
     * @param i the example's index, in the order added
     * @return its score
     */
    public double score(int i) {
        return scores[i];
    }

    /**
     * @param i the example's index, in the order added
     * @return whether it truly belongs to the positive class
     */
    public boolean isPositive(int i) {
        return positive[i];
    }

    /** @return how many examples are positive */
    public int positives() {
        return positives;
    }

    /** @return how many examples are negative */
    public int negatives() {
        return scores.length - positives;
    }

    /** @return how many NaN scores the builder dropped (0 unless {@link Builder#optDropNaN} was set) */
    public int droppedNaN() {
        return droppedNaN;
    }

    double[] scoresArray() {
        return scores;
    }

    boolean[] positiveArray() {
        return positive;
    }

    @Override
    public String toString() {
        return "LabeledScores[" + size() + " examples, " + positives + " positive, " + negatives() + " negative"
                + (droppedNaN > 0 ? ", " + droppedNaN + " NaN dropped" : "") + "]";
    }

    /** Collects examples. Not thread-safe. */
    public static final class Builder {
        private double[] scores = new double[16];
        private boolean[] positive = new boolean[16];
        private int size;
        private boolean dropNaN;
        private int nanCount;
        private int firstNaN = -1;

        private Builder() {
        }

        /**
         * Adds one example.
         *
         * @param score    its score; NaN is refused by {@link #build()} unless NaN scores are dropped
         * @param positive whether it truly belongs to the positive class
         * @return this builder
         */
        public Builder add(double score, boolean positive) {
            if (Double.isNaN(score)) {
                if (firstNaN < 0) {
                    firstNaN = size + nanCount;
                }
                nanCount++;
                return this;
            }
            if (size == scores.length) {
                scores = Arrays.copyOf(scores, size * 2);
                this.positive = Arrays.copyOf(this.positive, size * 2);
            }
            scores[size] = score;
            this.positive[size] = positive;
            size++;
            return this;
        }

        /**
         * Whether to drop examples whose score is NaN (a failed or undefined score) instead of
         * refusing them. Default: false, so that a NaN never silently shrinks the data.
         *
         * @param drop true to drop NaN scores and count them in {@link LabeledScores#droppedNaN()}
         * @return this builder
         */
        public Builder optDropNaN(boolean drop) {
            this.dropNaN = drop;
            return this;
        }

        /**
         * @return the examples
         * @throws IllegalArgumentException if a score is NaN and NaN scores are not dropped, or if
         *                                  there is no example left
         */
        public LabeledScores build() {
            if (nanCount > 0 && !dropNaN) {
                throw new IllegalArgumentException(nanCount + " score(s) are NaN, the first at index " + firstNaN
                        + "; drop them with optDropNaN(true) or fix the scores");
            }
            if (size == 0) {
                throw new IllegalArgumentException(nanCount > 0
                        ? "no examples left: all " + nanCount + " scores are NaN"
                        : "no examples: at least one scored example is needed");
            }
            return new LabeledScores(Arrays.copyOf(scores, size), Arrays.copyOf(positive, size), nanCount);
        }
    }
}
