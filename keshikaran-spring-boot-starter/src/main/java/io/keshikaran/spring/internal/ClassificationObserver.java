package io.keshikaran.spring.internal;

import io.keshikaran.Classification;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelInfo;

/**
 * Told about every classification an {@link ObservedClassifier} makes. Called on the classifying
 * thread, so implementations must be thread-safe and quick.
 */
public interface ClassificationObserver {

    /** The classifier was loaded; called once, before any classification. */
    default void loaded(ModelInfo model) {
    }

    /**
     * An image was classified.
     *
     * @param nanos the call's duration, or -1 inside a batch, where single images are not timed
     */
    void classified(ModelInfo model, Classification classification, long nanos);

    /** An input was refused: not an image, truncated, over a limit, unreadable. */
    void invalidImage(ModelInfo model, InvalidImageException error, long nanos);

    /** The classifier itself failed (engine error, closed classifier). */
    void failed(ModelInfo model, RuntimeException error, long nanos);
}
