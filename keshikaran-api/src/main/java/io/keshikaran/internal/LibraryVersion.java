package io.keshikaran.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The keshikaran version the build wrote into {@code version.properties} (Maven resource filtering),
 * the one place every module reads it from: {@link io.keshikaran.Classifier#libraryVersion()},
 * {@link io.keshikaran.ModelInfo#libraryVersion()}, the CLI's {@code --version} and the servers' health.
 * A resource rather than the jar manifest, so it is also right in {@code target/classes} and in tests.
 */
public final class LibraryVersion {
    private static final String RESOURCE = "version.properties";
    private static final String VERSION = read();

    private LibraryVersion() {
    }

    /**
     * The library version.
     *
     * @return the project version, such as {@code 0.1.0-SNAPSHOT}
     */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = LibraryVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource io/keshikaran/internal/" + RESOURCE
                        + ": the keshikaran-api jar is incomplete");
            }
            Properties p = new Properties();
            p.load(in);
            String version = p.getProperty("version");
            if (version == null || version.isBlank() || version.startsWith("${")) {
                throw new IllegalStateException("io/keshikaran/internal/" + RESOURCE
                        + " was not filtered by the build: version=" + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read io/keshikaran/internal/" + RESOURCE, e);
        }
    }
}
