package io.keshikaran.cli;

import io.keshikaran.eval.BinaryEvaluation;
import io.keshikaran.eval.Bootstrap;
import io.keshikaran.eval.ConfidenceInterval;
import io.keshikaran.eval.ConfusionMatrix;
import io.keshikaran.eval.LabeledScores;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The calibration of one score (a model and a score formula) on the labelled images every model
 * scored: curves, AUC and AP with intervals, the review and reject thresholds, and the images they
 * get wrong. Built once; read by the JSON, text and HTML outputs.
 */
final class Calibration {
    /** An image the thresholds get wrong: a negative at or above the review threshold, or a positive below it. */
    record Miss(LabeledImages.Item item, double score, String outcome, double wrongness) {
    }

    /** Where each target landed: the operating point, or why there is none. */
    record Decision(String target, ConfusionMatrix point, String note) {
        Optional<ConfusionMatrix> matrix() {
            return Optional.ofNullable(point);
        }
    }

    final String model;
    final String engine;
    final List<String> scoreLabels;
    final int positives;
    final int negatives;
    /** Why nothing could be computed (one class only), or null. */
    final String error;
    final BinaryEvaluation evaluation;
    final ConfidenceInterval rocAuc;
    final ConfidenceInterval averagePrecision;
    final Decision review;
    final Decision reject;
    final List<Miss> misses;
    final int missCount;

    Calibration(String model, String engine, List<String> scoreLabels, List<LabeledImages.Item> items, double[] scores,
                double reviewRecall, double rejectPrecision, Bootstrap bootstrap, int maxMisses) {
        this.model = model;
        this.engine = engine;
        this.scoreLabels = List.copyOf(scoreLabels);
        LabeledScores.Builder b = LabeledScores.builder();
        int p = 0;
        for (int i = 0; i < items.size(); i++) {
            b.add(scores[i], items.get(i).positive());
            p += items.get(i).positive() ? 1 : 0;
        }
        this.positives = p;
        this.negatives = items.size() - p;
        if (p == 0 || p == items.size()) {
            this.error = items.isEmpty() ? "no image could be scored"
                    : "only " + (p == 0 ? "negative" : "positive") + " images could be scored (" + items.size()
                    + "): curves and thresholds need both classes";
            this.evaluation = null;
            this.rocAuc = null;
            this.averagePrecision = null;
            this.review = null;
            this.reject = null;
            this.misses = List.of();
            this.missCount = 0;
            return;
        }
        this.error = null;
        this.evaluation = BinaryEvaluation.of(b.build());
        this.rocAuc = bootstrap.rocAuc(evaluation.data());
        this.averagePrecision = bootstrap.averagePrecision(evaluation.data());
        String rejectTarget = "precision >= " + plain(rejectPrecision);
        Optional<ConfusionMatrix> rejectAt = evaluation.thresholdForPrecision(rejectPrecision);
        this.reject = new Decision(rejectTarget, rejectAt.orElse(null), rejectAt.isPresent() ? null
                : "no threshold reaches " + rejectTarget + " on these images");
        ConfusionMatrix reviewAt = evaluation.thresholdForRecall(reviewRecall).orElseThrow();
        String reviewTarget = "recall >= " + plain(reviewRecall);
        if (rejectAt.isPresent() && reviewAt.threshold() > rejectAt.get().threshold()) {
            // The reject threshold already reaches the recall target: no image needs a human.
            this.review = new Decision(reviewTarget, rejectAt.get(),
                    "the reject threshold already reaches " + reviewTarget + ": no review band");
        } else {
            this.review = new Decision(reviewTarget, reviewAt, null);
        }
        List<Miss> all = misses(items, scores, review.point().threshold(),
                rejectAt.map(ConfusionMatrix::threshold).orElse(Double.POSITIVE_INFINITY));
        this.missCount = all.size();
        this.misses = List.copyOf(all.subList(0, Math.min(maxMisses, all.size())));
    }

    /** Negatives flagged at the review threshold and positives below it, the most wrong first. */
    private static List<Miss> misses(List<LabeledImages.Item> items, double[] scores, double reviewAt, double rejectAt) {
        List<Miss> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            LabeledImages.Item item = items.get(i);
            double s = scores[i];
            if (!item.positive() && s >= reviewAt) {
                out.add(new Miss(item, s, s >= rejectAt ? "negative rejected" : "negative sent to review", s));
            } else if (item.positive() && s < reviewAt) {
                out.add(new Miss(item, s, "positive missed", 1 - s));
            }
        }
        out.sort(Comparator.comparingDouble(Miss::wrongness).reversed().thenComparing(m -> m.item().file()));
        return out;
    }

    String formula() {
        return String.join("+", scoreLabels);
    }

    /** The operating point's numbers as "t (P 0.95, R 0.80, FPR 0.02)". */
    static String describe(ConfusionMatrix m) {
        return String.format(Locale.ROOT, "%s (precision %.3f, recall %.3f, FPR %.3f)", threshold(m.threshold()),
                m.precision(), m.recall(), m.falsePositiveRate());
    }

    /** A threshold as written to files: full precision, so it reproduces the counts exactly. */
    static String threshold(double t) {
        return Double.toString(t);
    }

    static String plain(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
