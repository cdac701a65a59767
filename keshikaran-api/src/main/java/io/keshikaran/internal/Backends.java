package io.keshikaran.internal;

import io.keshikaran.Classifier;
import io.keshikaran.EngineUnavailableException;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelException;
import io.keshikaran.ScoreFunction;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.internal.image.ImageDecoder;
import io.keshikaran.spi.ClassifierOptions;
import io.keshikaran.spi.ClassifierProvider;
import io.keshikaran.spi.InferenceSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Finds the backend for a {@link Classifier.Builder}, loads the model with it, and wraps the loaded
 * model in the shared {@link PipelineClassifier}.
 */
public final class Backends {
    private Backends() {
    }

    /**
     * Loads a classifier with the {@link Classifier.Builder}'s settings; see
     * {@link io.keshikaran.spi.ClassifierOptions} for each.
     *
     * @return the classifier
     * @throws ModelException             if the model is missing, invalid or does not fit its description
     * @throws EngineUnavailableException if no provider can run the model; the message says what to add
     */
    public static Classifier load(String modelName, Optional<Path> modelPath, Optional<ModelDescription> description,
                                  Optional<ScoreFunction> scoreFunction, ImageLimits imageLimits, int poolSize,
                                  int intraOpThreads, DecodeOptions decodeOptions, String engine,
                                  ClassLoader classLoader) throws ModelException {
        return load(new ClassifierOptions(modelName, modelPath, description, scoreFunction, imageLimits, poolSize,
                intraOpThreads, decodeOptions), engine, classLoader);
    }

    /**
     * Picks a provider (an explicit engine wins, then priority among the usable ones that can load
     * the model), loads the model and builds the classifier.
     *
     * @param options     what the caller asked for
     * @param engine      the engine named by the caller, or null to consult the system property,
     *                    then the environment variable, then choose
     * @param classLoader where to look for providers, or null for the context class loader
     * @return the classifier
     * @throws ModelException             if the model is missing, invalid or does not fit its description
     * @throws EngineUnavailableException if no provider can run the model; the message says what to add
     */
    public static Classifier load(ClassifierOptions options, String engine, ClassLoader classLoader)
            throws ModelException {
        checkModelPath(options);
        // The native image decoders load while the engine loads the model.
        ImageDecoder.preloadNativeDecoders(options.decodeOptions());
        ClassifierProvider provider = select(options, requestedEngine(engine), classLoader);
        InferenceSession session = provider.load(options);
        try {
            return new PipelineClassifier(options, session);
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
    }

    /** A folder is a model error whatever the engines, and is cheaper to say before looking for them. */
    private static void checkModelPath(ClassifierOptions options) throws ModelException {
        Optional<Path> path = options.modelPath();
        if (path.isPresent() && (Files.isDirectory(path.get()) || path.get().getFileName() == null)) {
            throw new ModelException(path.get() + ": is a folder, not a model file; give the model file itself, "
                    + "such as " + path.get().resolve("model.onnx"));
        }
    }

    private static ClassifierProvider select(ClassifierOptions options, String requested, ClassLoader classLoader)
            throws ModelException {
        ClassLoader cl = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
        List<ClassifierProvider> providers = new ArrayList<>();
        ServiceLoader.load(ClassifierProvider.class, cl != null ? cl : Backends.class.getClassLoader())
                .forEach(providers::add);
        if (providers.isEmpty()) {
            throw new EngineUnavailableException("no keshikaran backend on the classpath: add "
                    + "io.keshikaran:keshikaran-djl plus an engine, ai.djl.onnxruntime:onnxruntime-engine "
                    + "(recommended) or ai.djl.pytorch:pytorch-engine with pytorch-jni and pytorch-native-cpu");
        }
        if (requested != null) {
            ClassifierProvider p = providers.stream()
                    .filter(x -> x.engineName().equalsIgnoreCase(requested))
                    .findFirst()
                    .orElseThrow(() -> new EngineUnavailableException("unknown engine '" + requested
                            + "'; known engines: " + names(providers)));
            p.unavailableReason().ifPresent(reason -> {
                throw new EngineUnavailableException("engine " + p.engineName() + " was requested but is not usable: " + reason);
            });
            if (options.modelPath().isPresent() && !p.canLoad(options)) {
                throw new ModelException(options.modelReference() + ": not a model file engine " + p.engineName()
                        + " loads" + expectedExtensions(List.of(p)));
            }
            return p;
        }
        List<ClassifierProvider> usable = providers.stream()
                .filter(p -> p.unavailableReason().isEmpty())
                .sorted(Comparator.comparingInt(ClassifierProvider::priority).reversed())
                .collect(Collectors.toList());
        if (usable.isEmpty()) {
            throw new EngineUnavailableException("no inference engine on the classpath: "
                    + providers.stream().map(p -> p.engineName() + ": " + p.unavailableReason().orElse("?"))
                    .collect(Collectors.joining("; or ")));
        }
        Optional<ClassifierProvider> loader = usable.stream().filter(p -> p.canLoad(options)).findFirst();
        if (loader.isPresent()) {
            return loader.get();
        }
        if (options.modelPath().isPresent() && providers.stream().noneMatch(p -> p.canLoad(options))) {
            throw new ModelException(options.modelReference() + ": not a model file any engine loads"
                    + expectedExtensions(providers));
        }
        return loader
                .orElseThrow(() -> new EngineUnavailableException("no available engine can load model "
                        + options.modelReference() + " (available: " + names(usable) + "); "
                        + providers.stream().filter(p -> p.canLoad(options) && p.unavailableReason().isPresent())
                        .map(p -> p.engineName() + ": " + p.unavailableReason().get())
                        .collect(Collectors.joining("; "))));
    }

    private static String expectedExtensions(List<ClassifierProvider> providers) {
        String known = providers.stream().filter(p -> !p.modelFileExtensions().isEmpty())
                .map(p -> String.join(" or ", new TreeSet<>(p.modelFileExtensions())) + " (" + p.engineName() + ")")
                .collect(Collectors.joining(", "));
        return known.isEmpty() ? "" : ": the file name must end in " + known;
    }

    private static String requestedEngine(String engine) {
        if (engine != null) {
            return engine;
        }
        String prop = System.getProperty(Classifier.ENGINE_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return prop.trim();
        }
        String env = System.getenv(Classifier.ENGINE_ENV);
        return env != null && !env.isBlank() ? env.trim().toLowerCase(Locale.ROOT) : null;
    }

    private static String names(List<ClassifierProvider> providers) {
        return providers.stream().map(ClassifierProvider::engineName).collect(Collectors.joining(", "));
    }
}
