/**
 * Threshold calibration for a binary decision on scores: ROC and precision–recall curves, ROC AUC
 * and average precision with bootstrap confidence intervals, the threshold that reaches a target
 * precision, recall or false-positive rate, and the confusion matrix at any threshold.
 *
 * <p>Everywhere in this package an example is predicted positive when its score is <em>at or
 * above</em> the threshold ({@code score >= t}), as {@code keshikaran report} and the moderation
 * examples do. The curves and summary numbers follow scikit-learn's definitions
 * ({@code roc_curve}, {@code roc_auc_score}, {@code precision_recall_curve},
 * {@code average_precision_score}); the tests compare them with values scikit-learn computed.
 *
 * <pre>{@code
 * LabeledScores data = LabeledScores.builder().add(0.91, true).add(0.12, false) ... .build();
 * BinaryEvaluation eval = BinaryEvaluation.of(data);
 * double auc = eval.rocAuc();
 * ConfidenceInterval ci = Bootstrap.builder().optSeed(42).build().rocAuc(data);
 * Optional<ConfusionMatrix> reject = eval.thresholdForPrecision(0.99);
 * }</pre>
 *
 * <p>Pure computation on the JDK only; every type is immutable and thread-safe.
 */
package io.keshikaran.eval;
