package io.keshikaran;

import io.keshikaran.image.RgbImage;

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
    private final RgbImage thumbnail;

    private ClassificationResult(long index, String source, Classification classification, InvalidImageException error,
                                 RgbImage thumbnail) {
        this.index = index;
        this.source = Objects.requireNonNull(source, "source");
        this.classification = classification;
        this.error = error;
        this.thumbnail = thumbnail;
    }

    /**
     * A success.
     *
     * @param index          the input's position in the batch
     * @param classification its result
     * @return the result
     */
    public static ClassificationResult success(long index, Classification classification) {
        return success(index, classification, null);
    }

    /**
     * A success with a thumbnail of the decoded image, as {@link BatchOptions#thumbnailSize()} asks.
     *
     * @param index          the input's position in the batch
     * @param classification its result
     * @param thumbnail      the decoded image scaled down for display; may be null
     * @return the result
     */
    public static ClassificationResult success(long index, Classification classification, RgbImage thumbnail) {
        return new ClassificationResult(index, classification.source(), classification, null, thumbnail);
    }

    /**
     * A failure.
     *
     * @param index the input's position in the batch
     * @param error why the input could not be classified
     * @return the result
     */
    public static ClassificationResult failure(long index, InvalidImageException error) {
        return new ClassificationResult(index, error.source(), null, error, null);
    }

    /**
     * The decoded image (an animation's first frame) scaled to fit {@link BatchOptions#thumbnailSize()},
     * as the model saw it (oriented, transparency handled); empty unless the batch asked for one or
     * when the input failed.
     *
     * @return the thumbnail, if any
     */
    public Optional<RgbImage> thumbnail() {
        return Optional.ofNullable(thumbnail);
    }

    /**
     * The input's position in the batch, counting from 0.
     *
     * @return the input's position in the batch, counting from 0
     */
    public long index() {
        return index;
    }

    /**
     * The input's name.
     *
     * @return the input's name
     */
    public String source() {
        return source;
    }

    /**
     * Whether the input was classified.
     *
     * @return whether the input was classified
     */
    public boolean isSuccess() {
        return classification != null;
    }

    /**
     * The classification, if the input was classified.
     *
     * @return the classification, if the input was classified
     */
    public Optional<Classification> classification() {
        return Optional.ofNullable(classification);
    }

    /**
     * Why the input could not be classified, if it failed.
     *
     * @return why the input could not be classified, if it failed
     */
    public Optional<InvalidImageException> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public String toString() {
        return isSuccess() ? "ClassificationResult[" + index + " " + classification + "]"
                : "ClassificationResult[" + index + " " + error.getMessage() + "]";
    }
}
