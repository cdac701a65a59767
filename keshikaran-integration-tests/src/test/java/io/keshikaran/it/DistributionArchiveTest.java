package io.keshikaran.it;

import io.keshikaran.Classifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The CLI archive that {@code mvn package} builds in keshikaran-cli works as a user gets it: unpacked
 * into a folder of its own and started from another folder, it scores an image as the library does.
 */
class DistributionArchiveTest {
    private static final Path FIXTURES = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"));
    private static final Path ARCHIVE = Path.of(System.getProperty("keshikaran.cli.archive"));

    @Test
    void unpackedArchiveScoresAnImageFromAnotherFolder(@TempDir Path install, @TempDir Path elsewhere) throws Exception {
        assertThat(ARCHIVE).as("built by mvn package in keshikaran-cli").isRegularFile();
        Result untar = run(install, List.of("tar", "xzf", ARCHIVE.toAbsolutePath().toString()));
        assertThat(untar.exit).as(untar.err).isZero();
        Path home = install.resolve(ARCHIVE.getFileName().toString().replace(".tar.gz", ""));
        assertThat(home.resolve("LICENSE")).isRegularFile();
        assertThat(home.resolve("LICENSE-nsfwjs")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();
        assertThat(Files.isExecutable(home.resolve("bin/keshikaran"))).isTrue();
        try (var jars = Files.list(home.resolve("lib"))) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("keshikaran-cli-"))
                    .anyMatch(n -> n.startsWith("onnxruntime-engine-"))
                    .noneMatch(n -> n.startsWith("pytorch-"));
        }

        Path dog = FIXTURES.resolve("images/dog.jpg").toAbsolutePath();
        Result scored = run(elsewhere, List.of(home.resolve("bin/keshikaran").toString(), dog.toString()));
        assertThat(scored.exit).as(scored.err).isZero();
        double expected;
        try (Classifier classifier = Classifier.builder().build()) {
            expected = classifier.classify(dog).score();
        }
        assertThat(Double.parseDouble(scored.out.strip())).isCloseTo(expected, within(0.005));

        Result pytorch = run(elsewhere, List.of(home.resolve("bin/keshikaran").toString(), "--engine", "pytorch",
                dog.toString()));
        assertThat(pytorch.exit).isNotZero();
        assertThat(pytorch.err).contains("ai.djl.pytorch:pytorch-engine")
                .contains("use the keshikaran -pytorch-linux-x86_64 archive instead, or copy those jars and "
                        + "io.keshikaran:keshikaran-models-torchscript into " + home.resolve("lib").toRealPath());
    }

    /**
     * The launcher tells JDKs 17 to 24 to wait longer for JNI critical regions (libwebp's scaled
     * decoding), and leaves the option out for a JDK whose release file names a later version,
     * which would refuse to start with it (JDK 25).
     */
    @Test
    void launcherSetsTheGcLockerOptionOnlyForJdksThatHaveIt(@TempDir Path install, @TempDir Path fakeJdk) throws Exception {
        Result untar = run(install, List.of("tar", "xzf", ARCHIVE.toAbsolutePath().toString()));
        assertThat(untar.exit).as(untar.err).isZero();
        Path launcher = install.resolve(ARCHIVE.getFileName().toString().replace(".tar.gz", "")).resolve("bin/keshikaran");
        Path realJava = Path.of(System.getProperty("java.home"), "bin", "java");
        int feature = Runtime.version().feature();

        Result real = run(install, List.of(launcher.toString(), "--version"),
                Map.of("JAVA_HOME", System.getProperty("java.home"), "KESHIKARAN_JAVA_OPTS", "-XX:+PrintCommandLineFlags"));
        assertThat(real.exit).as(real.err).isZero();
        assertThat(real.out.contains("-XX:GCLockerRetryAllocationCount=100")).as("JDK %d: %s", feature, real.out)
                .isEqualTo(feature >= 17 && feature <= 24);

        // A JDK whose release file says 25: a wrapper script, so that the launcher reads this release file.
        Files.createDirectories(fakeJdk.resolve("bin"));
        Path wrapper = fakeJdk.resolve("bin/java");
        Files.writeString(wrapper, "#!/bin/sh\nexec '" + realJava + "' \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        Files.writeString(fakeJdk.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
        Result later = run(install, List.of(launcher.toString(), "--version"),
                Map.of("JAVA_HOME", fakeJdk.toString(), "KESHIKARAN_JAVA_OPTS", "-XX:+PrintCommandLineFlags"));
        assertThat(later.exit).as(later.err).isZero();
        assertThat(later.out).contains("-XX:+PrintCommandLineFlags").doesNotContain("GCLockerRetryAllocationCount");
    }

    private record Result(int exit, String out, String err) {
    }


    private static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        return run(dir, command, Map.of());
    }

    private static Result run(Path dir, List<String> command, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        // No class-data archive in the user's cache folder from a test.
        pb.environment().put("KESHIKARAN_CDS", "0");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
