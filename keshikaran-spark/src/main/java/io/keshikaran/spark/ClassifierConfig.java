package io.keshikaran.spark;

import io.keshikaran.Classifier;
import io.keshikaran.ModelException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything needed to load a {@link Classifier} on an executor: the caller's {@link ClassifierSetup}.
 * Serializable, so it travels with the task. Two configs are equal when their setups serialize to
 * the same bytes (the same lambda with the same captured values), so every task of a job, each
 * holding its own deserialized copy, shares one classifier per JVM (see {@link ExecutorClassifiers}).
 */
final class ClassifierConfig implements Serializable {
    private static final long serialVersionUID = 2L;

    private final ClassifierSetup setup;
    private final byte[] identity;

    /**
     * @throws IllegalArgumentException if the setup (or something it captures) is not serializable
     */
    ClassifierConfig(ClassifierSetup setup) {
        this.setup = Objects.requireNonNull(setup, "setup");
        this.identity = serialize(setup);
    }

    private static byte[] serialize(ClassifierSetup setup) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(setup);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the classifier setup must be serializable to reach the executors, but it "
                    + "captures a " + e.getMessage() + "; capture only serializable values", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the classifier setup cannot be serialized: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /** Loads the model; the caller owns (and must close) the result. */
    Classifier load(ClassLoader classLoader) throws ModelException {
        Classifier.Builder builder = Classifier.builder()
                .optIntraOpThreads(KeshikaranScorer.DEFAULT_INTRA_OP_THREADS)
                .optClassLoader(classLoader);
        setup.configure(builder);
        return builder.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassifierConfig other && Arrays.equals(identity, other.identity);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(identity);
    }

    @Override
    public String toString() {
        return "ClassifierConfig[" + setup.getClass().getName() + "]";
    }
}
