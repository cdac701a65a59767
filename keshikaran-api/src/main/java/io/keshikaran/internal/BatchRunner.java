package io.keshikaran.internal;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs one {@code classifyAll} call: the caller's thread reads inputs, decoding workers decode and
 * preprocess, one inference worker stacks whatever is ready (up to the batch size) into one engine
 * call, and results reach the consumer one at a time.
 *
 * <p>Batches form from what is ready instead of waiting to fill up, so a slow producer never adds
 * latency and a fast one gets full batches. A semaphore of {@code maxInFlight} permits, released
 * only when a result is emitted, bounds memory and gives back-pressure to the reader.
 *
 * <p>The workers run on the classifier's shared pool rather than threads of their own, so that
 * frequent small calls reuse threads. Every worker polls with a timeout and checks for failure, so
 * a failing consumer, engine or {@code close()} ends the run instead of leaving a thread waiting.
 */
final class BatchRunner {
    private static final long POLL_MILLIS = 50;

    private final PipelineClassifier pipeline;
    private final BatchOptions options;
    private final Consumer<ClassificationResult> sink;
    private final ExecutorService threads;
    private final Semaphore window;
    private final BlockingQueue<Task> todo = new LinkedBlockingQueue<>();
    private final BlockingQueue<PipelineClassifier.Prepared> ready = new LinkedBlockingQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final TreeMap<Long, ClassificationResult> pending = new TreeMap<>();
    private volatile boolean inputEnded;
    private long nextToEmit;

    private record Task(ImageInput input, long index) {
    }

    BatchRunner(PipelineClassifier pipeline, BatchOptions options, Consumer<ClassificationResult> sink,
                ExecutorService threads) {
        this.pipeline = pipeline;
        this.options = options;
        this.sink = sink;
        this.threads = threads;
        this.window = new Semaphore(options.maxInFlight());
    }

    void run(Iterator<ImageInput> inputs) {
        CountDownLatch decoders = new CountDownLatch(options.decodeThreads());
        CountDownLatch inference = new CountDownLatch(1);
        int started = 0;
        try {
            for (; started < options.decodeThreads(); started++) {
                threads.execute(() -> decodeLoop(decoders));
            }
            threads.execute(() -> inferLoop(decoders, inference));
            started++;
            long submitted = 0;
            while (failure.get() == null && !pipeline.isClosed() && inputs.hasNext()) {
                if (window.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    todo.add(new Task(inputs.next(), submitted++));
                }
            }
            inputEnded = true;
            inference.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new InferenceException("interrupted while classifying a batch", e));
        } catch (RejectedExecutionException e) {
            // The pool is shut down: the classifier was closed.
            failure.compareAndSet(null, new IllegalStateException("classifier for model "
                    + pipeline.description().name() + " is closed", e));
        } catch (RuntimeException | Error e) {
            // The caller's input iterator failed.
            failure.compareAndSet(null, e);
        } finally {
            inputEnded = true;
            for (int i = started; i <= options.decodeThreads(); i++) {
                decoders.countDown();
            }
            if (started <= options.decodeThreads()) {
                inference.countDown();
            }
        }
        if (failure.get() == null && pipeline.isClosed()) {
            failure.set(new IllegalStateException("classifier for model " + pipeline.description().name()
                    + " was closed during classifyAll"));
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

    private void decodeLoop(CountDownLatch decoders) {
        try {
            while (failure.get() == null) {
                Task task = todo.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (task == null) {
                    if (inputEnded && todo.isEmpty()) {
                        return;
                    }
                    continue;
                }
                prepare(task);
            }
        } catch (InterruptedException e) {
            failure.compareAndSet(null, new IllegalStateException("batch decoding was interrupted "
                    + "(the classifier was closed)", e));
        } finally {
            decoders.countDown();
        }
    }

    private void prepare(Task task) {
        try {
            ready.add(pipeline.prepare(task.input(), task.index(), options.thumbnailSize()));
        } catch (InvalidImageException e) {
            emit(ClassificationResult.failure(task.index(), e));
        } catch (OutOfMemoryError e) {
            // One image too large for the heap fails alone; the batch goes on.
            emit(ClassificationResult.failure(task.index(), new InvalidImageException(task.input().name(),
                    InvalidImageException.Kind.TOO_LARGE, "not enough memory to decode this image "
                    + "(lower ImageLimits.maxPixels or give the JVM more heap)", e)));
        } catch (RuntimeException | Error e) {
            // Decoders are guarded against malformed data; reaching here is a bug or a broken
            // environment, so the whole run stops instead of silently losing an input.
            failure.compareAndSet(null, e);
        }
    }

    private void inferLoop(CountDownLatch decoders, CountDownLatch done) {
        List<PipelineClassifier.Prepared> batch = new ArrayList<>(options.batchSize());
        try {
            while (failure.get() == null) {
                PipelineClassifier.Prepared first = ready.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (decoders.getCount() == 0 && ready.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.clear();
                batch.add(first);
                ready.drainTo(batch, options.batchSize() - 1);
                for (ClassificationResult r : pipeline.complete(batch)) {
                    emit(r);
                }
            }
        } catch (InterruptedException e) {
            failure.compareAndSet(null, new IllegalStateException("batch inference was interrupted "
                    + "(the classifier was closed)", e));
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        } finally {
            done.countDown();
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
}
