package io.keshikaran.spi;

import io.keshikaran.BatchOptions;
import io.keshikaran.ClassificationResult;
import io.keshikaran.InferenceException;
import io.keshikaran.InvalidImageException;
import io.keshikaran.image.ImageInput;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs one {@code classifyAll} call: the caller's thread reads inputs, decoding threads decode and
 * preprocess, one inference thread stacks whatever is ready (up to the batch size) into one engine
 * call, and an emitter hands results to the consumer, one at a time.
 *
 * <p>Batches form from what is ready instead of waiting to fill up, so a slow producer never adds
 * latency and a fast one gets full batches. A semaphore of {@code maxInFlight} permits, released
 * only when a result is emitted, bounds memory and gives back-pressure to the reader.
 */
final class BatchRunner {
    private static final PipelineClassifier.Prepared END = new PipelineClassifier.Prepared(-1, "", null);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final PipelineClassifier pipeline;
    private final BatchOptions options;
    private final Consumer<ClassificationResult> sink;
    private final Semaphore window;
    private final BlockingQueue<PipelineClassifier.Prepared> ready = new LinkedBlockingQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final TreeMap<Long, ClassificationResult> pending = new TreeMap<>();
    private long nextToEmit;

    BatchRunner(PipelineClassifier pipeline, BatchOptions options, Consumer<ClassificationResult> sink) {
        this.pipeline = pipeline;
        this.options = options;
        this.sink = sink;
        this.window = new Semaphore(options.maxInFlight());
    }

    void run(Iterator<ImageInput> inputs) {
        int run = RUNS.incrementAndGet();
        ExecutorService decoders = Executors.newFixedThreadPool(options.decodeThreads(),
                daemonThreads("keshikaran-decode-" + run + "-"));
        Thread inference = daemonThreads("keshikaran-infer-" + run + "-").newThread(this::inferLoop);
        inference.start();
        long submitted = 0;
        try {
            while (inputs.hasNext() && failure.get() == null) {
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                ImageInput input = inputs.next();
                long index = submitted++;
                decoders.execute(() -> prepare(input, index));
            }
            decoders.shutdown();
            while (!decoders.awaitTermination(100, TimeUnit.MILLISECONDS)) {
                if (failure.get() != null) {
                    break;
                }
            }
            ready.add(END);
            inference.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new InferenceException("interrupted while classifying a batch", e));
        } finally {
            decoders.shutdownNow();
            inference.interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new InferenceException("batch classification failed", t);
        }
    }

    private void prepare(ImageInput input, long index) {
        try {
            ready.add(pipeline.prepare(input, index));
        } catch (InvalidImageException e) {
            emit(ClassificationResult.failure(index, e));
        } catch (OutOfMemoryError e) {
            // The decoder turns its own into InvalidImageException; this one hit preprocessing.
            // It is this input's failure: the others go on.
            emit(ClassificationResult.failure(index, new InvalidImageException(input.name(),
                    "not enough memory to prepare this image (lower ImageLimits.maxPixels or give the JVM more heap)", e)));
        } catch (RuntimeException | Error e) {
            // Decoders are guarded against malformed data; reaching here is a bug or a broken
            // environment, so the whole run stops instead of silently losing an input.
            failure.compareAndSet(null, e);
        }
    }

    private void inferLoop() {
        List<PipelineClassifier.Prepared> batch = new ArrayList<>(options.batchSize());
        boolean end = false;
        try {
            while (!end && failure.get() == null) {
                batch.clear();
                batch.add(ready.take());
                ready.drainTo(batch, options.batchSize() - 1);
                if (batch.remove(END)) {
                    end = true;
                }
                if (!batch.isEmpty()) {
                    for (ClassificationResult r : pipeline.complete(batch)) {
                        emit(r);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
    }

    private synchronized void emit(ClassificationResult result) {
        if (failure.get() != null) {
            return;
        }
        try {
            if (options.order() == BatchOptions.Order.COMPLETION) {
                sink.accept(result);
                window.release();
                return;
            }
            pending.put(result.index(), result);
            while (!pending.isEmpty() && pending.firstKey() == nextToEmit) {
                sink.accept(pending.pollFirstEntry().getValue());
                nextToEmit++;
                window.release();
            }
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
