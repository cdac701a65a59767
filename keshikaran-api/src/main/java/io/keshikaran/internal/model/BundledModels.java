package io.keshikaran.internal.model;

import io.keshikaran.ModelException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place that knows where bundled models live on the classpath: the {@code keshikaran-models}
 * jar holds {@value #ROOT}{@code <name>/}{@value ModelDescriptors#FILE_NAME} and the model files it
 * names, and lists the models in {@value #INDEX}.
 */
public final class BundledModels {
    /** Classpath folder that holds one sub-folder per bundled model. */
    public static final String ROOT = "io/keshikaran/models/";
    /** The bundled models' names, separated by white space, in the order they are listed in messages. */
    public static final String INDEX = ROOT + "models.txt";

    /** A name that stays inside its own folder under {@link #ROOT}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private BundledModels() {
    }

    /**
     * The classpath resource of one of a bundled model's files.
     *
     * @param model the model's name
     * @param file  a file name in the model's folder, such as a name from its descriptor's {@code files}
     * @return the resource name, for {@link ClassLoader#getResourceAsStream(String)}
     */
    public static String resource(String model, String file) {
        return ROOT + model + "/" + file;
    }

    /**
     * The class loader that finds bundled models unless a caller gives one.
     *
     * @return the thread's context class loader, or without one the API's
     */
    public static ClassLoader defaultClassLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : BundledModels.class.getClassLoader();
    }

    /**
     * How messages name a bundled model.
     *
     * @param model the model's name
     * @return {@code bundled model 'name'}
     */
    public static String reference(String model) {
        return "bundled model '" + model + "'";
    }

    /**
     * Reads a bundled model's descriptor.
     *
     * @param model the model's name
     * @param cl    the class loader that sees the models jar
     * @return the descriptor; empty if there is no bundled model of this name
     * @throws ModelException if the descriptor cannot be read or is invalid
     */
    public static Optional<ModelDescriptors.Descriptor> descriptor(String model, ClassLoader cl) throws ModelException {
        if (!NAME.matcher(model).matches()) {
            return Optional.empty();
        }
        String ref = reference(model);
        try (InputStream in = cl.getResourceAsStream(resource(model, ModelDescriptors.FILE_NAME))) {
            return in == null ? Optional.empty() : Optional.of(ModelDescriptors.read(in, ref));
        } catch (IOException e) {
            throw new ModelException(ref + ": cannot read model descriptor: " + e.getMessage(), e);
        }
    }

    /**
     * The bundled models' names, as listed in the models jar's index.
     *
     * @param cl the class loader that sees the models jar
     * @return the names; empty if the models jar is not on the class path
     * @throws java.io.UncheckedIOException if the index is present but cannot be read
     */
    public static List<String> names(ClassLoader cl) {
        try (InputStream in = cl.getResourceAsStream(INDEX)) {
            if (in == null) {
                return List.of();
            }
            String index = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return index.isEmpty() ? List.of() : List.of(index.split("\\s+"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(INDEX + ": " + e.getMessage(), e);
        }
    }
}
