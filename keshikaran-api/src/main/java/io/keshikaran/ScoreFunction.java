package io.keshikaran;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a model's per-label probabilities into the keshikaran score, a number from 0 to 1.
 *
 * <p>The bundled nsfwjs models use {@code sumOf("Hentai", "Porn", "Sexy")}: the probability that
 * the image is anything but a neutral photo or a drawing. Use another function to be stricter
 * (for example {@code sumOf("Porn", "Hentai")} to let swimwear through) or to adapt the score to
 * your own model.
 */
@FunctionalInterface
public interface ScoreFunction {

    /**
     * Computes the score.
     *
     * @param probabilities every label with its probability
     * @return a value that the caller clamps to 0..1
     */
    double score(Map<String, Float> probabilities);

    /**
     * The sum of the given labels' probabilities. Each label must exist in the model; the check
     * happens when the classifier is built, see {@link #labels()}.
     *
     * @param labels the labels to sum
     * @return the sum of the given labels' probabilities
     */
    static ScoreFunction sumOf(String... labels) {
        List<String> copy = List.of(labels);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("sumOf needs at least one label");
        }
        return new LabelSum(copy);
    }

    /**
     * The labels this function reads, so that a classifier can verify them against its model when
     * it is built. Empty when unknown, as for a lambda.
     *
     * @return the labels this function reads, so that a classifier can verify them against its model when it is built
     */
    default List<String> labels() {
        return List.of();
    }

    /** The sum of some labels' probabilities. */
    record LabelSum(List<String> labels) implements ScoreFunction {
        /**
         * Copies and validates the labels.
         *
         * @param labels the labels whose probabilities are summed
         */
        public LabelSum {
            labels = List.copyOf(labels);
            labels.forEach(l -> Objects.requireNonNull(l, "label"));
        }

        @Override
        public double score(Map<String, Float> probabilities) {
            double sum = 0;
            for (String label : labels) {
                Float p = probabilities.get(label);
                if (p != null) {
                    sum += p;
                }
            }
            return sum;
        }
    }
}
