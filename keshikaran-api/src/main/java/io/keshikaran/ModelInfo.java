package io.keshikaran;

import io.keshikaran.internal.LibraryVersion;

import java.util.Objects;

/**
 * The identity of the model that produced a {@link Classification}: enough to tell two results
 * apart when the model or engine changes.
 *
 * @param name    the model's name, such as {@code mobilenet_v2}
 * @param version the model's version, such as {@code nsfwjs-4.4.0}
 * @param source  where the weights come from
 * @param license the weights' licence
 * @param engine  the engine that runs it, such as {@code onnxruntime} or {@code pytorch}
 */
public record ModelInfo(String name, String version, String source, String license, String engine) {
    /**
     * Validates that every field is present.
     *
     * @param name the model's name, such as {@code mobilenet_v2}
     * @param version the model's version, such as {@code nsfwjs-4.4.0}
     * @param source where the weights come from
     * @param license the weights' licence
     * @param engine the engine that runs it, such as {@code onnxruntime} or {@code pytorch}
     */
    public ModelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(engine, "engine");
    }

    /**
     * {@code name@version}, the short form used in CLI output.
     *
     * @return {@code name@version}
     */
    public String id() {
        return name + "@" + version;
    }

    /**
     * The version of the keshikaran library that ran the model, the same for every model in a JVM;
     * with {@link #id()} and {@link #engine()} it tells apart results from different builds.
     *
     * @return the library version, such as {@code 0.1.0-SNAPSHOT}
     * @see Classifier#libraryVersion()
     */
    public String libraryVersion() {
        return LibraryVersion.get();
    }
}
