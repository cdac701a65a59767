package io.keshikaran.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Seeded bootstrap confidence intervals for ROC AUC and average precision. Immutable and
 * thread-safe; the same seed, settings and data give the same interval.
 *
 * <p>Each resample is stratified: it draws as many positives as the data has, with replacement,
 * from the positives, and likewise the negatives, so every resample has both classes and the class
 * balance the metrics depend on. The interval is the percentile interval of the resampled values
 * (quantiles interpolated linearly, as numpy's default). Each resample costs O(n) after one sort.
 */
public final class Bootstrap {
    /** The default number of resamples: {@value}. */
    public static final int DEFAULT_RESAMPLES = 2000;
    /** The default confidence level: {@value}. */
    public static final double DEFAULT_LEVEL = 0.95;
    /** The default seed: {@value}. */
    public static final long DEFAULT_SEED = 42;

    private final int resamples;
    private final double level;
    private final long seed;

    private Bootstrap(Builder b) {
        this.resamples = b.resamples;
        this.level = b.level;
        this.seed = b.seed;
    }

    /**
     * A new builder with the defaults: 2000 resamples, 95%, seed 42.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the number of resamples */
    public int resamples() {
        return resamples;
    }

    /** @return the confidence level */
    public double level() {
        return level;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /**
     * @param data the examples
     * @return ROC AUC with its interval
     * @throws IllegalStateException if the data has one class only
     */
    public ConfidenceInterval rocAuc(LabeledScores data) {
        return interval(data, Counts::rocAuc, "ROC AUC");
    }

    /**
     * @param data the examples
     * @return average precision with its interval
     * @throws IllegalStateException if the data has one class only: without negatives every
     *                               resample has average precision 1, without positives none is defined
     */
    public ConfidenceInterval averagePrecision(LabeledScores data) {
        return interval(data, Counts::averagePrecision, "average precision");
    }

    private ConfidenceInterval interval(LabeledScores data, ToDoubleFunction<Counts> metric, String what) {
        double[] scores = data.scoresArray();
        boolean[] positive = data.positiveArray();
        int[] order = Counts.order(scores);
        Counts full = Counts.of(scores, positive, order, null);
        full.requireBoth("a bootstrap interval for " + what);
        double estimate = metric.applyAsDouble(full);
        int[] pos = new int[data.positives()];
        int[] neg = new int[data.negatives()];
        for (int i = 0, p = 0, n = 0; i < scores.length; i++) {
            if (positive[i]) {
                pos[p++] = i;
            } else {
                neg[n++] = i;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] weights = new int[scores.length];
        double[] values = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            Arrays.fill(weights, 0);
            draw(pos, weights, random);
            draw(neg, weights, random);
            values[r] = metric.applyAsDouble(Counts.of(scores, positive, order, weights));
        }
        Arrays.sort(values);
        return new ConfidenceInterval(estimate, quantile(values, (1 - level) / 2), quantile(values, (1 + level) / 2),
                level, resamples, seed);
    }

    private static void draw(int[] from, int[] weights, SplittableRandom random) {
        for (int k = 0; k < from.length; k++) {
            weights[from[random.nextInt(from.length)]]++;
        }
    }

    /**
     * The q-quantile of sorted values, interpolating linearly between order statistics.
     *
     * @param sorted values sorted in ascending order
     * @param q the quantile, from 0 to 1
     * @return the q-quantile of sorted values, interpolating linearly between order statistics
     */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Configures a {@link Bootstrap}. Not thread-safe. */
    public static final class Builder {
        private int resamples = DEFAULT_RESAMPLES;
        private double level = DEFAULT_LEVEL;
        private long seed = DEFAULT_SEED;

        private Builder() {
        }

        /**
         * @param resamples how many resamples, at least 10; more give steadier bounds at O(n) each
         * @return this builder
         */
        public Builder optResamples(int resamples) {
            this.resamples = resamples;
            return this;
        }

        /**
         * @param level the confidence level, within (0, 1)
         * @return this builder
         */
        public Builder optLevel(double level) {
            this.level = level;
            return this;
        }

        /**
         * @param seed the random seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @return the bootstrap
         * @throws IllegalArgumentException if fewer than 10 resamples or a level outside (0, 1)
         */
        public Bootstrap build() {
            if (resamples < 10) {
                throw new IllegalArgumentException("at least 10 resamples are needed, got " + resamples);
            }
            if (!(level > 0 && level < 1)) {
                throw new IllegalArgumentException("level must be within (0, 1), got " + level);
            }
            return new Bootstrap(this);
        }
    }
}
