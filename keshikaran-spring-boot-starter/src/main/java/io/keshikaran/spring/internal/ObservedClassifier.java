package io.keshikaran.spring.internal;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.ClassificationResult;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelInfo;
import io.keshikaran.image.ImageInput;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The auto-configured classifier: the loaded one, plus a count of calls in flight for the health
 * indicator and a report of every outcome to the {@link ClassificationObserver}s (metrics).
 * Thread-safe; {@link #close()} frees the model's native memory.
 */
public final class ObservedClassifier implements Classifier {

    private final Classifier delegate;
    private final ModelInfo model;
    private final List<ClassificationObserver> observers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    public ObservedClassifier(Classifier delegate, List<ClassificationObserver> observers) {
        this.delegate = delegate;
        this.model = delegate.model();
        this.observers = List.copyOf(observers);
    }

    /** Calls running now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public Classification classify(Path image) throws InvalidImageException {
        return observe(() -> delegate.classify(image));
    }

    @Override
    public Classification classify(byte[] encoded, String name) throws InvalidImageException {
        return observe(() -> delegate.classify(encoded, name));
    }

    @Override
    public Classification classify(InputStream in, String name) throws InvalidImageException {
        return observe(() -> delegate.classify(in, name));
    }

    @Override
    public Classification classify(BufferedImage image, String name) {
        return observeDecoded(() -> delegate.classify(image, name));
    }

    @Override
    public DecodedImage decode(Path image) throws InvalidImageException {
        return delegate.decode(image);
    }

    @Override
    public Classification classify(DecodedImage image, String name) {
        return observeDecoded(() -> delegate.classify(image, name));
    }

    @Override
    public Classification classify(RgbImage image, String name) {
        return observeDecoded(() -> delegate.classify(image, name));
    }

    @Override
    public void classifyAll(Stream<ImageInput> inputs, BatchOptions options, Consumer<ClassificationResult> consumer) {
        inFlight.incrementAndGet();
        try {
            delegate.classifyAll(inputs, options, result -> {
                if (result.isSuccess()) {
                    observers.forEach(o -> o.classified(model, result.classification().orElseThrow(), -1));
                } else {
                    observers.forEach(o -> o.invalidImage(model, result.error().orElseThrow(), -1));
                }
                consumer.accept(result);
            });
        } catch (RuntimeException e) {
            observers.forEach(o -> o.failed(model, e, -1));
            throw e;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public ModelInfo model() {
        return model;
    }

    @Override
    public ModelDescription description() {
        return delegate.description();
    }

    @Override
    public ImageLimits imageLimits() {
        return delegate.imageLimits();
    }

    @Override
    public DecodeOptions decodeOptions() {
        return delegate.decodeOptions();
    }

    @Override
    public void close() {
        closed = true;
        delegate.close();
    }

    @Override
    public String toString() {
        return "ObservedClassifier[" + model.id() + " on " + model.engine() + "]";
    }

    private interface Call {
        Classification run() throws InvalidImageException;
    }

    private Classification observe(Call call) throws InvalidImageException {
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        try {
            Classification c = call.run();
            long nanos = System.nanoTime() - start;
            observers.forEach(o -> o.classified(model, c, nanos));
            return c;
        } catch (InvalidImageException e) {
            long nanos = System.nanoTime() - start;
            observers.forEach(o -> o.invalidImage(model, e, nanos));
            throw e;
        } catch (RuntimeException e) {
            long nanos = System.nanoTime() - start;
            observers.forEach(o -> o.failed(model, e, nanos));
            throw e;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Classification observeDecoded(Call call) {
        try {
            return observe(call);
        } catch (InvalidImageException e) {
            throw new IllegalStateException("a decoded image cannot be invalid", e);
        }
    }
}
