package io.keshikaran.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Compares every computation with the values scikit-learn 1.2 wrote in sklearn-reference.json
 * (tools/eval-reference/sklearn_reference.py), to 1e-9, on the very same scores and labels.
 */
class SklearnReferenceTest {
    private static final double TOL = 1e-9;

    @TestFactory
    List<DynamicTest> matchesScikitLearn() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("sklearn-reference.json")) {
            root = new ObjectMapper().readTree(in);
        }
        assertThat(root.get("sklearn").asText()).startsWith("1.");
        List<DynamicTest> tests = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("cases").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            tests.add(DynamicTest.dynamicTest(c.getKey(), () -> check(c.getValue())));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(9);
        return tests;
    }

    private static void check(JsonNode c) {
        double[] scores = doubles(c.get("scores"));
        boolean[] labels = new boolean[scores.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = c.get("labels").get(i).asBoolean();
        }
        LabeledScores data = LabeledScores.of(scores, labels);
        BinaryEvaluation eval = BinaryEvaluation.of(data);

        assertThat(eval.rocAuc()).isCloseTo(c.get("roc_auc").asDouble(), within(TOL));
        assertThat(eval.averagePrecision()).isCloseTo(c.get("average_precision").asDouble(), within(TOL));

        RocCurve roc = eval.roc();
        assertArray(roc.falsePositiveRates(), doubles(c.get("roc").get("fpr")));
        assertArray(roc.truePositiveRates(), doubles(c.get("roc").get("tpr")));
        assertThat(roc.thresholds()[0]).isEqualTo(Double.POSITIVE_INFINITY);
        assertArray(java.util.Arrays.copyOfRange(roc.thresholds(), 1, roc.size()), doubles(c.get("roc").get("thresholds")));
        assertThat(roc.area()).isCloseTo(c.get("roc_auc").asDouble(), within(TOL));

        // scikit-learn lists the PR curve by increasing threshold with the (0, 1) point last.
        PrecisionRecallCurve pr = eval.precisionRecall();
        assertArray(reversed(pr.precisions()), doubles(c.get("pr").get("precision")));
        assertArray(reversed(pr.recalls()), doubles(c.get("pr").get("recall")));
        double[] t = reversed(pr.thresholds());
        assertArray(java.util.Arrays.copyOf(t, t.length - 1), doubles(c.get("pr").get("thresholds")));
        assertThat(pr.averagePrecision()).isCloseTo(c.get("average_precision").asDouble(), within(TOL));

        for (JsonNode m : c.get("confusion")) {
            ConfusionMatrix cm = eval.confusionAt(m.get("threshold").asDouble());
            assertThat(new long[] {cm.truePositives(), cm.falsePositives(), cm.trueNegatives(), cm.falseNegatives()})
                    .as("confusion at %s", m.get("threshold"))
                    .containsExactly(m.get("tp").asLong(), m.get("fp").asLong(), m.get("tn").asLong(), m.get("fn").asLong());
        }

        JsonNode targets = c.get("targets");
        targets.get("precision").fields().forEachRemaining(e ->
                assertTarget(eval.thresholdForPrecision(Double.parseDouble(e.getKey())), e.getValue(), "precision " + e.getKey()));
        targets.get("recall").fields().forEachRemaining(e ->
                assertTarget(eval.thresholdForRecall(Double.parseDouble(e.getKey())), e.getValue(), "recall " + e.getKey()));
        targets.get("fpr").fields().forEachRemaining(e ->
                assertTarget(eval.thresholdForFalsePositiveRate(Double.parseDouble(e.getKey())), e.getValue(), "fpr " + e.getKey()));
    }

    private static void assertTarget(Optional<ConfusionMatrix> actual, JsonNode expected, String what) {
        if (expected.isNull()) {
            assertThat(actual).as(what).isEmpty();
        } else {
            assertThat(actual).as(what).isPresent();
            assertThat(actual.get().threshold()).as(what).isCloseTo(expected.asDouble(), within(TOL));
        }
    }

    private static void assertArray(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(TOL));
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static double[] reversed(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[a.length - 1 - i];
        }
        return out;
    }
}
