package io.keshikaran.djl;

import io.keshikaran.ModelDescription;
import io.keshikaran.ModelException;
import io.keshikaran.internal.model.BundledModels;
import io.keshikaran.internal.model.ModelDescriptors;
import io.keshikaran.spi.ClassifierOptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a model's bytes and description come from: a bundled model on the classpath (the
 * {@code keshikaran-models} jar, laid out as {@link BundledModels} says) or a file of the user's.
 */
final class ModelSource {

    private final String reference;
    private final ModelDescription description;
    private final Optional<Path> file;
    private final Optional<String> resource;
    private final ClassLoader classLoader;

    private ModelSource(String reference, ModelDescription description, Optional<Path> file,
                        Optional<String> resource, ClassLoader classLoader) {
        this.reference = reference;
        this.description = description;
        this.file = file;
        this.resource = resource;
        this.classLoader = classLoader;
    }

    /** How to name the model in messages: the file path or {@code bundled model 'name'}. */
    String reference() {
        return reference;
    }

    ModelDescription description() {
        return description;
    }

    /** Opens the model bytes. */
    InputStream open() throws ModelException {
        try {
            if (file.isPresent()) {
                return Files.newInputStream(file.get());
            }
            InputStream in = classLoader.getResourceAsStream(resource.orElseThrow());
            if (in == null) {
                throw new ModelException(reference + ": model file " + resource.get() + " is missing from the classpath");
            }
            return in;
        } catch (IOException e) {
            throw new ModelException(reference + ": cannot read model file: " + e.getMessage(), e);
        }
    }

    /**
     * Resolves the requested model for one format.
     *
     * @param formatKey the descriptor's {@code files} key, {@code onnx} or {@code torchscript}
     * @return empty if a bundled model has no file for this format
     */
    static Optional<ModelSource> resolve(ClassifierOptions options, String formatKey, ClassLoader cl)
            throws ModelException {
        if (options.modelPath().isPresent()) {
            return Optional.of(resolveFile(options, options.modelPath().get()));
        }
        return resolveBundled(options, formatKey, cl);
    }

    private static ModelSource resolveFile(ClassifierOptions options, Path path) throws ModelException {
        String ref = path.toString();
        if (!Files.exists(path)) {
            throw new ModelException(ref + ": model file not found");
        }
        if (!Files.isRegularFile(path)) {
            throw new ModelException(ref + ": not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw new ModelException(ref + ": model file is not readable");
        }
        ModelDescription description = options.description().isPresent() ? options.description().get()
                : ModelDescriptors.besideModel(path).map(ModelDescriptors.Descriptor::description).orElseThrow(
                        () -> new ModelException(ref + ": no model description: put a " + ModelDescriptors.FILE_NAME
                                + " beside it (see docs/model-descriptor.md), or pass a preset (optPreset) or a "
                                + "description (optModelDescription)"));
        return new ModelSource(ref, description, Optional.of(path), Optional.empty(), null);
    }

    private static Optional<ModelSource> resolveBundled(ClassifierOptions options, String formatKey, ClassLoader cl)
            throws ModelException {
        String name = options.modelName();
        ModelDescriptors.Descriptor descriptor = BundledModels.descriptor(name, cl).orElseThrow(
                () -> new ModelException("unknown model '" + name + "': bundled models are " + bundledNames(cl)
                        + "; to use your own, pass a model file path"));
        Optional<String> file = descriptor.file(formatKey);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        ModelDescription description = options.description().orElse(descriptor.description());
        return Optional.of(new ModelSource(BundledModels.reference(name), description, Optional.empty(),
                Optional.of(BundledModels.resource(name, file.get())), cl));
    }

    /** The names of the bundled models, as listed in the models jar's index, for messages. */
    static String bundledNames(ClassLoader cl) {
        List<String> names = BundledModels.names(cl);
        return names.isEmpty() ? "none (io.keshikaran:keshikaran-models is not on the classpath)" : String.join(", ", names);
    }
}
