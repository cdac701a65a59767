package io.keshikaran.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest, so it cannot drift from the build. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = ClassifyCommand.class.getPackage().getImplementationVersion();
        return new String[] {"keshikaran " + (v != null ? v : "(development build)")};
    }
}
