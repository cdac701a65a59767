package io.keshikaran.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Cases worked out by hand: ties, both extremes, one class, empty input, NaN, and the bootstrap. */
class HandCasesTest {

    private static LabeledScores data(double[] s, boolean... y) {
        return LabeledScores.of(s, y);
    }

    @Test
    void tieBetweenClassesCountsOneHalf() {
        // One positive and one negative at 0.5: the only pair is a tie, so AUC = 1/2.
        BinaryEvaluation e = BinaryEvaluation.of(data(new double[] {0.5, 0.5}, true, false));
        assertThat(e.rocAuc()).isEqualTo(0.5);
        assertThat(e.roc().size()).isEqualTo(2);
        // AP: one point, recall 1 at precision 1/2.
        assertThat(e.averagePrecision()).isEqualTo(0.5);
    }

    @Test
    void tiesWithinAndAcrossClasses() {
        // Positives 0.9, 0.5, 0.5; negatives 0.5, 0.1. Pairs (P,N): 0.9>0.5, 0.9>0.1, 0.5=0.5 (x2 -> 1/2 each), 0.5>0.1 (x2).
        // AUC = (1 + 1 + 0.5 + 0.5 + 1 + 1) / 6 = 5/6.
        BinaryEvaluation e = BinaryEvaluation.of(data(new double[] {0.9, 0.5, 0.5, 0.5, 0.1}, true, true, true, false, false));
        assertThat(e.rocAuc()).isCloseTo(5.0 / 6, within(1e-15));
        assertThat(e.roc().thresholds()).containsExactly(Double.POSITIVE_INFINITY, 0.9, 0.5, 0.1);
        // AP = 1/3 * 1 + 2/3 * 3/4 = 5/6.
        assertThat(e.averagePrecision()).isCloseTo(5.0 / 6, within(1e-15));
        ConfusionMatrix atHalf = e.confusionAt(0.5);
        assertThat(atHalf).isEqualTo(new ConfusionMatrix(0.5, 3, 1, 1, 0));
        assertThat(atHalf.precision()).isEqualTo(0.75);
        // Just above the tie, the whole tie drops out at once.
        assertThat(e.confusionAt(Math.nextUp(0.5))).isEqualTo(new ConfusionMatrix(Math.nextUp(0.5), 1, 0, 2, 2));
    }

    @Test
    void extremesAndInfiniteThresholds() {
        BinaryEvaluation e = BinaryEvaluation.of(data(new double[] {0.0, 1.0, 1.0, 0.0}, false, true, false, true));
        assertThat(e.confusionAt(0.0)).isEqualTo(new ConfusionMatrix(0.0, 2, 2, 0, 0));
        assertThat(e.confusionAt(1.0)).isEqualTo(new ConfusionMatrix(1.0, 1, 1, 1, 1));
        assertThat(e.confusionAt(Double.POSITIVE_INFINITY).predictedPositives()).isZero();
        assertThat(e.confusionAt(Double.NEGATIVE_INFINITY).predictedPositives()).isEqualTo(4);
        assertThat(e.confusionAt(Double.POSITIVE_INFINITY).precision()).isNaN();
        assertThat(e.rocAuc()).isEqualTo(0.5);
    }

    @Test
    void infiniteScoresAreOrdinaryScores() {
        BinaryEvaluation e = BinaryEvaluation.of(data(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}, true, false));
        assertThat(e.rocAuc()).isEqualTo(1.0);
        assertThat(e.thresholdForPrecision(1.0).orElseThrow().threshold()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void perfectAndInvertedSeparation() {
        double[] s = {0.9, 0.8, 0.2, 0.1};
        BinaryEvaluation perfect = BinaryEvaluation.of(data(s, true, true, false, false));
        assertThat(perfect.rocAuc()).isEqualTo(1.0);
        assertThat(perfect.averagePrecision()).isEqualTo(1.0);
        assertThat(perfect.thresholdForPrecision(1.0).orElseThrow().threshold()).isEqualTo(0.8);
        assertThat(perfect.thresholdForRecall(1.0).orElseThrow().threshold()).isEqualTo(0.8);
        assertThat(perfect.thresholdForFalsePositiveRate(0.0).orElseThrow().threshold()).isEqualTo(0.8);
        BinaryEvaluation inverted = BinaryEvaluation.of(data(s, false, false, true, true));
        assertThat(inverted.rocAuc()).isEqualTo(0.0);
        assertThat(inverted.thresholdForPrecision(0.9)).isEmpty();
        assertThat(inverted.thresholdForFalsePositiveRate(0.0)).isEmpty();
        assertThat(inverted.thresholdForRecall(1.0).orElseThrow().threshold()).isEqualTo(0.1);
    }

    @Test
    void precisionTargetTakesTheLowestThresholdThatReachesIt() {
        // Precision by threshold: 0.9 -> 1/1, 0.8 -> 1/2, 0.7 -> 2/3, 0.6 -> 3/4, 0.5 -> 3/5.
        BinaryEvaluation e = BinaryEvaluation.of(data(new double[] {0.9, 0.8, 0.7, 0.6, 0.5}, true, false, true, true, false));
        assertThat(e.thresholdForPrecision(0.7).orElseThrow()).isEqualTo(new ConfusionMatrix(0.6, 3, 1, 1, 0));
        assertThat(e.thresholdForPrecision(0.8).orElseThrow().threshold()).isEqualTo(0.9);
        assertThat(e.thresholdForRecall(0.5).orElseThrow().threshold()).isEqualTo(0.7);
        assertThat(e.thresholdForFalsePositiveRate(0.5).orElseThrow().threshold()).isEqualTo(0.6);
    }

    @Test
    void oneClassOnlyIsAClearError() {
        BinaryEvaluation allNegative = BinaryEvaluation.of(data(new double[] {0.1, 0.2}, false, false));
        assertThatThrownBy(allNegative::rocAuc).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs both classes").hasMessageContaining("0 positive and 2 negative");
        assertThatThrownBy(allNegative::averagePrecision).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs positive examples");
        assertThatThrownBy(() -> allNegative.thresholdForRecall(0.9)).isInstanceOf(IllegalStateException.class);
        assertThat(allNegative.confusionAt(0.15)).isEqualTo(new ConfusionMatrix(0.15, 0, 1, 1, 0));

        // No negatives: ROC is undefined, but precision-recall is (as in scikit-learn, AP = 1).
        BinaryEvaluation allPositive = BinaryEvaluation.of(data(new double[] {0.1, 0.2}, true, true));
        assertThatThrownBy(allPositive::roc).isInstanceOf(IllegalStateException.class).hasMessageContaining("2 positive and 0 negative");
        assertThat(allPositive.averagePrecision()).isEqualTo(1.0);
        assertThatThrownBy(() -> allPositive.thresholdForFalsePositiveRate(0.1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Bootstrap.builder().build().averagePrecision(allPositive.data()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bootstrap");
    }

    @Test
    void emptyAndNaNInputs() {
        assertThatThrownBy(() -> LabeledScores.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no examples");
        assertThatThrownBy(() -> LabeledScores.builder().add(0.3, true).add(Double.NaN, false).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN").hasMessageContaining("index 1");
        LabeledScores dropped = LabeledScores.builder().optDropNaN(true).add(0.3, true).add(Double.NaN, false).add(0.1, false).build();
        assertThat(dropped.size()).isEqualTo(2);
        assertThat(dropped.droppedNaN()).isEqualTo(1);
        assertThatThrownBy(() -> LabeledScores.builder().optDropNaN(true).add(Double.NaN, true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all 1 scores are NaN");
        assertThatThrownBy(() -> LabeledScores.of(new double[2], new boolean[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("differ in length");
        BinaryEvaluation e = BinaryEvaluation.of(dropped);
        assertThatThrownBy(() -> e.confusionAt(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.thresholdForPrecision(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("within [0, 1]");
    }

    @Test
    void bootstrapIsSeededAndBracketsTheEstimate() {
        java.util.Random r = new java.util.Random(7);
        LabeledScores.Builder b = LabeledScores.builder();
        for (int i = 0; i < 400; i++) {
            boolean pos = i % 3 == 0;
            b.add(Math.round((r.nextGaussian() * 0.2 + (pos ? 0.65 : 0.4)) * 100) / 100.0, pos);
        }
        LabeledScores data = b.build();
        Bootstrap boot = Bootstrap.builder().optResamples(500).optSeed(1).build();
        ConfidenceInterval auc = boot.rocAuc(data);
        assertThat(auc.estimate()).isEqualTo(BinaryEvaluation.of(data).rocAuc());
        assertThat(auc.lower()).isLessThan(auc.estimate());
        assertThat(auc.upper()).isGreaterThan(auc.estimate());
        assertThat(auc.upper() - auc.lower()).isBetween(0.02, 0.3);
        assertThat(boot.rocAuc(data)).isEqualTo(auc);
        assertThat(Bootstrap.builder().optResamples(500).optSeed(2).build().rocAuc(data)).isNotEqualTo(auc);
        ConfidenceInterval ap = boot.averagePrecision(data);
        assertThat(ap.estimate()).isEqualTo(BinaryEvaluation.of(data).averagePrecision());
        assertThat(ap.lower()).isLessThan(ap.upper());
        // A wider level gives a wider interval from the same resamples.
        ConfidenceInterval wide = Bootstrap.builder().optResamples(500).optSeed(1).optLevel(0.99).build().rocAuc(data);
        assertThat(wide.lower()).isLessThanOrEqualTo(auc.lower());
        assertThat(wide.upper()).isGreaterThanOrEqualTo(auc.upper());
    }

    @Test
    void bootstrapWeightsAgreeWithExplicitResampling() {
        // Weighted counts must equal the metric of the data with the drawn examples repeated.
        double[] s = {0.9, 0.5, 0.5, 0.3, 0.5, 0.1};
        boolean[] y = {true, true, false, true, false, false};
        int[] w = {2, 0, 1, 1, 0, 3};
        Counts weighted = Counts.of(s, y, Counts.order(s), w);
        LabeledScores.Builder b = LabeledScores.builder();
        for (int i = 0; i < s.length; i++) {
            for (int k = 0; k < w[i]; k++) {
                b.add(s[i], y[i]);
            }
        }
        BinaryEvaluation explicit = BinaryEvaluation.of(b.build());
        assertThat(weighted.rocAuc()).isCloseTo(explicit.rocAuc(), within(1e-15));
        assertThat(weighted.averagePrecision()).isCloseTo(explicit.averagePrecision(), within(1e-15));
    }

    @Test
    void quantileInterpolatesLikeNumpy() {
        double[] v = {1, 2, 3, 4};
        // numpy.quantile([1,2,3,4], 0.025) = 1.075; 0.975 -> 3.925
        assertThat(Bootstrap.quantile(v, 0.025)).isCloseTo(1.075, within(1e-12));
        assertThat(Bootstrap.quantile(v, 0.975)).isCloseTo(3.925, within(1e-12));
    }

    @Test
    void buildersValidate() {
        assertThatThrownBy(() -> Bootstrap.builder().optResamples(5).build()).hasMessageContaining("at least 10");
        assertThatThrownBy(() -> Bootstrap.builder().optLevel(1.0).build()).hasMessageContaining("within (0, 1)");
        assertThatThrownBy(() -> new ConfusionMatrix(0.5, -1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
