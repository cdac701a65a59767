package io.keshikaran.examples;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;

import java.nio.file.Path;

/**
 * Example (b): a moderation gate with two thresholds.
 *
 * <ul>
 *   <li>{@link Decision#ACCEPT}: score below {@code reviewAt}; publish without a human look.</li>
 *   <li>{@link Decision#REVIEW}: score in {@code [reviewAt, rejectAt)}; hold for a moderator.</li>
 *   <li>{@link Decision#REJECT}: score at or above {@code rejectAt}; refuse the upload.</li>
 * </ul>
 * An image that cannot be decoded is rejected too: what cannot be checked is not published.
 */
public final class ModerationGate implements AutoCloseable {
    /** What happens to an upload. */
    public enum Decision { ACCEPT, REVIEW, REJECT }

    private final Classifier classifier;
    private final double reviewAt;
    private final double rejectAt;

    /** A gate that owns a classifier with the default model. */
    public ModerationGate(double reviewAt, double rejectAt) throws Exception {
        if (!(0 <= reviewAt && reviewAt <= rejectAt && rejectAt <= 1)) {
            throw new IllegalArgumentException("need 0 <= reviewAt <= rejectAt <= 1, got " + reviewAt + ", " + rejectAt);
        }
        this.classifier = Classifier.builder().build();
        this.reviewAt = reviewAt;
        this.rejectAt = rejectAt;
    }

    /** Decides what happens to one image. */
    public Decision decide(Path image) {
        try {
            return decide(classifier.classify(image).score());
        } catch (InvalidImageException e) {
            return Decision.REJECT;
        }
    }

    /** Maps a score to a decision. */
    public Decision decide(double score) {
        if (score >= rejectAt) {
            return Decision.REJECT;
        }
        return score >= reviewAt ? Decision.REVIEW : Decision.ACCEPT;
    }

    /** Returns the classification behind a decision, for audit logs. */
    public Classification explain(Path image) throws InvalidImageException {
        return classifier.classify(image);
    }

    @Override
    public void close() {
        classifier.close();
    }

    /** Usage: {@code ModerationGate IMAGE...}; thresholds 0.4 (review) and 0.8 (reject). */
    public static void main(String[] args) throws Exception {
        try (ModerationGate gate = new ModerationGate(0.4, 0.8)) {
            for (String arg : args) {
                System.out.println(arg + "\t" + gate.decide(Path.of(arg)));
            }
        }
    }
}
