package io.keshikaran;

/**
 * How {@link Classifier#classifyAll} spreads work. Immutable.
 *
 * <p>Images are decoded and preprocessed on {@code decodeThreads} threads, then stacked into
 * batches of up to {@code batchSize} for one engine call each. At most {@code maxInFlight} images
 * are held between reading and emitting, so memory stays bounded however long the input is: when
 * the window is full, reading the next input waits (back-pressure).
 *
 * @param batchSize     images per engine call; 1 disables batching
 * @param decodeThreads threads that decode and preprocess
 * @param maxInFlight   images read but not yet emitted
 * @param order         whether results follow the input order or completion order
 * @param thumbnailSize  the longest side of a thumbnail of each decoded image to return with its
 *                       result ({@link ClassificationResult#thumbnail()}); 0 for none
 */
public record BatchOptions(int batchSize, int decodeThreads, int maxInFlight, Order order, int thumbnailSize) {

    /** In which order results reach the consumer. */
    public enum Order {
        /** The order of the inputs; a slow input delays the results after it. */
        INPUT,
        /** As soon as each result is ready. */
        COMPLETION
    }

    /**
     * Validates the values.
     *
     * @param batchSize     images per engine call, at least 1
     * @param decodeThreads threads that decode and preprocess, at least 1
     * @param maxInFlight   images read but not yet emitted, at least {@code batchSize}
     * @param order         whether results follow the input order or completion order
     * @param thumbnailSize the longest side of each returned thumbnail; 0 for none
     */
    public BatchOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (decodeThreads < 1) {
            throw new IllegalArgumentException("decodeThreads must be at least 1, got " + decodeThreads);
        }
        if (maxInFlight < batchSize) {
            throw new IllegalArgumentException("maxInFlight (" + maxInFlight + ") must be at least batchSize (" + batchSize + ")");
        }
        java.util.Objects.requireNonNull(order, "order");
        if (thumbnailSize < 0) {
            throw new IllegalArgumentException("thumbnailSize must not be negative, got " + thumbnailSize);
        }
    }

    /**
     * Options without thumbnails.
     *
     * @param batchSize     images per engine call; 1 disables batching
     * @param decodeThreads threads that decode and preprocess
     * @param maxInFlight   images read but not yet emitted
     * @param order         whether results follow the input order or completion order
     */
    public BatchOptions(int batchSize, int decodeThreads, int maxInFlight, Order order) {
        this(batchSize, decodeThreads, maxInFlight, order, 0);
    }

    /**
     * The defaults (docs/performance.md): batches of 8, one decoding thread per core, a window of
     * 64 images, input order. On real-world uploads (photos and wallpapers of 4 to 18 MP) decoding
     * dominates: on 2 cores a second decoding thread took the CLI over a 139-file real-world folder
     * from 13.1 s to 8.0 s. On small images (at most 1920 px), where the engine dominates, one
     * decoding thread per two cores was about 20% faster; pass {@code withDecodeThreads} for such
     * workloads.
     *
     * @return the defaults
     */
    public static BatchOptions defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new BatchOptions(8, Math.max(1, cores), 64, Order.INPUT);
    }

    /**
     * A copy with another batch size (the window grows to fit it if needed).
     *
     * @param size images per inference batch, at least 1
     * @return a copy with another batch size (the window grows to fit it if needed)
     */
    public BatchOptions withBatchSize(int size) {
        return new BatchOptions(size, decodeThreads, Math.max(maxInFlight, size), order, thumbnailSize);
    }

    /**
     * A copy with another number of decoding threads.
     *
     * @param threads at least 1
     * @return a copy with another number of decoding threads
     */
    public BatchOptions withDecodeThreads(int threads) {
        return new BatchOptions(batchSize, threads, maxInFlight, order, thumbnailSize);
    }

    /**
     * A copy with another window.
     *
     * @param images images read but not yet delivered, at most
     * @return a copy with another window
     */
    public BatchOptions withMaxInFlight(int images) {
        return new BatchOptions(batchSize, decodeThreads, images, order, thumbnailSize);
    }

    /**
     * A copy with another result order.
     *
     * @param order the order results are delivered in
     * @return a copy with another result order
     */
    public BatchOptions withOrder(Order order) {
        return new BatchOptions(batchSize, decodeThreads, maxInFlight, order, thumbnailSize);
    }

    /**
     * A copy that returns a thumbnail with each result.
     *
     * @param maxSide the thumbnail's longest side in pixels; 0 for none
     * @return the new options
     */
    public BatchOptions withThumbnailSize(int maxSide) {
        return new BatchOptions(batchSize, decodeThreads, maxInFlight, order, maxSide);
    }
}
