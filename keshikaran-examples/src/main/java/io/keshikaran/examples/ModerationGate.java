package io.keshikaran.examples;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelException;
import io.keshikaran.ScoreFunction;
import io.keshikaran.eval.ThresholdsFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Example (b): a moderation gate that sorts uploads into three buckets with two thresholds.
 *
 * <ul>
 *   <li>{@link Decision#ACCEPT}: score below {@code reviewAt}. The image is published without a
 *       human look.</li>
 *   <li>{@link Decision#REVIEW}: score in {@code [reviewAt, rejectAt)}. The model is unsure or the
 *       image is borderline (swimwear, art, suggestive poses): hold it back, or show it blurred,
 *       until a moderator decides.</li>
 *   <li>{@link Decision#REJECT}: score at or above {@code rejectAt}. The image is refused without a
 *       human look. An image that cannot be decoded is rejected too: what cannot be checked is not
 *       published (fail closed).</li>
 * </ul>
 *
 * <p>Where to put the thresholds is a product decision: a lower {@code reviewAt} sends more
 * harmless images to moderators, a higher {@code rejectAt} lets more explicit ones reach review
 * instead of being refused outright. {@link #main} uses 0.4 and 0.8, or the thresholds and model of the
 * file {@code keshikaran calibrate --save-thresholds} writes ({@link #fromThresholdsFile}).
 *
 * <p>Thread-safe: one gate can serve every request of an application.
 */
public final class ModerationGate implements AutoCloseable {
    /** What happens to an upload. */
    public enum Decision { ACCEPT, REVIEW, REJECT }

    /**
     * The decision about one image and why it was made.
     *
     * @param source         the image's name
     * @param decision       what happens to it
     * @param classification the model's result; empty when the image could not be decoded
     * @param error          why the image could not be decoded; empty when it was classified
     */
    public record Verdict(String source, Decision decision, Optional<Classification> classification,
                          Optional<String> error) {
        /** Checks that exactly one of classification and error is present. */
        public Verdict {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(decision, "decision");
            if (classification.isPresent() == error.isPresent()) {
                throw new IllegalArgumentException("a verdict has either a classification or an error");
            }
        }
    }

    private final Classifier classifier;
    private final boolean ownsClassifier;
    private final double reviewAt;
    private final double rejectAt;

    /**
     * A gate with its own classifier for the bundled default model; {@link #close()} frees it.
     *
     * @throws ModelException if the model cannot be loaded
     */
    public ModerationGate(double reviewAt, double rejectAt) throws ModelException {
        this(Classifier.builder(), reviewAt, rejectAt);
    }

    private ModerationGate(Classifier.Builder builder, double reviewAt, double rejectAt) throws ModelException {
        checkThresholds(reviewAt, rejectAt);
        this.classifier = builder.build();
        this.ownsClassifier = true;
        this.reviewAt = reviewAt;
        this.rejectAt = rejectAt;
    }

    /**
     * A gate with the thresholds, model and score labels of the file {@code keshikaran calibrate
     * --save-thresholds} writes (Java properties, or JSON when the name ends with {@code .json}); keys
     * it lacks take the defaults, the bundled default model and 0.4 / 0.8. {@link #close()} frees the
     * model it loads.
     *
     * @param thresholdsFile the file calibrate wrote
     * @return a gate that owns its classifier
     * @throws IOException              if the file cannot be read or parsed, or a threshold is not a
     *                                  number within 0..1 ({@link ThresholdsFile#read(Path, ThresholdsFile)})
     * @throws IllegalArgumentException if the thresholds are out of order
     * @throws ModelException           if the model cannot be loaded
     */
    public static ModerationGate fromThresholdsFile(Path thresholdsFile) throws IOException, ModelException {
        ThresholdsFile t = ThresholdsFile.read(thresholdsFile, ThresholdsFile.builder().setModel(Classifier.DEFAULT_MODEL)
                .setReviewThreshold(0.4).optRejectThreshold(0.8).build());
        return new ModerationGate(classifierBuilder(t.model(), t.scoreLabels()), t.reviewThreshold(), t.rejectThreshold().orElseThrow());
    }

    /**
     * A classifier builder for a model and score labels as a thresholds file names them.
     *
     * @param model       a bundled model's name, or the path of a model file ({@link Classifier#modelFile})
     * @param scoreLabels the labels whose probabilities add up to the score; none for the model's own score
     * @return a builder with the model and, when there are score labels, their sum as the score
     */
    public static Classifier.Builder classifierBuilder(String model, List<String> scoreLabels) {
        Classifier.Builder builder = Classifier.builder();
        Classifier.modelFile(model).ifPresentOrElse(builder::optModelPath, () -> builder.optModel(model));
        if (!scoreLabels.isEmpty()) {
            builder.optScoreFunction(ScoreFunction.sumOf(scoreLabels.toArray(String[]::new)));
        }
        return builder;
    }

    /**
     * A gate that uses a classifier the caller shares with others and closes itself; closing the
     * gate leaves it open.
     */
    public ModerationGate(Classifier classifier, double reviewAt, double rejectAt) {
        checkThresholds(reviewAt, rejectAt);
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.ownsClassifier = false;
        this.reviewAt = reviewAt;
        this.rejectAt = rejectAt;
    }

    private static void checkThresholds(double reviewAt, double rejectAt) {
        if (!(0 <= reviewAt && reviewAt <= rejectAt && rejectAt <= 1)) {
            throw new IllegalArgumentException("need 0 <= reviewAt <= rejectAt <= 1, got reviewAt="
                    + reviewAt + ", rejectAt=" + rejectAt);
        }
    }

    /** Classifies one image file and decides what happens to it. Never throws for a bad image. */
    public Verdict check(Path image) {
        try {
            Classification c = classifier.classify(image);
            return new Verdict(c.source(), decide(c.score()), Optional.of(c), Optional.empty());
        } catch (InvalidImageException e) {
            return new Verdict(image.toString(), Decision.REJECT, Optional.empty(), Optional.of(e.reason()));
        }
    }

    /** Maps a score to its bucket. */
    public Decision decide(double score) {
        if (score >= rejectAt) {
            return Decision.REJECT;
        }
        return score >= reviewAt ? Decision.REVIEW : Decision.ACCEPT;
    }

    /** Scores at or above this go to review. */
    public double reviewAt() {
        return reviewAt;
    }

    /** Scores at or above this are rejected. */
    public double rejectAt() {
        return rejectAt;
    }

    /** Frees the classifier if the gate loaded it itself. */
    @Override
    public void close() {
        if (ownsClassifier) {
            classifier.close();
        }
    }

    /**
     * Usage: {@code ModerationGate [--thresholds FILE] IMAGE...}; prints
     * {@code IMAGE<TAB>DECISION<TAB>score or error}.
     */
    public static void main(String[] args) throws Exception {
        boolean fromFile = args.length >= 2 && args[0].equals("--thresholds");
        try (ModerationGate gate = fromFile ? fromThresholdsFile(Path.of(args[1])) : new ModerationGate(0.4, 0.8)) {
            for (String arg : java.util.Arrays.asList(args).subList(fromFile ? 2 : 0, args.length)) {
                Verdict v = gate.check(Path.of(arg));
                System.out.println(v.source() + "\t" + v.decision() + "\t"
                        + v.classification().map(c -> String.format(Locale.ROOT, "%.2f", c.score())).orElseGet(() -> v.error().get()));
            }
        }
    }
}
