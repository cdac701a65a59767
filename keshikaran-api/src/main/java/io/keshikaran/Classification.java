package io.keshikaran;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of classifying one image. Immutable and thread-safe.
 *
 * <p>The {@linkplain #score() score} is a number from 0 (not explicit) to 1 (explicit). For the
 * bundled nsfwjs models it is {@code P(Porn) + P(Hentai) + P(Sexy)}, see {@link ScoreFunction}.
 *
 * <p>For an animated image (GIF, WebP, APNG) the score and probabilities aggregate the sampled
 * {@linkplain #frames() frames}, as {@link io.keshikaran.image.DecodeOptions.FrameAggregate} says:
 * by default the highest-scoring frame's. For a still image {@link #frames()} is empty.
 */
public final class Classification {
    private final String source;
    private final double score;
    private final Map<String, Float> probabilities;
    private final ModelInfo model;
    private final List<FrameScore> frames;
    private final ImageInfo image;

    /**
     * A still image's result.
     *
     * @param source        the input's name, as the caller gave it
     * @param score         the keshikaran score, 0..1
     * @param probabilities every label of the model with its probability, in the model's label order
     * @param model         the model that produced it
     */
    public Classification(String source, double score, Map<String, Float> probabilities, ModelInfo model) {
        this(source, score, probabilities, model, List.of());
    }

    /**
     * An animated image's result: the aggregate and the sampled frames.
     *
     * @param source        the input's name, as the caller gave it
     * @param score         the aggregate score, 0..1
     * @param probabilities the aggregate probabilities, in the model's label order
     * @param model         the model that produced it
     * @param frames        the sampled frames' results in file order; empty for a still image
     */
    public Classification(String source, double score, Map<String, Float> probabilities, ModelInfo model,
                          List<FrameScore> frames) {
        this(source, score, probabilities, model, frames, null);
    }

    private Classification(String source, double score, Map<String, Float> probabilities, ModelInfo model,
                           List<FrameScore> frames, ImageInfo image) {
        this.source = Objects.requireNonNull(source, "source");
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be within 0..1, got " + score);
        }
        this.score = score;
        this.probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
        this.model = Objects.requireNonNull(model, "model");
        this.frames = List.copyOf(frames);
        this.image = image;
    }

    /**
     * This result with what the decoder found in the encoded image.
     *
     * @param image the format and sizes
     * @return a copy that reports {@code image}
     */
    public Classification withImage(ImageInfo image) {
        return new Classification(source, score, probabilities, model, frames, Objects.requireNonNull(image, "image"));
    }

    /**
     * What the decoder found: format, stored size and decoded size. Empty when the caller passed
     * already decoded pixels ({@code classify(RgbImage)} or {@code classify(BufferedImage)}).
     *
     * @return the image's format and sizes, if the classifier decoded it
     */
    public Optional<ImageInfo> image() {
        return Optional.ofNullable(image);
    }

    /**
     * The input's name, as the caller gave it.
     *
     * @return the input's name, as the caller gave it
     */
    public String source() {
        return source;
    }

    /**
     * How explicit the image is, from 0 to 1.
     *
     * @return how explicit the image is, from 0 to 1
     */
    public double score() {
        return score;
    }

    /**
     * Every label of the model with its probability, in the model's label order. Unmodifiable.
     *
     * @return every label of the model with its probability, in the model's label order
     */
    public Map<String, Float> probabilities() {
        return probabilities;
    }

    /**
     * The probability of one label.
     *
     * @throws IllegalArgumentException if the model has no such label
     * @param label the label name
     * @return the probability of one label
     */
    public float probability(String label) {
        Float p = probabilities.get(label);
        if (p == null) {
            throw new IllegalArgumentException("model " + model.name() + " has no label '" + label
                    + "'; its labels are " + probabilities.keySet());
        }
        return p;
    }

    /**
     * The label with the highest probability.
     *
     * @return the label with the highest probability
     */
    public String topLabel() {
        return probabilities.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElseThrow();
    }

    /**
     * The sampled frames of an animated image, each with its own score and probabilities, in file
     * order. Empty for a still image, so {@code !frames().isEmpty()} means "animated".
     *
     * @return the sampled frames of an animated image, each with its own score and probabilities, in file order
     */
    public List<FrameScore> frames() {
        return frames;
    }

    /**
     * The model that produced this result.
     *
     * @return the model that produced this result
     */
    public ModelInfo model() {
        return model;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Classification[%s score=%.4f %s %s%s]",
                source, score, probabilities, model.id(), frames.isEmpty() ? "" : ", " + frames.size() + " frames");
    }
}
