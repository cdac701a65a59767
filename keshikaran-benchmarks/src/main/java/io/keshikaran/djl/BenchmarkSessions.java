package io.keshikaran.djl;

import ai.djl.Device;
import ai.djl.Model;
import io.keshikaran.ModelDescription;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.spi.ClassifierOptions;
import io.keshikaran.spi.InferenceSession;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Opens a bundled model's {@link InferenceSession} on ONNX Runtime the way
 * {@link OnnxRuntimeProvider} does, without the decoding pipeline around it, so a benchmark can
 * time the engine alone. Lives in keshikaran-djl's package to reach its package-private classes.
 */
public final class BenchmarkSessions {
    private BenchmarkSessions() {
    }

    /** A session with its description; close the session when done. */
    public record Opened(InferenceSession session, ModelDescription description) {
    }

    /**
     * @param model          a bundled model name
     * @param intraOpThreads ONNX Runtime intra-op threads, 0 for the provider's default
     * @param poolSize       predictors in the pool
     */
    public static Opened open(String model, int intraOpThreads, int poolSize) throws Exception {
        DjlEnvironment.configure();
        ClassifierOptions options = new ClassifierOptions(model, Optional.empty(), Optional.empty(),
                Optional.empty(), ImageLimits.defaults(), poolSize, intraOpThreads);
        OnnxRuntimeProvider provider = new OnnxRuntimeProvider();
        ModelSource source = ModelSource.resolve(options, provider.formatKey(), BenchmarkSessions.class.getClassLoader())
                .orElseThrow();
        Model m = Model.newInstance(model, Device.cpu(), provider.djlEngineName());
        Map<String, Object> loadOptions = provider.loadOptions(m, intraOpThreads);
        try (InputStream in = source.open()) {
            m.load(in, loadOptions);
        } catch (Exception e) {
            m.close();
            throw e;
        } finally {
            DjlClassifierProvider.closeAll(loadOptions.values());
        }
        return new Opened(new DjlInferenceSession(m, source.description(), provider.engineName(), poolSize),
                source.description());
    }
}
