package io.keshikaran.spark;

import io.keshikaran.Classifier;
import io.keshikaran.ModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * The classifiers of this JVM: one per configuration, loaded by the first task that needs it,
 * shared by every later task (they run on the executor's task threads, and a {@link Classifier} is
 * thread-safe), and closed by a JVM shutdown hook when the executor exits.
 *
 * <p>Loading a model takes about a second and tens of MB of native memory, so doing it once per
 * executor instead of once per partition is what keeps scoring cheap. Nothing is loaded on the
 * driver unless the driver runs tasks itself (local mode).
 */
public final class ExecutorClassifiers {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorClassifiers.class);
    private static final Map<ClassifierConfig, Classifier> LOADED = new ConcurrentHashMap<>();
    private static boolean hookRegistered;

    private ExecutorClassifiers() {
    }

    /** The shared classifier for a config, loading it on first use. Thread-safe. */
    static Classifier get(ClassifierConfig config) throws ModelException {
        Classifier classifier = LOADED.get(config);
        if (classifier != null) {
            return classifier;
        }
        // Loads are rare and slow: one lock keeps concurrent tasks from loading the same model twice.
        synchronized (ExecutorClassifiers.class) {
            classifier = LOADED.get(config);
            if (classifier == null) {
                registerShutdownHook();
                classifier = load(config);
                LOADED.put(config, classifier);
            }
            return classifier;
        }
    }

    private static Classifier load(ClassifierConfig config) throws ModelException {
        // On an executor, keshikaran comes from the application jar, which only the task threads'
        // class loader sees. Backends (ServiceLoader), DJL's engine and ImageIO's plugins must all be
        // found through that loader, whatever thread touched ImageIO first.
        ClassLoader appLoader = ExecutorClassifiers.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(appLoader);
        try {
            ImageIO.scanForPlugins();
            long start = System.nanoTime();
            Classifier classifier = config.load(appLoader);
            LOG.info("loaded {} on {} in {} ms for this JVM", classifier.model().id(), classifier.model().engine(),
                    (System.nanoTime() - start) / 1_000_000);
            return classifier;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void registerShutdownHook() {
        if (!hookRegistered) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExecutorClassifiers::closeAll, "keshikaran-close-classifiers"));
            hookRegistered = true;
        }
    }

    /** The configs with a loaded classifier in this JVM. */
    static Set<ClassifierConfig> loaded() {
        return Set.copyOf(LOADED.keySet());
    }

    /**
     * Closes every classifier of this JVM now instead of at exit, freeing their native memory; the
     * next task that needs one loads it again. Only for a long-lived driver in local mode: calling
     * it while a job runs makes that job's tasks fail.
     */
    public static void closeAll() {
        for (ClassifierConfig config : Set.copyOf(LOADED.keySet())) {
            Classifier classifier = LOADED.remove(config);
            if (classifier != null) {
                try {
                    classifier.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing the classifier for {} failed: {}", config, e.toString());
                }
            }
        }
    }
}
