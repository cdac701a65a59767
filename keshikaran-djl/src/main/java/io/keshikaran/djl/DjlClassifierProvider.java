package io.keshikaran.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import io.keshikaran.Classifier;
import io.keshikaran.EngineUnavailableException;
import io.keshikaran.InferenceException;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelException;
import io.keshikaran.ScoreFunction;
import io.keshikaran.image.ImageDecoder;
import io.keshikaran.preprocess.FloatTensor;
import io.keshikaran.preprocess.PreprocessingSpec;
import io.keshikaran.preprocess.Preprocessor;
import io.keshikaran.spi.ClassifierOptions;
import io.keshikaran.spi.ClassifierProvider;
import io.keshikaran.spi.PipelineClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the ONNX Runtime and PyTorch providers share: engine detection, model resolution, loading,
 * and the load-time check that the model fits its description.
 */
abstract class DjlClassifierProvider implements ClassifierProvider {
    private static final Logger LOG = LoggerFactory.getLogger(DjlClassifierProvider.class);

    /** DJL's name for the engine, such as {@code OnnxRuntime}. */
    abstract String djlEngineName();

    /** A class that exists only when the engine's jar is on the classpath. */
    abstract String engineMarkerClass();

    /** The descriptor's {@code files} key for this engine's model format. */
    abstract String formatKey();

    /** The model file extension this engine loads, such as {@code .onnx}. */
    abstract String fileExtension();

    /** Maven coordinates to add, for error messages. */
    abstract String dependencyHint();

    /** Engine-specific load options; {@code intraOpThreads} is 0 for the engine's default. */
    abstract Map<String, String> loadOptions(int intraOpThreads);

    @Override
    public Optional<String> unavailableReason() {
        try {
            Class.forName(engineMarkerClass(), false, classLoader());
            return Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.of("add " + dependencyHint() + " to the classpath");
        }
    }

    @Override
    public boolean canLoad(ClassifierOptions options) {
        if (options.modelPath().isPresent()) {
            String file = options.modelPath().get().getFileName().toString().toLowerCase(Locale.ROOT);
            return file.endsWith(fileExtension());
        }
        try {
            return ModelSource.resolve(options, formatKey(), classLoader()).isPresent();
        } catch (ModelException e) {
            // Let create() report it: an unknown name is the same error for every engine.
            return true;
        }
    }

    @Override
    public Classifier create(ClassifierOptions options) throws ModelException {
        DjlEnvironment.configure();
        ModelSource source = ModelSource.resolve(options, formatKey(), classLoader())
                .orElseThrow(() -> new ModelException("bundled model '" + options.modelName()
                        + "' has no " + formatKey() + " file for engine " + engineName()));
        ModelDescription description = source.description();
        int cores = Runtime.getRuntime().availableProcessors();
        int poolSize = options.poolSize() > 0 ? options.poolSize() : cores;

        Model model = newModel(description.name());
        DjlInferenceSession session;
        try (InputStream in = source.open()) {
            model.load(in, loadOptions(options.intraOpThreads()));
            session = new DjlInferenceSession(model, engineName(), poolSize);
        } catch (MalformedModelException | IOException | EngineException e) {
            model.close();
            throw new ModelException(source.reference() + ": not a valid " + formatKey() + " model: "
                    + rootMessage(e), e);
        } catch (ModelException | RuntimeException e) {
            model.close();
            throw e;
        }
        // From here on the session owns the model and closes it.
        try {
            verifyShapes(source, description, session);
            ScoreFunction score = options.scoreFunction().orElse(description.defaultScore());
            LOG.debug("loaded {} on {} with {} predictors", source.reference(), engineName(), poolSize);
            return new PipelineClassifier(description, session,
                    new ImageDecoder(options.imageLimits()), Preprocessor.of(description.preprocessing()), score);
        } catch (ModelException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private Model newModel(String name) {
        try {
            return Model.newInstance(name, Device.cpu(), djlEngineName());
        } catch (EngineException | IllegalArgumentException | UnsatisfiedLinkError e) {
            throw new EngineUnavailableException("engine " + engineName() + " failed to start: " + rootMessage(e)
                    + "; check that " + dependencyHint() + " is on the classpath and matches DJL 0.36.0", e);
        }
    }

    /**
     * Runs one all-zero input: the cheapest way to learn, on any engine, whether the model accepts
     * the described input and returns one value per label. It also warms the engine up.
     */
    private static void verifyShapes(ModelSource source, ModelDescription description, DjlInferenceSession session)
            throws ModelException {
        PreprocessingSpec spec = description.preprocessing();
        long[] shape = spec.inputShape();
        FloatTensor zeros = new FloatTensor(new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)], shape);
        float[][] out;
        try {
            out = session.run(zeros);
        } catch (InferenceException e) {
            throw new ModelException(source.reference() + ": the model does not accept the described input "
                    + Arrays.toString(shape) + " (" + spec.layout() + ", " + spec.height() + "x" + spec.width()
                    + "): " + rootMessage(e), e);
        }
        int labels = description.labels().size();
        if (out.length != 1) {
            throw new ModelException(source.reference() + ": the model returned " + out.length
                    + " output rows for a batch of one image");
        }
        if (out[0].length != labels) {
            throw new ModelException(source.reference() + ": the model outputs " + out[0].length
                    + " values per image but the description has " + labels + " labels " + description.labels());
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).strip().lines().findFirst().orElse("");
    }

    static Map<String, String> threads(String key, int intraOpThreads) {
        Map<String, String> m = new HashMap<>();
        if (intraOpThreads > 0) {
            m.put(key, Integer.toString(intraOpThreads));
        }
        return m;
    }

    private static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : DjlClassifierProvider.class.getClassLoader();
    }
}
