package io.keshikaran.eval;

import io.keshikaran.internal.AtomicFiles;
import io.keshikaran.internal.json.Json;
import io.keshikaran.internal.json.JsonException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Properties;

/**
 * The thresholds file: the model, the labels whose probabilities make the score, and the review and
 * reject thresholds that {@code keshikaran calibrate --save-thresholds} chooses and moderation code
 * reads. This class is the file format's one definition; the writer and the readers go through it.
 *
 * <p>The file is Java properties ({@link Properties#load(java.io.Reader)} syntax, UTF-8), or one JSON
 * object when its name ends with {@code .json}. The keys are the Spring Boot starter's property names:
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>value</th></tr>
 *   <tr><td>{@value #MODEL_KEY}</td><td>required: a bundled model's name, or the path of a model file</td></tr>
 *   <tr><td>{@value #SCORE_LABELS_KEY}</td><td>the labels summed into the score, comma-separated; absent
 *       or empty: the model's own score</td></tr>
 *   <tr><td>{@value #REVIEW_THRESHOLD_KEY}</td><td>required: send to review at or above this score,
 *       within 0..1</td></tr>
 *   <tr><td>{@value #REJECT_THRESHOLD_KEY}</td><td>reject at or above this score, within 0..1; absent (in
 *       JSON also {@code null}) when no threshold reached the precision target</td></tr>
 * </table>
 * In JSON a threshold is a number or a string holding one. Other keys are ignored, so that the four
 * can sit in an application's own configuration file. The two thresholds are not checked against
 * each other here: whoever uses them decides what a review threshold above the reject one means.
 *
 * <p>Files larger than {@value #MAX_FILE_BYTES} bytes are refused. Immutable and thread-safe.
 */
public final class ThresholdsFile {
    /** The model's key: {@value}. */
    public static final String MODEL_KEY = "keshikaran.model";
    /** The score labels' key: {@value}. */
    public static final String SCORE_LABELS_KEY = "keshikaran.score-labels";
    /** The review threshold's key: {@value}. */
    public static final String REVIEW_THRESHOLD_KEY = "keshikaran.review-threshold";
    /** The reject threshold's key: {@value}. */
    public static final String REJECT_THRESHOLD_KEY = "keshikaran.reject-threshold";
    /** The largest file {@link #read(Path)} accepts, in bytes: {@value}, far beyond four settings. */
    public static final long MAX_FILE_BYTES = 1 << 20;

    private final String model;
    private final List<String> scoreLabels;
    private final double reviewThreshold;
    /** Null when there is no reject threshold. */
    private final Double rejectThreshold;

    private ThresholdsFile(Builder b) {
        this.model = b.model;
        this.scoreLabels = b.scoreLabels;
        this.reviewThreshold = b.reviewThreshold;
        this.rejectThreshold = b.rejectThreshold;
    }

    /**
     * A builder with no value set; the model and the review threshold are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The model.
     *
     * @return a bundled model's name, or the path of a model file, as given
     */
    public String model() {
        return model;
    }

    /**
     * The labels whose probabilities add up to the score. Unmodifiable.
     *
     * @return the labels, or an empty list for the model's own score
     */
    public List<String> scoreLabels() {
        return scoreLabels;
    }

    /**
     * Scores at or above this go to review.
     *
     * @return the review threshold, within 0..1
     */
    public double reviewThreshold() {
        return reviewThreshold;
    }

    /**
     * Scores at or above this are rejected.
     *
     * @return the reject threshold, within 0..1, or empty when there is none
     */
    public OptionalDouble rejectThreshold() {
        return rejectThreshold == null ? OptionalDouble.empty() : OptionalDouble.of(rejectThreshold);
    }

    /**
     * Reads a thresholds file in which the model and the review threshold are required.
     *
     * @param file a properties file, or a JSON file if its name ends with {@code .json}
     * @return the file's settings
     * @throws IOException if the file cannot be read, is too large, is not valid properties or JSON, or
     *                     a value is missing, not a number or not within 0..1; the message names the
     *                     file, the key and the value
     */
    public static ThresholdsFile read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * Reads a thresholds file; the keys it lacks (or, in JSON, sets to {@code null}) keep the values of
     * {@code defaults}.
     *
     * @param file     a properties file, or a JSON file if its name ends with {@code .json}
     * @param defaults the settings for the keys the file lacks, or {@code null} to require the model and
     *                 the review threshold
     * @return the file's settings over the defaults
     * @throws IOException if the file cannot be read, is too large, is not valid properties or JSON, or
     *                     a value is missing, not a number or not within 0..1; the message names the
     *                     file, the key and the value
     */
    public static ThresholdsFile read(Path file, ThresholdsFile defaults) throws IOException {
        Objects.requireNonNull(file, "file");
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + ": " + size + " bytes, more than a thresholds file may have (" + MAX_FILE_BYTES + ")");
        }
        Map<String, Object> values = isJson(file) ? readJson(file) : readProperties(file);
        Builder b = defaults == null ? builder() : defaults.toBuilder();
        Object model = values.get(MODEL_KEY);
        if (model != null) {
            b.model = text(file, MODEL_KEY, model);
        } else if (b.model == null) {
            throw missing(file, MODEL_KEY);
        }
        Object labels = values.get(SCORE_LABELS_KEY);
        if (labels != null) {
            b.scoreLabels = List.copyOf(Arrays.stream(text(file, SCORE_LABELS_KEY, labels).split(",", -1))
                    .map(String::strip).filter(l -> !l.isEmpty()).toList());
        }
        Object review = values.get(REVIEW_THRESHOLD_KEY);
        if (review != null) {
            b.reviewThreshold = threshold(file, REVIEW_THRESHOLD_KEY, review);
        } else if (b.reviewThreshold == null) {
            throw missing(file, REVIEW_THRESHOLD_KEY);
        }
        Object reject = values.get(REJECT_THRESHOLD_KEY);
        if (reject != null) {
            b.rejectThreshold = threshold(file, REJECT_THRESHOLD_KEY, reject);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the settings to a file: JSON if its name ends with {@code .json}, otherwise Java properties
     * with the comment lines first. The text goes to a temporary file beside it that then replaces
     * {@code file} in one move, so that a reader never sees half a file.
     *
     * @param file     the file to write or replace
     * @param comments lines written as {@code #} comments before the keys of a properties file, such as
     *                 how the thresholds were chosen; JSON has no comments, so they are left out there
     * @throws IOException if the file cannot be written
     */
    public void write(Path file, List<String> comments) throws IOException {
        AtomicFiles.writeString(file, isJson(file) ? json() : properties(comments));
    }

    private Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.scoreLabels = scoreLabels;
        b.reviewThreshold = reviewThreshold;
        b.rejectThreshold = rejectThreshold;
        return b;
    }

    private static boolean isJson(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    private String properties(List<String> comments) {
        StringBuilder b = new StringBuilder();
        for (String comment : comments) {
            for (String line : comment.split("\r\n|\r|\n", -1)) {
                b.append("# ").append(line).append('\n');
            }
        }
        b.append(MODEL_KEY).append('=').append(escapeProperty(model)).append('\n');
        if (!scoreLabels.isEmpty()) {
            b.append(SCORE_LABELS_KEY).append('=').append(escapeProperty(String.join(",", scoreLabels))).append('\n');
        }
        b.append(REVIEW_THRESHOLD_KEY).append('=').append(reviewThreshold).append('\n');
        if (rejectThreshold != null) {
            b.append(REJECT_THRESHOLD_KEY).append('=').append(rejectThreshold.doubleValue()).append('\n');
        }
        return b.toString();
    }

    /** A value that {@link Properties#load} reads back as it was: its backslash escapes, and a leading space kept. */
    private static String escapeProperty(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\f' -> b.append("\\f");
                case ':', '=' -> b.append('\\').append(c);
                case ' ' -> b.append(i == 0 ? "\\ " : " ");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** One object, a key a line, as Jackson's default pretty printer lays it out. */
    private String json() {
        List<String> fields = new ArrayList<>();
        fields.add(jsonString(MODEL_KEY) + " : " + jsonString(model));
        if (!scoreLabels.isEmpty()) {
            fields.add(jsonString(SCORE_LABELS_KEY) + " : " + jsonString(String.join(",", scoreLabels)));
        }
        fields.add(jsonString(REVIEW_THRESHOLD_KEY) + " : " + reviewThreshold);
        fields.add(jsonString(REJECT_THRESHOLD_KEY) + " : " + (rejectThreshold == null ? "null" : rejectThreshold.toString()));
        return "{\n  " + String.join(",\n  ", fields) + "\n}\n";
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static Map<String, Object> readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(utf8(file)));
        } catch (IllegalArgumentException e) {
            // Properties.load's only complaint: a malformed \\uXXXX escape.
            throw new IOException(file + ": not a valid properties file: " + e.getMessage(), e);
        }
        Map<String, Object> values = new HashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        return values;
    }

    private static Map<String, Object> readJson(Path file) throws IOException {
        Object root;
        try {
            // Four flat keys: an array inside is already wrong, and is then reported by its key.
            root = Json.parse(utf8(file), 2);
        } catch (JsonException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IOException(file + ": a thresholds file must be one JSON object");
        }
        Map<String, Object> values = new HashMap<>();
        map.forEach((k, v) -> values.put((String) k, v));
        return values;
    }

    private static String utf8(Path file) throws IOException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text", e);
        }
    }

    private static String text(Path file, String key, Object value) throws IOException {
        if (!(value instanceof String s)) {
            throw new IOException(file + ": " + key + " must be text, got " + value);
        }
        return s;
    }

    private static double threshold(Path file, String key, Object value) throws IOException {
        double t;
        if (value instanceof Number n) {
            t = n.doubleValue();
        } else if (value instanceof String s) {
            try {
                t = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw new IOException(file + ": " + key + " is not a number: " + s, e);
            }
        } else {
            throw new IOException(file + ": " + key + " is not a number: " + value);
        }
        if (!(t >= 0 && t <= 1)) {
            throw new IOException(file + ": " + key + " must be within 0..1, got " + value);
        }
        return t;
    }

    private static IOException missing(Path file, String key) {
        return new IOException(file + ": " + key + " is missing");
    }

    /**
     * Two files are equal when they hold the same model, score labels and thresholds.
     *
     * @param o the other object
     * @return whether {@code o} is a {@code ThresholdsFile} with the same settings
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ThresholdsFile t && model.equals(t.model) && scoreLabels.equals(t.scoreLabels)
                && Double.compare(reviewThreshold, t.reviewThreshold) == 0 && Objects.equals(rejectThreshold, t.rejectThreshold);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, scoreLabels, reviewThreshold, rejectThreshold);
    }

    @Override
    public String toString() {
        return "ThresholdsFile[model=" + model + ", scoreLabels=" + scoreLabels + ", reviewThreshold=" + reviewThreshold
                + ", rejectThreshold=" + (rejectThreshold == null ? "none" : rejectThreshold) + "]";
    }

    /** Builds a {@link ThresholdsFile}; not thread-safe. */
    public static final class Builder {
        private String model;
        private List<String> scoreLabels = List.of();
        private Double reviewThreshold;
        private Double rejectThreshold;

        private Builder() {
        }

        /**
         * Sets the model (required).
         *
         * @param model a bundled model's name, or the path of a model file
         * @return this builder
         */
        public Builder setModel(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * Sets the labels whose probabilities add up to the score; by default none, the model's own score.
         *
         * @param scoreLabels the labels; none for the model's own score
         * @return this builder
         */
        public Builder optScoreLabels(List<String> scoreLabels) {
            this.scoreLabels = List.copyOf(scoreLabels);
            return this;
        }

        /**
         * Sets the review threshold (required).
         *
         * @param reviewThreshold scores at or above this go to review, within 0..1
         * @return this builder
         */
        public Builder setReviewThreshold(double reviewThreshold) {
            this.reviewThreshold = reviewThreshold;
            return this;
        }

        /**
         * Sets the reject threshold; by default there is none.
         *
         * @param rejectThreshold scores at or above this are rejected, within 0..1
         * @return this builder
         */
        public Builder optRejectThreshold(double rejectThreshold) {
            this.rejectThreshold = rejectThreshold;
            return this;
        }

        /**
         * Checks the settings and builds the file's contents.
         *
         * @return the settings
         * @throws IllegalArgumentException if the model is missing or blank, a score label is blank or
         *                                  holds a comma, or a threshold is missing or not within 0..1
         */
        public ThresholdsFile build() {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException(MODEL_KEY + " is missing");
            }
            for (String label : scoreLabels) {
                if (label.isBlank() || label.contains(",")) {
                    throw new IllegalArgumentException(SCORE_LABELS_KEY + ": a label must not be blank or hold a comma, got \""
                            + label + "\"");
                }
            }
            if (reviewThreshold == null) {
                throw new IllegalArgumentException(REVIEW_THRESHOLD_KEY + " is missing");
            }
            checkUnit(REVIEW_THRESHOLD_KEY, reviewThreshold);
            if (rejectThreshold != null) {
                checkUnit(REJECT_THRESHOLD_KEY, rejectThreshold);
            }
            return new ThresholdsFile(this);
        }

        private static void checkUnit(String key, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(key + " must be within 0..1, got " + value);
            }
        }
    }
}
