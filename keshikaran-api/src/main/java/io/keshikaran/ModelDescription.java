package io.keshikaran;

import io.keshikaran.internal.model.BundledModels;
import io.keshikaran.internal.model.ModelDescriptors;
import io.keshikaran.preprocess.PreprocessingSpec;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything keshikaran needs to know about a model besides its weights: its identity, how to
 * preprocess images for it, what its outputs mean, and how they become a score. Immutable and
 * thread-safe. Bundled and user models carry it as {@code keshikaran-model.json}; see
 * {@code docs/model-descriptor.md}.
 */
public final class ModelDescription {
    private final String name;
    private final String version;
    private final String source;
    private final String license;
    private final PreprocessingSpec preprocessing;
    private final List<String> labels;
    private final OutputActivation activation;
    private final List<String> scoreLabels;

    private ModelDescription(Builder b) {
        this.name = b.name;
        this.version = b.version;
        this.source = b.source;
        this.license = b.license;
        this.preprocessing = b.preprocessing;
        this.labels = List.copyOf(b.labels);
        this.activation = b.activation;
        this.scoreLabels = List.copyOf(b.scoreLabels);
    }

    /**
     * A new builder.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a {@code keshikaran-model.json} descriptor (format: {@code docs/model-descriptor.md}). A
     * descriptor that names no model takes its preset's name; without a preset it must name one.
     *
     * @param in    the descriptor's UTF-8 bytes, at most 1 MiB; read to the end but not closed
     * @param where names the descriptor in error messages, such as its file name
     * @return the description
     * @throws ModelException if the stream cannot be read, is not strict JSON, or a field is missing or
     *                        invalid; the message starts with {@code where} and names the field
     */
    public static ModelDescription read(InputStream in, String where) throws ModelException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(where, "where");
        return ModelDescriptors.read(in, where).description();
    }

    /**
     * Reads a {@code keshikaran-model.json} descriptor file, as {@link #read(InputStream, String)} does.
     *
     * @param descriptor the descriptor file
     * @return the description
     * @throws ModelException if the file cannot be read or is invalid; the message starts with the file
     */
    public static ModelDescription fromFile(Path descriptor) throws ModelException {
        return ModelDescriptors.readFile(Objects.requireNonNull(descriptor, "descriptor"), null).description();
    }

    /**
     * Reads the {@code keshikaran-model.json} in a model file's folder, the description a
     * {@link Classifier} uses for that file unless it is given one. The model is named after the
     * file (without its extension) unless the descriptor names it.
     *
     * @param modelFile the model file, such as {@code models/my-model.onnx}
     * @return the description; empty if the folder has no {@code keshikaran-model.json}
     * @throws ModelException if the descriptor cannot be read or is invalid; the message starts with its path
     */
    public static Optional<ModelDescription> besideModelFile(Path modelFile) throws ModelException {
        return ModelDescriptors.besideModel(Objects.requireNonNull(modelFile, "modelFile"))
                .map(ModelDescriptors.Descriptor::description);
    }

    /**
     * The description of a model bundled with keshikaran ({@code io.keshikaran:keshikaran-models-onnx} or {@code -torchscript}),
     * read from the class path through the thread's context class loader (or, without one, this
     * class's loader).
     *
     * @param name the bundled model's name, such as {@code mobilenet_v2}
     * @return the description; empty if no bundled model has this name (or the models jar is not on
     *         the class path)
     * @throws ModelException if the bundled descriptor cannot be read or is invalid
     */
    public static Optional<ModelDescription> bundled(String name) throws ModelException {
        return BundledModels.descriptor(Objects.requireNonNull(name, "name"), BundledModels.defaultClassLoader())
                .map(ModelDescriptors.Descriptor::description);
    }

    /**
     * The model's name.
     *
     * @return the model's name
     */
    public String name() {
        return name;
    }

    /**
     * The model's version.
     *
     * @return the model's version
     */
    public String version() {
        return version;
    }

    /**
     * Where the model comes from.
     *
     * @return where the model comes from
     */
    public String source() {
        return source;
    }

    /**
     * The model's licence.
     *
     * @return the model's licence
     */
    public String license() {
        return license;
    }

    /**
     * How images become the model's input.
     *
     * @return how images become the model's input
     */
    public PreprocessingSpec preprocessing() {
        return preprocessing;
    }

    /**
     * One label per output index.
     *
     * @return one label per output index
     */
    public List<String> labels() {
        return labels;
    }

    /**
     * What turns the raw output into probabilities.
     *
     * @return what turns the raw output into probabilities
     */
    public OutputActivation activation() {
        return activation;
    }

    /**
     * The labels whose probabilities add up to the default score.
     *
     * @return the labels whose probabilities add up to the default score
     */
    public List<String> scoreLabels() {
        return scoreLabels;
    }

    /**
     * The default score function: the sum of {@link #scoreLabels()}.
     *
     * @return the default score function: the sum of {@link #scoreLabels()}
     */
    public ScoreFunction defaultScore() {
        return ScoreFunction.sumOf(scoreLabels.toArray(String[]::new));
    }

    /**
     * The identity of this model when run by {@code engine}.
     *
     * @param engine the engine that runs it
     * @return the identity of this model when run by {@code engine}
     */
    public ModelInfo info(String engine) {
        return new ModelInfo(name, version, source, license, engine);
    }

    /**
     * A builder initialised from this description.
     *
     * @return this builder
     */
    public Builder toBuilder() {
        return builder().setName(name).optVersion(version).optSource(source).optLicense(license)
                .setPreprocessing(preprocessing).setLabels(labels).optActivation(activation)
                .setScoreLabels(scoreLabels);
    }

    @Override
    public String toString() {
        return "ModelDescription[" + name + "@" + version + " labels=" + labels + " activation=" + activation
                + " score=" + scoreLabels + " " + preprocessing + "]";
    }

    /** Builds a {@link ModelDescription}. */
    public static final class Builder {
        private String name;
        private String version = "unversioned";
        private String source = "unknown";
        private String license = "unknown";
        private PreprocessingSpec preprocessing;
        private List<String> labels;
        private OutputActivation activation = OutputActivation.NONE;
        private List<String> scoreLabels;

        private Builder() {
        }

        /**
         * Required: the model's name.
         *
         * @param name the model's name
         * @return this builder
         */
        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        /**
         * The model's version; default {@code unversioned}.
         *
         * @param version the model's version
         * @return this builder
         */
        public Builder optVersion(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Where the model comes from; default {@code unknown}.
         *
         * @param source where the model comes from
         * @return this builder
         */
        public Builder optSource(String source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * The model's licence; default {@code unknown}.
         *
         * @param license the model's licence
         * @return this builder
         */
        public Builder optLicense(String license) {
            this.license = Objects.requireNonNull(license, "license");
            return this;
        }

        /**
         * Required: how images become the model's input.
         *
         * @param spec how images become the model's input
         * @return this builder
         */
        public Builder setPreprocessing(PreprocessingSpec spec) {
            this.preprocessing = spec;
            return this;
        }

        /**
         * Required: one label per output index.
         *
         * @param labels one label per output index
         * @return this builder
         */
        public Builder setLabels(List<String> labels) {
            this.labels = labels;
            return this;
        }

        /**
         * What turns the raw output into probabilities; default {@link OutputActivation#NONE}.
         *
         * @param activation what turns raw outputs into probabilities
         * @return this builder
         */
        public Builder optActivation(OutputActivation activation) {
            this.activation = Objects.requireNonNull(activation, "activation");
            return this;
        }

        /**
         * Required: the labels whose probabilities add up to the score.
         *
         * @param scoreLabels labels whose probabilities add up to the score
         * @return this builder
         */
        public Builder setScoreLabels(List<String> scoreLabels) {
            this.scoreLabels = scoreLabels;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first missing or inconsistent field
         * @return the validated value
         */
        public ModelDescription build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("model name is required");
            }
            if (preprocessing == null) {
                throw new IllegalArgumentException("model " + name + ": preprocessing is required");
            }
            if (labels == null || labels.isEmpty()) {
                throw new IllegalArgumentException("model " + name + ": at least one label is required");
            }
            Set<String> seen = new HashSet<>();
            for (String label : labels) {
                if (label == null || label.isBlank() || !seen.add(label)) {
                    throw new IllegalArgumentException("model " + name + ": labels must be non-blank and unique, got " + labels);
                }
            }
            if (scoreLabels == null || scoreLabels.isEmpty()) {
                throw new IllegalArgumentException("model " + name + ": at least one score label is required");
            }
            for (String label : scoreLabels) {
                if (!seen.contains(label)) {
                    throw new IllegalArgumentException("model " + name + ": score label '" + label
                            + "' is not one of the labels " + labels);
                }
            }
            return new ModelDescription(this);
        }
    }
}
