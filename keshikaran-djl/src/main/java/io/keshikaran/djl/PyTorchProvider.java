package io.keshikaran.djl;

import ai.djl.Model;
import io.keshikaran.spi.ClassifierOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs TorchScript models ({@code .pt}) on DJL's PyTorch engine (libtorch 2.7.1, CPU). Chosen when
 * ONNX Runtime is absent or when asked for by name. Needs three dependencies on the classpath:
 * {@code ai.djl.pytorch:pytorch-engine:0.36.0}, {@code ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0} and
 * {@code ai.djl.pytorch:pytorch-native-cpu:2.7.1} with the platform's classifier, such as
 * {@code linux-x86_64}. The native libraries (about 430 MB) are extracted from that jar into DJL's
 * cache folder ({@code DJL_CACHE_DIR}, default {@code ~/.djl.ai}) on first use; nothing is downloaded.
 *
 * <p>Threads: libtorch's intra-op thread pool is process-wide, and DJL sizes it from the
 * {@code ai.djl.pytorch.num_threads} system property when the engine starts. So
 * {@code optIntraOpThreads} sets that property (unless it is already set) and takes effect only for
 * the first PyTorch classifier of the process; later values are ignored with a warning.
 */
public final class PyTorchProvider extends DjlClassifierProvider {
    /**
     * For {@link java.util.ServiceLoader} only. Not API: the class is public only because a provider
     * on the class path must be a public class with a public no-argument constructor; it is left
     * out of the published Javadoc. Use {@code Classifier.builder().optEngine("pytorch")}.
     */
    public PyTorchProvider() {
    }

    /** This engine's name: {@value}. */
    static final String NAME = "pytorch";

    private static final Logger LOG = LoggerFactory.getLogger(PyTorchProvider.class);
    private static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    @Override
    public String engineName() {
        return NAME;
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    String djlEngineName() {
        return "PyTorch";
    }

    @Override
    List<Requirement> requirements() {
        return List.of(
                new Requirement("ai.djl.pytorch:pytorch-engine:0.36.0", "ai.djl.pytorch.engine.PtEngineProvider"),
                new Requirement("ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0", "jnilib/pytorch.properties"),
                new Requirement("ai.djl.pytorch:pytorch-native-cpu:2.7.1:" + platformClassifier(),
                        "native/lib/pytorch.properties"));
    }

    @Override
    String formatKey() {
        return "torchscript";
    }

    @Override
    String fileExtension() {
        return ".pt";
    }

    @Override
    Map<String, Object> loadOptions(Model model, int intraOpThreads) {
        return Map.of();
    }

    @Override
    void beforeEngineStart(ClassifierOptions options) {
        int threads = options.intraOpThreads();
        boolean first = STARTED.compareAndSet(false, true);
        if (threads <= 0) {
            return;
        }
        if (first && System.getProperty(THREADS_PROPERTY) == null) {
            System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
        } else if (!Integer.toString(threads).equals(System.getProperty(THREADS_PROPERTY))) {
            LOG.warn("intraOpThreads={} is ignored: PyTorch's thread pool is process-wide and was sized when the "
                    + "engine started ({}={})", threads, THREADS_PROPERTY, System.getProperty(THREADS_PROPERTY, "default"));
        }
    }

    /** The {@code pytorch-native-cpu} classifier for this machine, such as {@code linux-x86_64}. */
    static String platformClassifier() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        String system = os.startsWith("mac") || os.startsWith("darwin") ? "osx" : os.startsWith("windows") ? "win" : "linux";
        return system + "-" + cpu;
    }
}
