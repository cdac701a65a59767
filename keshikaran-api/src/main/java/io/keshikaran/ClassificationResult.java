package io.keshikaran;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome for one input of a batch: a {@link Classification}, or the
 * {@link InvalidImageException} that explains why the input could not be classified. A batch
 * never stops because of one bad input. Immutable.
 */
public final class ClassificationResult {
    private final long index;
    private final String source;
    private final Classification classification;
    private final InvalidImageException error;

    private ClassificationResult(long index, String source, Classification classification, InvalidImageException error) {
        this.index = index;
        this.source = Objects.requireNonNull(source, "source");
        this.classification = classification;
        this.error = error;
    }

    /** A success. */
    public static ClassificationResult success(long index, Classification classification) {
        return new ClassificationResult(index, classification.source(), classification, null);
    }

    /** A failure. */
    public static ClassificationResult failure(long index, InvalidImageException error) {
        return new ClassificationResult(index, error.source(), null, error);
    }

    /** The input's position in the batch, counting from 0. */
    public long index() {
        return index;
    }

    /** The input's name. */
    public String source() {
        return source;
    }

    /** Whether the input was classified. */
    public boolean isSuccess() {
        return classification != null;
    }

    /** The classification, if the input was classified. */
    public Optional<Classification> classification() {
        return Optional.ofNullable(classification);
    }

    /** Why the input could not be classified, if it failed. */
    public Optional<InvalidImageException> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public String toString() {
        return isSuccess() ? "ClassificationResult[" + index + " " + classification + "]"
                : "ClassificationResult[" + index + " " + error.getMessage() + "]";
    }
}
