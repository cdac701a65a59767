package io.keshikaran.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a native-code fuzzing campaign in a JVM of its own, so that a crash in native code (a
 * segmentation fault ends the process) fails the calling test, naming the seed and the last case
 * started, instead of ending the build's test JVM. Lent to the native modules' tests (Leptonica,
 * FFmpeg) through keshikaran-api's test jar.
 *
 * <p>The campaign is a class with a {@code main(seed, cases, folder)} that prints {@code case ...}
 * before each decode and ends with {@code done: D decoded, R refused of N}.
 */
public final class ForkedCampaign {
    private ForkedCampaign() {
    }

    /**
     * What a campaign reported.
     *
     * @param decoded how many damaged files decoded
     * @param refused how many were refused with an {@code InvalidImageException}
     * @param output  everything the campaign printed
     */
    public record Result(int decoded, int refused, String output) {
    }

    /**
     * Runs {@code campaign}'s {@code main} with this test JVM's classpath and asserts that it ran to
     * its end: exit status 0 and a {@code done:} line covering every case.
     *
     * @param campaign the class whose {@code main} runs the campaign
     * @param seed     the campaign's seed
     * @param cases    how many damaged files it decodes
     * @param folder   where its seed files are
     * @return the counts it printed
     * @throws Exception when the JVM cannot be started or is interrupted
     */
    public static Result run(Class<?> campaign, long seed, int cases, Path folder) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                campaign.getName(), Long.toString(seed), Integer.toString(cases), folder.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        List<String> lines = out.lines().toList();
        String last = lines.stream().filter(l -> l.startsWith("case ")).reduce((a, b) -> b).orElse("no case started");
        assertThat(p.exitValue()).as("seed %d: the fuzzing JVM died at %s:%n%s", seed, last, out).isZero();
        String done = lines.stream().filter(l -> l.startsWith("done: ")).findFirst().orElse("");
        assertThat(done).as(out).matches("done: \\d+ decoded, \\d+ refused of " + cases + ".*");
        String[] words = done.split(" ");
        return new Result(Integer.parseInt(words[1]), Integer.parseInt(words[3]), out);
    }
}
