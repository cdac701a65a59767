package io.keshikaran.spi;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.ClassificationResult;
import io.keshikaran.Classifier;
import io.keshikaran.FrameScore;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelInfo;
import io.keshikaran.OutputActivation;
import io.keshikaran.ScoreFunction;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.image.ImageDecoder;
import io.keshikaran.image.ImageInput;
import io.keshikaran.image.RgbImage;
import io.keshikaran.preprocess.FloatTensor;
import io.keshikaran.preprocess.Preprocessor;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The classifier every backend shares: decode, preprocess, run the engine, turn outputs into
 * probabilities and a score. A backend only supplies the {@link InferenceSession}.
 *
 * <p>Thread-safe when the session is. Closing it closes the session.
 */
public final class PipelineClassifier implements Classifier {
    private final ModelDescription description;
    private final InferenceSession session;
    private final ImageDecoder decoder;
    private final Preprocessor preprocessor;
    private final ScoreFunction scoreFunction;
    private final ModelInfo info;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param description   the model's description
     * @param session       the loaded model; owned by this classifier from now on
     * @param decoder       decodes encoded images
     * @param preprocessor  builds input tensors
     * @param scoreFunction computes the score
     */
    public PipelineClassifier(ModelDescription description, InferenceSession session, ImageDecoder decoder,
                              Preprocessor preprocessor, ScoreFunction scoreFunction) {
        this.description = Objects.requireNonNull(description, "description");
        this.session = Objects.requireNonNull(session, "session");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
        this.scoreFunction = Objects.requireNonNull(scoreFunction, "scoreFunction");
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
        return classify(decoder.decodeFrames(image), image.toString());
    }

    @Override
    public Classification classify(byte[] encoded, String name) throws InvalidImageException {
        return classify(decoder.decodeFrames(encoded, name), name);
    }

    @Override
    public Classification classify(InputStream in, String name) throws InvalidImageException {
        return classify(decoder.decodeFrames(in, name), name);
    }

    @Override
    public Classification classify(BufferedImage image, String name) {
        return classify(decoder.toRgb(image), name);
    }

    /**
     * Classifies a decoded file: a still image directly; an animation's sampled frames in one engine
     * call, aggregated as the decoder's {@link DecodeOptions#frameAggregate()} says.
     */
    public Classification classify(DecodedImage image, String name) {
        if (!image.isAnimated()) {
            return classify(image.first(), name);
        }
        ensureOpen();
        List<RgbImage> frames = new ArrayList<>(image.frames().size());
        for (DecodedImage.Frame frame : image.frames()) {
            frames.add(frame.image());
        }
        float[][] outputs = session.run(preprocessor.preprocessBatch(frames));
        List<FrameScore> scores = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            Classification c = toClassification(name, outputs[i]);
            scores.add(new FrameScore(image.frames().get(i).index(), c.score(), c.probabilities()));
        }
        return aggregate(name, scores);
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
    public Classification classify(RgbImage image, String name) {
        ensureOpen();
        FloatTensor input = preprocessor.preprocess(image);
        float[][] outputs = session.run(input);
        return toClassification(name, outputs[0]);
    }

    @Override
    public void classifyAll(Stream<ImageInput> inputs, BatchOptions options, Consumer<ClassificationResult> consumer) {
        ensureOpen();
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(consumer, "consumer");
        new BatchRunner(this, options, consumer).run(inputs.iterator());
    }

    /**
     * One decoded, preprocessed input waiting for inference; {@code input} is {@code [1, ...]}. An
     * animation is classified on its own (one engine call for its frames) and arrives as
     * {@code done}, with {@code input} null.
     */
    record Prepared(long index, String name, FloatTensor input, Classification done) {
        Prepared(long index, String name, FloatTensor input) {
            this(index, name, input, null);
        }
    }

    /** Decodes and preprocesses one batch input; runs on a decoding thread. */
    Prepared prepare(ImageInput input, long index) throws InvalidImageException {
        DecodedImage image = input.decodeFrames(decoder);
        if (image.isAnimated()) {
            return new Prepared(index, input.name(), null, classify(image, input.name()));
        }
        return new Prepared(index, input.name(), preprocessor.preprocess(image.first()));
    }

    /** Runs one engine call for several prepared inputs and turns the outputs into results. */
    List<ClassificationResult> complete(List<Prepared> batch) {
        ensureOpen();
        List<FloatTensor> tensors = new ArrayList<>(batch.size());
        for (Prepared p : batch) {
            if (p.done() == null) {
                tensors.add(p.input());
            }
        }
        float[][] outputs = tensors.isEmpty() ? new float[0][] : session.run(FloatTensor.stack(tensors));
        List<ClassificationResult> results = new ArrayList<>(batch.size());
        int row = 0;
        for (Prepared p : batch) {
            Classification c = p.done() != null ? p.done() : toClassification(p.name(), outputs[row++]);
            results.add(ClassificationResult.success(p.index(), c));
        }
        return results;
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

    private void ensureOpen() {
        if (closed.get()) {
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

    /** The decoder, with its limits. */
    public ImageDecoder decoder() {
        return decoder;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            session.close();
        }
    }

    @Override
    public String toString() {
        return "Classifier[" + info.id() + " on " + info.engine() + "]";
    }
}
