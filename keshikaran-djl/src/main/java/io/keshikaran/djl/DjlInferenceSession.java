package io.keshikaran.djl;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.keshikaran.InferenceException;
import io.keshikaran.ModelDescription;
import io.keshikaran.preprocess.FloatTensor;
import io.keshikaran.spi.InferenceSession;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One DJL {@link Model} with a fixed pool of {@link Predictor}s. DJL predictors are not
 * thread-safe, so each call borrows one; when all are busy, callers wait, which bounds the number
 * of concurrent inferences (and their native memory) to the pool size. Thread-safe.
 *
 * <p>{@link #close()} waits for the inferences in progress; a call waiting for a predictor when
 * the session closes fails with {@link IllegalStateException} instead of waiting forever.
 */
final class DjlInferenceSession implements InferenceSession {
    /** How often a caller waiting for a predictor checks whether the session was closed. */
    private static final long CLOSE_CHECK_MILLIS = 100;

    private final Model model;
    private final ModelDescription description;
    private final String engineName;
    private final BlockingQueue<Predictor<FloatTensor, float[][]>> idle;
    private final List<Predictor<FloatTensor, float[][]>> all = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    DjlInferenceSession(Model model, ModelDescription description, String engineName, int poolSize) {
        this.model = model;
        this.description = description;
        this.engineName = engineName;
        this.idle = new ArrayBlockingQueue<>(poolSize);
        TensorTranslator translator = new TensorTranslator();
        for (int i = 0; i < poolSize; i++) {
            Predictor<FloatTensor, float[][]> p = model.newPredictor(translator);
            all.add(p);
            idle.add(p);
        }
    }

    @Override
    public float[][] run(FloatTensor batch) {
        Predictor<FloatTensor, float[][]> predictor = null;
        try {
            while (predictor == null) {
                ensureOpen();
                predictor = idle.poll(CLOSE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException("interrupted while waiting for a free predictor", e);
        }
        try {
            ensureOpen();
            return predictor.predict(batch);
        } catch (TranslateException | RuntimeException e) {
            if (e instanceof IllegalStateException) {
                throw (IllegalStateException) e;
            }
            throw new InferenceException(engineName + " failed to run model " + model.getName()
                    + " on input " + batch + ": " + e.getMessage(), e);
        } finally {
            idle.add(predictor);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("inference session for " + model.getName() + " is closed");
        }
    }

    @Override
    public ModelDescription description() {
        return description;
    }

    @Override
    public String engineName() {
        return engineName;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            // Wait for in-flight inferences so no predictor is freed while in use.
            for (int i = 0; i < all.size(); i++) {
                try {
                    idle.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            all.forEach(Predictor::close);
            model.close();
        }
    }
}
