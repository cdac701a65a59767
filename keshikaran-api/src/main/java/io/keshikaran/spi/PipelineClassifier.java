package io.keshikaran.spi;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.ClassificationResult;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelInfo;
import io.keshikaran.OutputActivation;
import io.keshikaran.ScoreFunction;
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
        return classify(decoder.decode(image), image.toString());
    }

    @Override
    public Classification classify(byte[] encoded, String name) throws InvalidImageException {
        return classify(decoder.decode(encoded, name), name);
    }

    @Override
    public Classification classify(InputStream in, String name) throws InvalidImageException {
        return classify(decoder.decode(in, name), name);
    }

    @Override
    public Classification classify(BufferedImage image, String name) {
        return classify(RgbImage.from(image), name);
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

    /** One decoded, preprocessed input waiting for inference; {@code input} is {@code [1, ...]}. */
    record Prepared(long index, String name, FloatTensor input) {
    }

    /** Decodes and preprocesses one batch input; runs on a decoding thread. */
    Prepared prepare(ImageInput input, long index) throws InvalidImageException {
        RgbImage image = input.decode(decoder);
        return new Prepared(index, input.name(), preprocessor.preprocess(image));
    }

    /** Runs one engine call for several prepared inputs and turns the outputs into results. */
    List<ClassificationResult> complete(List<Prepared> batch) {
        ensureOpen();
        List<FloatTensor> tensors = new ArrayList<>(batch.size());
        for (Prepared p : batch) {
            tensors.add(p.input());
        }
        float[][] outputs = session.run(FloatTensor.stack(tensors));
        List<ClassificationResult> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Prepared p = batch.get(i);
            results.add(ClassificationResult.success(p.index(), toClassification(p.name(), outputs[i])));
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
