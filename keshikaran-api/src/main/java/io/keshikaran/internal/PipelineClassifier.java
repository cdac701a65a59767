package io.keshikaran.internal;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.ClassificationResult;
import io.keshikaran.Classifier;
import io.keshikaran.FrameScore;
import io.keshikaran.ImageInfo;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelInfo;
import io.keshikaran.OutputActivation;
import io.keshikaran.ScoreFunction;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.image.ImageInput;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;
import io.keshikaran.preprocess.FloatTensor;
import io.keshikaran.preprocess.PreprocessingSpec;
import io.keshikaran.preprocess.Preprocessor;
import io.keshikaran.spi.ClassifierOptions;
import io.keshikaran.spi.InferenceSession;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The one classification pipeline every backend and every surface shares: decode (with the
 * classifier's limits and {@link DecodeOptions}, sized for the model's input), preprocess, run the
 * engine, turn outputs into probabilities and a score. A backend only supplies the
 * {@link InferenceSession}.
 *
 * <p>Thread-safe when the session is. {@link #close()} refuses new calls at once
 * ({@link IllegalStateException}, as ONNX Runtime's {@code OrtSession} does), waits for the engine
 * calls already running, then closes the session and the batch threads.
 */
public final class PipelineClassifier implements Classifier {
    /** Idle batch threads end after this long, so a classifier used once holds no threads. */
    private static final long IDLE_THREAD_SECONDS = 30;
    private static final AtomicInteger POOLS = new AtomicInteger();
    /**
     * An animation's frames go to the engine in calls of at most this many, half the default batch
     * size: ONNX Runtime keeps the memory of its largest call, and in a folder scan of large images
     * the image batches stay small (decoding is the bottleneck), so 8-frame calls set the CLI's peak
     * RSS (495-536 MiB against 430-486 with 4 on the real-world folder, docs/performance.md).
     */
    static final int FRAMES_PER_CALL = 4;

    private final ModelDescription description;
    private final InferenceSession session;
    private final ImageDecoder decoder;
    private final Preprocessor preprocessor;
    private final ScoreFunction scoreFunction;
    private final ModelInfo info;
    private final Object lifecycle = new Object();
    private int inFlight;
    private boolean closed;
    private ThreadPoolExecutor batchThreads;

    /**
     * Builds the pipeline around a loaded model: the decoder from the options' limits and decode
     * options, sized for the model's input so that large stills can be decoded smaller; the
     * preprocessor from the model's spec; the score from the options or the description.
     *
     * @param options what the caller asked the builder for
     * @param session the loaded model; owned by this classifier from now on
     * @throws IllegalArgumentException if the score function names a label the model does not have
     */
    public PipelineClassifier(ClassifierOptions options, InferenceSession session) {
        this.session = Objects.requireNonNull(session, "session");
        this.description = Objects.requireNonNull(session.description(), "session.description()");
        PreprocessingSpec spec = description.preprocessing();
        this.decoder = new ImageDecoder(options.imageLimits(), options.decodeOptions())
                .withTargetSize(spec.resizeWidth(), spec.resizeHeight());
        this.preprocessor = Preprocessor.of(spec);
        this.scoreFunction = options.scoreFunction().orElse(description.defaultScore());
        for (String label : scoreFunction.labels()) {
            if (!description.labels().contains(label)) {
                throw new IllegalArgumentException("score label '" + label + "' is not a label of model "
                        + description.name() + " " + description.labels());
            }
        }
        this.info = description.info(session.engineName());
    }

    @Override
    public Classification classify(Path image) throws InvalidImageException {
        Objects.requireNonNull(image, "image");
        ensureOpen();
        return classify(decoder.decodeFrames(image), image.toString());
    }

    @Override
    public Classification classify(byte[] encoded, String name) throws InvalidImageException {
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(name, "name");
        ensureOpen();
        return classify(decoder.decodeFrames(encoded, name), name);
    }

    @Override
    public Classification classify(InputStream in, String name) throws InvalidImageException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        ensureOpen();
        return classify(decoder.decodeFrames(in, name), name);
    }

    @Override
    public Classification classify(BufferedImage image, String name) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(name, "name");
        return classify(decoder.toRgb(image), name);
    }

    @Override
    public Classification classify(RgbImage image, String name) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(name, "name");
        FloatTensor input = preprocessor.preprocess(image);
        return toClassification(name, run(input)[0]);
    }

    @Override
    public DecodedImage decode(Path image) throws InvalidImageException {
        Objects.requireNonNull(image, "image");
        ensureOpen();
        return decoder.decodeFrames(image);
    }

    /**
     * Classifies a decoded file: a still image directly; an animation's sampled frames in one engine
     * call, aggregated as the decoder's {@link DecodeOptions#frameAggregate()} says. The result
     * reports the format and sizes.
     */
    @Override
    public Classification classify(DecodedImage image, String name) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(name, "name");
        ImageInfo imageInfo = imageInfo(image);
        if (!image.isAnimated()) {
            return classify(image.first(), name).withImage(imageInfo);
        }
        List<RgbImage> frames = new ArrayList<>(image.frames().size());
        for (DecodedImage.Frame frame : image.frames()) {
            frames.add(frame.image());
        }
        // Engine calls of at most FRAMES_PER_CALL frames: the engine's memory for intermediate
        // tensors grows with the batch and is kept for the next call (one 32-frame call took
        // ONNX Runtime 660 MiB resident for a 600x400 GIF, docs/performance.md).
        float[][] outputs = new float[frames.size()][];
        for (int from = 0; from < frames.size(); from += FRAMES_PER_CALL) {
            float[][] part = run(preprocessor.preprocessBatch(frames.subList(from, Math.min(frames.size(), from + FRAMES_PER_CALL))));
            System.arraycopy(part, 0, outputs, from, part.length);
        }
        List<FrameScore> scores = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            Classification c = toClassification(name, outputs[i]);
            scores.add(new FrameScore(image.frames().get(i).index(), c.score(), c.probabilities()));
        }
        return aggregate(name, scores).withImage(imageInfo);
    }

    private static ImageInfo imageInfo(DecodedImage image) {
        RgbImage first = image.first();
        return new ImageInfo(image.format(), image.width(), image.height(), first.width(), first.height(),
                image.isAnimated());
    }

    private Classification aggregate(String name, List<FrameScore> frames) {
        if (decoder.options().frameAggregate() == DecodeOptions.FrameAggregate.MAX) {
            FrameScore max = frames.get(0);
            for (FrameScore f : frames) {
                if (f.score() > max.score()) {
                    max = f;
                }
            }
            return new Classification(name, max.score(), max.probabilities(), info, frames);
        }
        Map<String, Float> mean = new LinkedHashMap<>();
        double score = 0;
        for (String label : description.labels()) {
            double sum = 0;
            for (FrameScore f : frames) {
                sum += f.probabilities().get(label);
            }
            mean.put(label, (float) (sum / frames.size()));
        }
        for (FrameScore f : frames) {
            score += f.score() / frames.size();
        }
        return new Classification(name, Math.max(0.0, Math.min(1.0, score)), mean, info, frames);
    }

    @Override
    public void classifyAll(Stream<ImageInput> inputs, BatchOptions options, Consumer<ClassificationResult> consumer) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(consumer, "consumer");
        new BatchRunner(this, options, consumer, batchThreads()).run(inputs.iterator());
    }

    /**
     * The threads batches decode and infer on, shared by every {@code classifyAll} call of this
     * classifier so that frequent small batches (Spark calls once per few dozen rows) reuse them.
     */
    private ExecutorService batchThreads() {
        synchronized (lifecycle) {
            ensureOpenLocked();
            if (batchThreads == null) {
                int pool = POOLS.incrementAndGet();
                AtomicInteger n = new AtomicInteger();
                batchThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                        new SynchronousQueue<>(), r -> {
                            Thread t = new Thread(r, "keshikaran-batch-" + pool + "-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
            }
            return batchThreads;
        }
    }

    /**
     * One decoded, preprocessed input waiting for inference; {@code input} is {@code [1, ...]}. An
     * animation arrives as its decoded frames ({@code animation}, with {@code input} null) and is
     * classified on its own (engine calls for its frames) by {@link #complete}, on the inference
     * thread: engine calls from decoding threads would run beside the batches, and ONNX Runtime's
     * arena keeps the memory of every set of calls that ever ran at once.
     */
    record Prepared(long index, String name, FloatTensor input, ImageInfo image, DecodedImage animation,
                    RgbImage thumbnail) {
    }

    /** Decodes and preprocesses one batch input; runs on a decoding thread. */
    Prepared prepare(ImageInput input, long index, int thumbnailSize) throws InvalidImageException {
        ensureOpen();
        DecodedImage image = decoder.decodeFrames(input);
        RgbImage thumbnail = thumbnailSize > 0 ? image.first().scaledToFit(thumbnailSize) : null;
        if (image.isAnimated()) {
            return new Prepared(index, input.name(), null, null, image, thumbnail);
        }
        return new Prepared(index, input.name(), preprocessor.preprocess(image.first()), imageInfo(image), null,
                thumbnail);
    }

    /** Runs one engine call for several prepared inputs (and one per animation) and turns the outputs into results. */
    List<ClassificationResult> complete(List<Prepared> batch) {
        List<FloatTensor> tensors = new ArrayList<>(batch.size());
        for (Prepared p : batch) {
            if (p.animation() == null) {
                tensors.add(p.input());
            }
        }
        float[][] outputs = tensors.isEmpty() ? new float[0][] : run(FloatTensor.stack(tensors));
        List<ClassificationResult> results = new ArrayList<>(batch.size());
        int row = 0;
        for (Prepared p : batch) {
            Classification c = p.animation() != null ? classify(p.animation(), p.name())
                    : toClassification(p.name(), outputs[row++]).withImage(p.image());
            results.add(ClassificationResult.success(p.index(), c, p.thumbnail()));
        }
        return results;
    }

    /** One engine call, counted so that {@link #close()} can wait for it. */
    private float[][] run(FloatTensor input) {
        synchronized (lifecycle) {
            ensureOpenLocked();
            inFlight++;
        }
        try {
            return session.run(input);
        } finally {
            synchronized (lifecycle) {
                if (--inFlight == 0 && closed) {
                    lifecycle.notifyAll();
                }
            }
        }
    }

    private Classification toClassification(String name, float[] raw) {
        List<String> labels = description.labels();
        if (raw.length != labels.size()) {
            throw new IllegalStateException("model " + description.name() + " returned " + raw.length
                    + " values for " + labels.size() + " labels");
        }
        float[] p = activate(raw, description.activation());
        Map<String, Float> probabilities = new LinkedHashMap<>();
        for (int i = 0; i < p.length; i++) {
            probabilities.put(labels.get(i), p[i]);
        }
        double score = scoreFunction.score(probabilities);
        // Float rounding can push a sum of probabilities a hair past 1.
        score = Double.isNaN(score) ? 0.0 : Math.max(0.0, Math.min(1.0, score));
        return new Classification(name, score, probabilities, info);
    }

    private static float[] activate(float[] raw, OutputActivation activation) {
        float[] p = raw.clone();
        switch (activation) {
            case NONE -> {
            }
            case SIGMOID -> {
                for (int i = 0; i < p.length; i++) {
                    p[i] = (float) (1.0 / (1.0 + Math.exp(-raw[i])));
                }
            }
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (float v : raw) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                double[] e = new double[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    e[i] = Math.exp(raw[i] - max);
                    sum += e[i];
                }
                for (int i = 0; i < raw.length; i++) {
                    p[i] = (float) (e[i] / sum);
                }
            }
        }
        return p;
    }

    /** Whether {@link #close()} was called; batches poll it to stop early. */
    boolean isClosed() {
        synchronized (lifecycle) {
            return closed;
        }
    }

    private void ensureOpen() {
        synchronized (lifecycle) {
            ensureOpenLocked();
        }
    }

    private void ensureOpenLocked() {
        if (closed) {
            throw new IllegalStateException("classifier for model " + description.name() + " is closed");
        }
    }

    @Override
    public ModelInfo model() {
        return info;
    }

    @Override
    public ModelDescription description() {
        return description;
    }

    @Override
    public ImageLimits imageLimits() {
        return decoder.limits();
    }

    @Override
    public DecodeOptions decodeOptions() {
        return decoder.options();
    }

    /**
     * The decoder, with its limits and options.
     *
     * @return the decoder every classify call uses
     */
    public ImageDecoder decoder() {
        return decoder;
    }

    @Override
    public void close() {
        ThreadPoolExecutor threads;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            while (inFlight > 0) {
                try {
                    lifecycle.wait();
                } catch (InterruptedException e) {
                    // The session waits for its own predictors, so closing it now is still safe.
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            threads = batchThreads;
        }
        if (threads != null) {
            threads.shutdownNow();
        }
        session.close();
    }

    @Override
    public String toString() {
        return "Classifier[" + info.id() + " on " + info.engine() + "]";
    }
}
