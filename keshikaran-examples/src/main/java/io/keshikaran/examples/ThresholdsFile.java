package io.keshikaran.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keshikaran.Classifier;
import io.keshikaran.ScoreFunction;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The settings {@code keshikaran calibrate --save-thresholds} writes, read the same way by
 * {@link ModerationGate} and the moderation server: Java properties, or JSON when the file name ends
 * with {@code .json}, with the keys {@code keshikaran.model}, {@code keshikaran.score-labels},
 * {@code keshikaran.review-threshold} and {@code keshikaran.reject-threshold}.
 *
 * @param model       a bundled model's name, or the path of an {@code .onnx} or {@code .pt} file
 * @param scoreLabels the comma-separated labels whose probabilities make the score, or {@code null}
 *                    for the model's own score
 * @param reviewAt    scores at or above this go to review
 * @param rejectAt    scores at or above this are rejected
 */
public record ThresholdsFile(String model, String scoreLabels, double reviewAt, double rejectAt) {
    /** The file's keys. */
    static final String MODEL = "keshikaran.model";
    static final String SCORE_LABELS = "keshikaran.score-labels";
    static final String REVIEW = "keshikaran.review-threshold";
    static final String REJECT = "keshikaran.reject-threshold";

    /**
     * Checks that a model is named.
     *
     * @param model       a bundled model's name or a model file
     * @param scoreLabels the score's labels, or {@code null}
     * @param reviewAt    the review threshold
     * @param rejectAt    the reject threshold
     */
    public ThresholdsFile {
        Objects.requireNonNull(model, "model");
    }

    /**
     * Reads a thresholds file; keys it lacks keep the values of {@code defaults}.
     *
     * @param file     the file calibrate wrote
     * @param defaults the values for keys the file does not set
     * @return the file's settings
     * @throws IOException              if the file cannot be read or parsed
     * @throws IllegalArgumentException naming the file and key when a threshold is not a number
     */
    public static ThresholdsFile read(Path file, ThresholdsFile defaults) throws IOException {
        Map<String, String> values = readValues(file);
        return new ThresholdsFile(values.getOrDefault(MODEL, defaults.model()),
                values.getOrDefault(SCORE_LABELS, defaults.scoreLabels()),
                number(file, values, REVIEW, defaults.reviewAt()), number(file, values, REJECT, defaults.rejectAt()));
    }

    /**
     * A classifier builder for this file's model and score labels.
     *
     * @return a builder with the model and, when set, the score function
     */
    public Classifier.Builder classifierBuilder() {
        Classifier.Builder builder = Classifier.builder();
        Classifier.modelFile(model).ifPresentOrElse(builder::optModelPath, () -> builder.optModel(model));
        if (scoreLabels != null) {
            builder.optScoreFunction(ScoreFunction.sumOf(scoreLabels.split(",")));
        }
        return builder;
    }

    /** Every key of the file as text: Java properties, or JSON when the name ends with .json. */
    static Map<String, String> readValues(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            new ObjectMapper().readTree(file.toFile()).fields()
                    .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        } else {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                p.load(in);
            }
            p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        }
        return values;
    }

    private static double number(Path file, Map<String, String> values, String key, double fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": " + key + " is not a number: " + value, e);
        }
    }
}
