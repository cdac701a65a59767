package io.keshikaran.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import io.keshikaran.EngineUnavailableException;
import io.keshikaran.InferenceException;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelException;
import io.keshikaran.preprocess.FloatTensor;
import io.keshikaran.preprocess.PreprocessingSpec;
import io.keshikaran.spi.ClassifierOptions;
import io.keshikaran.spi.ClassifierProvider;
import io.keshikaran.spi.InferenceSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the ONNX Runtime and PyTorch providers share: engine detection, model resolution, loading,
 * and the load-time check that the model fits its description.
 */
abstract class DjlClassifierProvider implements ClassifierProvider {
    private static final Logger LOG = LoggerFactory.getLogger(DjlClassifierProvider.class);

    /** DJL's name for the engine, such as {@code OnnxRuntime}. */
    abstract String djlEngineName();

    /**
     * A dependency the engine needs on the classpath, recognised by a class or resource that only it
     * contains.
     *
     * @param coordinates Maven coordinates to name in the error message
     * @param marker      a class name, or a resource path (contains '/')
     * @param transitive  whether the first requirement brings it along, so that it is named only when
     *                    the first one is present (its absence then means a build excluded it)
     */
    record Requirement(String coordinates, String marker, boolean transitive) {
        Requirement(String coordinates, String marker) {
            this(coordinates, marker, false);
        }

        boolean isPresent(ClassLoader cl) {
            if (marker.indexOf('/') >= 0) {
                return cl.getResource(marker) != null;
            }
            try {
                Class.forName(marker, false, cl);
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }

    /** Everything the engine needs on the classpath, in the order to name it. */
    abstract List<Requirement> requirements();

    /** The descriptor's {@code files} key for this engine's model format. */
    abstract String formatKey();

    /** The model file extension this engine loads, such as {@code .onnx}. */
    abstract String fileExtension();

    /**
     * Engine-specific load options. {@code intraOpThreads} is the caller's choice or, when unset, an
     * equal share of the cores for each predictor of the pool (at least 1). Values that hold native
     * memory (ONNX Runtime's session options) are {@link AutoCloseable}; they are closed once the
     * model is loaded.
     */
    abstract Map<String, Object> loadOptions(Model model, int intraOpThreads);

    /** Called before the engine's first model is created; engine-wide settings go here. */
    void beforeEngineStart(ClassifierOptions options) {
    }

    /** Called after a model was created, so the engine has started, or after that failed. */
    void afterEngineStart() {
    }

    /** All the engine's Maven coordinates, for error messages. */
    final String dependencyHint() {
        return joinCoordinates(requirements().stream().filter(r -> !r.transitive()).toList());
    }

    /** Names exactly the dependencies that are missing, as in "add A and B to the classpath". */
    @Override
    public Optional<String> unavailableReason() {
        ClassLoader cl = classLoader();
        List<Requirement> all = requirements();
        boolean firstMissing = !all.get(0).isPresent(cl);
        List<Requirement> missing = all.stream()
                .filter(r -> !(firstMissing && r.transitive()) && !r.isPresent(cl)).toList();
        return missing.isEmpty() ? Optional.empty() : Optional.of("add " + joinCoordinates(missing) + " to the classpath");
    }

    private static String joinCoordinates(List<Requirement> requirements) {
        List<String> names = requirements.stream().map(Requirement::coordinates).toList();
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    @Override
    public Set<String> modelFileExtensions() {
        return Set.of(fileExtension());
    }

    /** The artifact holding the bundled models in this engine's format. */
    final String modelsArtifact() {
        return "io.keshikaran:keshikaran-models-" + formatKey();
    }

    /**
     * Whether the bundled models in this engine's format are on the classpath: each models artifact
     * carries a marker, because the descriptions (in both artifacts) list both formats' files.
     */
    private boolean hasBundledModels(String formatKey) {
        return classLoader().getResource(MODELS_MARKERS + formatKey) != null;
    }

    private static final String MODELS_MARKERS = "io/keshikaran/models/formats/";

    @Override
    public boolean canLoad(ClassifierOptions options) {
        if (options.modelPath().isPresent()) {
            String file = options.modelPath().get().getFileName().toString().toLowerCase(Locale.ROOT);
            return file.endsWith(fileExtension());
        }
        if (!hasBundledModels(formatKey()) && (hasBundledModels("onnx") || hasBundledModels("torchscript"))) {
            // The other engine's models are there: let selection pick that engine.
            return false;
        }
        try {
            return ModelSource.resolve(options, formatKey(), classLoader()).isPresent();
        } catch (ModelException e) {
            // Let create() report it: an unknown name is the same error for every engine.
            return true;
        }
    }

    @Override
    public InferenceSession load(ClassifierOptions options) throws ModelException {
        DjlEnvironment.configure();
        if (options.modelPath().isEmpty() && !hasBundledModels(formatKey())) {
            throw new ModelException("bundled model '" + options.modelName() + "' needs " + modelsArtifact()
                    + " on the classpath for engine " + engineName() + " (or pass a model file with optModelPath)");
        }
        ModelSource source = ModelSource.resolve(options, formatKey(), classLoader())
                .orElseThrow(() -> new ModelException("bundled model '" + options.modelName()
                        + "' has no " + formatKey() + " file for engine " + engineName()));
        ModelDescription description = source.description();
        int cores = Runtime.getRuntime().availableProcessors();
        int poolSize = options.poolSize() > 0 ? options.poolSize() : cores;

        beforeEngineStart(options);
        Model model;
        try {
            model = newModel(description.name());
        } finally {
            afterEngineStart();
        }
        DjlInferenceSession session;
        try (InputStream in = source.open()) {
            // An equal share of the cores per predictor never oversubscribes them, however many
            // inferences run at once. ONNX Runtime's own default (one thread per core for every
            // session, pinned to the cores) measured 2x slower on 2 shared cores (docs/performance.md).
            int intraOpThreads = options.intraOpThreads() > 0 ? options.intraOpThreads() : Math.max(1, cores / poolSize);
            Map<String, Object> loadOptions = loadOptions(model, intraOpThreads);
            try {
                model.load(in, loadOptions);
            } finally {
                closeAll(loadOptions.values());
            }
            session = new DjlInferenceSession(model, description, engineName(), poolSize);
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
            LOG.debug("loaded {} on {} with {} predictors", source.reference(), engineName(), poolSize);
            return session;
        } catch (ModelException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private Model newModel(String name) {
        try {
            return Model.newInstance(name, Device.cpu(), djlEngineName());
        } catch (EngineException | IllegalArgumentException | LinkageError e) {
            // LinkageError: also a failed class initialisation (ExceptionInInitializerError) and,
            // on every later start in this JVM, the NoClassDefFoundError that follows it.
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
        if (m == null) {
            return t.getClass().getSimpleName();
        }
        // A TorchScript error is a long report whose useful part is its last "SomethingError: ..." line.
        List<String> lines = m.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (int i = lines.size() - 1; i > 0; i--) {
            java.util.regex.Matcher error = TORCHSCRIPT_ERROR.matcher(lines.get(i));
            if (error.matches()) {
                return error.group(1);
            }
        }
        return lines.isEmpty() ? t.getClass().getSimpleName() : lines.get(0);
    }

    private static final java.util.regex.Pattern TORCHSCRIPT_ERROR =
            java.util.regex.Pattern.compile("(?:builtins\\.)?\\w*(?:Error|Exception): (.+)");

    static void closeAll(java.util.Collection<Object> values) {
        for (Object value : values) {
            if (value instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.debug("closing a load option failed", e);
                }
            }
        }
    }

    static Map<String, Object> threads(String key, int intraOpThreads) {
        Map<String, Object> m = new HashMap<>();
        if (intraOpThreads > 0) {
            m.put(key, Integer.toString(intraOpThreads));
        }
        return m;
    }

    static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : DjlClassifierProvider.class.getClassLoader();
    }
}
