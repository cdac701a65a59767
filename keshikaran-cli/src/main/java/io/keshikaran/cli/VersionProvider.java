package io.keshikaran.cli;

import io.keshikaran.Classifier;
import picocli.CommandLine.IVersionProvider;

/**
 * Reports the library's version, {@link Classifier#libraryVersion()}: the CLI ships with the
 * keshikaran-api of its own build, so one filtered resource serves both and cannot drift from the pom.
 */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"keshikaran " + version()};
    }

    /** The project version, such as {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        return Classifier.libraryVersion();
    }
}
