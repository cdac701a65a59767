package io.keshikaran;

import io.keshikaran.image.ImageInput;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.Backends;
import io.keshikaran.internal.LibraryVersion;
import io.keshikaran.internal.model.ModelDescriptors;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Scores how sexually explicit images are, from 0 to 1, with one loaded model.
 *
 * <pre>{@code
 * try (Classifier classifier = Classifier.builder().build()) {
 *     Classification c = classifier.classify(Path.of("dog.jpg"));
 *     System.out.println(c.score());          // 0.06
 * }
 * }</pre>
 *
 * <p><b>Thread safety:</b> a classifier is thread-safe and meant to be shared: load it once and
 * call it from any number of threads. Internally it keeps a bounded pool of engine predictors.
 *
 * <p><b>Resources:</b> a classifier holds the model's native memory (weights and engine sessions,
 * tens to hundreds of MB). {@link #close()} frees it; a classifier that is never closed keeps that
 * memory until the JVM exits. Using a closed classifier throws {@link IllegalStateException}.
 */
public interface Classifier extends AutoCloseable {

    /** System property that names the engine, overriding the automatic choice: {@value}. */
    String ENGINE_PROPERTY = "keshikaran.engine";
    /** Environment variable that names the engine when the system property is unset: {@value}. */
    String ENGINE_ENV = "KESHIKARAN_ENGINE";
    /**
     * The bundled model used when none is chosen: {@value}. It is nsfwjs's most accurate model for its
     * size (about 93% reported, against 90% for {@code mobilenet_v2}) at about twice mobilenet_v2's
     * inference time; choose {@code mobilenet_v2} for throughput.
     */
    String DEFAULT_MODEL = "mobilenet_v2_mid";

    /**
     * Classifies an image file. For an animated GIF, WebP or PNG (APNG), the frames {@link DecodeOptions} sample
     * are classified and aggregated, see {@link Classification#frames()}.
     *
     * @throws InvalidImageException naming the file: missing, unreadable, not an image, truncated,
     *                               or over the {@link ImageLimits}
     * @param image the image
     * @return the classification
     */
    Classification classify(Path image) throws InvalidImageException;

    /**
     * Classifies an encoded image held in memory.
     *
     * @param name how to refer to it in the result and in errors
     * @throws InvalidImageException naming {@code name}, if the bytes are not a decodable image
     * @param encoded the encoded image bytes
     * @return the classification
     */
    Classification classify(byte[] encoded, String name) throws InvalidImageException;

    /**
     * Classifies an encoded image held in memory, named {@code "<bytes>"}.
     *
     * @param encoded the encoded image bytes
     * @return the classification
     * @throws InvalidImageException if the input is not a decodable image or is over the limits
     */
    default Classification classify(byte[] encoded) throws InvalidImageException {
        return classify(encoded, "<bytes>");
    }

    /**
     * Reads a whole stream, up to the file-size limit, and classifies it. The stream is not closed.
     *
     * @param name how to refer to it in the result and in errors, such as {@code "-"} for stdin
     * @throws InvalidImageException naming {@code name}, if the content is not a decodable image
     * @param in the encoded image; read to its end, not closed
     * @return the classification
     */
    Classification classify(InputStream in, String name) throws InvalidImageException;

    /**
     * Reads a whole stream, up to the file-size limit, and classifies it, named {@code "<stream>"}.
     * The stream is not closed.
     *
     * @param in the encoded image
     * @return the classification
     * @throws InvalidImageException if the content is not a decodable image or is over the limits
     */
    default Classification classify(InputStream in) throws InvalidImageException {
        return classify(in, "<stream>");
    }

    /**
     * Classifies an already decoded image. Transparency is handled as the classifier's
     * {@link DecodeOptions} say; see {@link RgbImage#from(BufferedImage)} for the colour rules.
     *
     * @param image the image
     * @param name how to refer to it in the result and in errors
     * @return the classification
     */
    Classification classify(BufferedImage image, String name);

    /**
     * Classifies an already decoded image, named {@code "<image>"}; see
     * {@link #classify(BufferedImage, String)}.
     *
     * @param image the image
     * @return the classification
     */
    default Classification classify(BufferedImage image) {
        return classify(image, "<image>");
    }

    /**
     * Decodes an image file exactly as {@link #classify(Path)} does (this classifier's limits and
     * {@link DecodeOptions}, at the resolution its model needs), without classifying it: to show
     * what the model sees, or to classify one decode with several classifiers that share the
     * model input size (see {@link #classify(DecodedImage, String)}).
     *
     * @param image the file
     * @return the sampled frames (one for a still image), oriented, transparency handled
     * @throws InvalidImageException as {@link #classify(Path)}
     */
    DecodedImage decode(Path image) throws InvalidImageException;

    /**
     * Classifies an image decoded by {@link #decode(Path)}, of this classifier or of one whose model
     * has the same input size: a still image directly, an animation's frames aggregated as
     * {@link DecodeOptions#frameAggregate()} says. Gives the same result as
     * {@code classify(Path)} on the file.
     *
     * @param image the decoded file
     * @param name  how to refer to it in the result
     * @return the classification, with {@link Classification#image()}
     */
    Classification classify(DecodedImage image, String name);

    /**
     * Classifies an already decoded RGB image.
     *
     * @param image the image
     * @param name how to refer to it in the result and in errors
     * @return the classification
     */
    Classification classify(RgbImage image, String name);

    /**
     * Classifies many images, decoding them in parallel and running inference in batches. A bad
     * input becomes a failed {@link ClassificationResult}; the others are still classified.
     *
     * <p>The consumer is called from internal threads, one call at a time, in the order the
     * options ask for. Inputs are read lazily with back-pressure, so a stream over millions of files
     * runs in bounded memory. The call returns when every input has been handed to the consumer.
     *
     * <p><b>Threads:</b> decoding and inference run on a pool the classifier owns and reuses across
     * calls, so frequent small calls (a Spark task every few dozen rows, a queue consumer per
     * message) do not create threads each time; idle pool threads end after 30 seconds, and
     * {@link #close()} ends them. A consumer that throws, an engine failure or {@link #close()}
     * during the call end it with that exception; results already delivered stay delivered.
     *
     * @throws InferenceException if the engine fails; results already delivered stay delivered
     * @param inputs the images to classify
     * @param options the options
     * @param consumer receives each result
     */
    void classifyAll(Stream<ImageInput> inputs, BatchOptions options, Consumer<ClassificationResult> consumer);

    /**
     * Classifies files with {@link BatchOptions#defaults()} and returns the results in input order.
     *
     * @param images the image files
     * @return one result per image, in input order
     */
    default List<ClassificationResult> classifyAll(List<Path> images) {
        return classifyAll(images, BatchOptions.defaults());
    }

    /**
     * Classifies files and returns the results in input order, whatever {@code options.order()} says.
     *
     * @param images the image files
     * @param options the options
     * @return one result per image, in input order
     */
    default List<ClassificationResult> classifyAll(List<Path> images, BatchOptions options) {
        List<ClassificationResult> results = new ArrayList<>(images.size());
        classifyAll(images.stream().map(ImageInput::of), options.withOrder(BatchOptions.Order.INPUT), results::add);
        return results;
    }

    /**
     * The identity of the model and engine.
     *
     * @return the model's identity: name, version, engine
     */
    ModelInfo model();

    /**
     * The limits every decode of this classifier enforces.
     *
     * @return the file-size and pixel limits given to the builder
     */
    ImageLimits imageLimits();

    /**
     * How this classifier decodes: orientation, transparency, animation frames, resolution.
     *
     * @return the options given to the builder
     */
    DecodeOptions decodeOptions();

    /**
     * The model's full description: preprocessing, labels, score.
     *
     * @return the description the classifier was loaded with
     */
    ModelDescription description();

    /** Releases the model's native memory. Idempotent. */
    @Override
    void close();

    /**
     * Tells a model file from a bundled model's name, for settings that take either in one string
     * (a command-line option, a configuration file): a reference with a path separator, ending in
     * {@code .onnx} or {@code .pt}, or naming an existing file is a file; anything else is a
     * bundled model's name.
     *
     * @param reference a bundled model's name, such as {@code mobilenet_v2}, or a model file's path
     * @return the model file, or empty for a bundled model's name
     */
    static Optional<Path> modelFile(String reference) {
        Objects.requireNonNull(reference, "reference");
        String lower = reference.toLowerCase(Locale.ROOT);
        boolean file = reference.contains("/") || reference.contains("\\") || lower.endsWith(".onnx")
                || lower.endsWith(".pt") || Files.exists(Path.of(reference));
        return file ? Optional.of(Path.of(reference)) : Optional.empty();
    }

    /**
     * A builder that finds a backend through {@link java.util.ServiceLoader}.
     *
     * @return a new builder with every option at its default
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * The version of this keshikaran library, as {@link ModelInfo#libraryVersion()} reports it.
     *
     * @return the version, such as {@code 0.1.0-SNAPSHOT}
     */
    static String libraryVersion() {
        return LibraryVersion.get();
    }

    /**
     * Configures and loads a {@link Classifier}. Everything is optional: by default it loads the
     * bundled {@value #DEFAULT_MODEL} on the preferred engine that is on the classpath.
     */
    final class Builder {
        private String modelName = DEFAULT_MODEL;
        private Path modelPath;
        private ModelDescription description;
        private ModelPreset preset;
        private String engine;
        private ScoreFunction scoreFunction;
        private ImageLimits imageLimits = ImageLimits.defaults();
        private DecodeOptions decodeOptions = DecodeOptions.defaults();
        private int poolSize;
        private int intraOpThreads;
        private ClassLoader classLoader;

        private Builder() {
        }

        /**
         * A bundled model by name: {@code mobilenet_v2_mid} (default), {@code mobilenet_v2} (fastest) or
         * {@code inception_v3} (largest).
         *
         * @param name the bundled model's name
         * @return this builder
         */
        public Builder optModel(String name) {
            this.modelName = Objects.requireNonNull(name, "name");
            this.modelPath = null;
            return this;
        }

        /**
         * A model file of your own ({@code .onnx} or TorchScript {@code .pt}). Its description is
         * read from {@code keshikaran-model.json} beside it unless given with
         * {@link #optModelDescription} or {@link #optPreset}.
         *
         * @param file the model file
         * @return this builder
         */
        public Builder optModelPath(Path file) {
            this.modelPath = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Describes the model, overriding any description file and any preset.
         *
         * @param description the description
         * @return this builder
         */
        public Builder optModelDescription(ModelDescription description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /**
         * Describes the model as a public model family does, overriding any description file. The
         * classifier's model is named after the model file (or the preset for a bundled model). For
         * anything a preset does not fit, start from {@code preset.description().toBuilder()} and use
         * {@link #optModelDescription}.
         *
         * @param preset the preset
         * @return this builder
         */
        public Builder optPreset(ModelPreset preset) {
            this.preset = Objects.requireNonNull(preset, "preset");
            return this;
        }

        /**
         * The engine to use, such as {@code onnxruntime} or {@code pytorch}. Wins over the
         * {@value #ENGINE_PROPERTY} system property and the {@value #ENGINE_ENV} variable.
         *
         * @param engine the engine name
         * @return this builder
         */
        public Builder optEngine(String engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * How probabilities become the score; default the model's score labels summed.
         *
         * @param scoreFunction the score function
         * @return this builder
         */
        public Builder optScoreFunction(ScoreFunction scoreFunction) {
            this.scoreFunction = Objects.requireNonNull(scoreFunction, "scoreFunction");
            return this;
        }

        /**
         * File-size and pixel-count limits for decoding; default {@link ImageLimits#defaults()}.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder optImageLimits(ImageLimits limits) {
            this.imageLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * EXIF orientation, transparency and animation-frame handling for decoding; default
         * {@link DecodeOptions#defaults()}. {@link DecodeOptions#nsfwjsCompatible()} reproduces
         * nsfwjs's pixel semantics.
         *
         * @param options the options
         * @return this builder
         */
        public Builder optDecodeOptions(DecodeOptions options) {
            this.decodeOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * How many inferences may run at once; default the number of cores.
         *
         * @param poolSize at least 1
         * @return this builder
         */
        public Builder optPoolSize(int poolSize) {
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /**
         * Threads one inference may use inside the engine; default chosen by the backend (ONNX
         * Runtime: the cores divided by the pool size, so 1 with the default pool). On PyTorch
         * this pool is process-wide: the first PyTorch classifier's value applies to all.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder optIntraOpThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("intraOpThreads must be at least 1, got " + threads);
            }
            this.intraOpThreads = threads;
            return this;
        }

        /**
         * The class loader to find backends with; default the thread's context class loader.
         *
         * @param classLoader the class loader
         * @return this builder
         */
        public Builder optClassLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * Finds a backend and loads the model.
         *
         * @throws ModelException             if the model is missing, invalid or does not fit its description
         * @throws EngineUnavailableException if no backend on the classpath can run the model; the
         *                                    message says what to add
         * @return the loaded classifier; close it to free its native memory
         */
        public Classifier build() throws ModelException {
            ModelDescription described = description;
            if (described == null && preset != null) {
                described = preset.description();
                if (modelPath != null && modelPath.getFileName() != null) {
                    described = described.toBuilder().setName(ModelDescriptors.stem(modelPath))
                            .optVersion(preset.id()).build();
                }
            }
            return Backends.load(modelName, Optional.ofNullable(modelPath), Optional.ofNullable(described),
                    Optional.ofNullable(scoreFunction), imageLimits, poolSize, intraOpThreads, decodeOptions,
                    engine, classLoader);
        }
    }
}
