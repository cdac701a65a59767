package io.keshikaran.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17's folder scan, as a container runs it: the CLI in a child JVM with
 * {@code -Xmx384m -XX:+ExitOnOutOfMemoryError} scans a folder of 3,000 files made at test time by
 * mutating the WebP, GIF, PNG and JPEG fixtures (and the forged files of fixtures/hostile). Every
 * file must get a result row (a score or an error), the process must exit normally, and no
 * {@link OutOfMemoryError} may happen anywhere: before the fix the JVM died after 1,079 files of
 * issue 17's folder, and this test's child JVM ended with {@code Terminating due to
 * java.lang.OutOfMemoryError} after 10 s.
 *
 * <p>A child JVM because the heap limit and the exit-on-OOM flag are the point, and because an
 * {@code OutOfMemoryError} there must fail this test, not kill the build. About 2 minutes on
 * 2 cores (mobilenet_v2, 2 frames per animation).
 */
class HostileFolderScanTest {
    private static final int FILES = 3000;
    private static final long TIMEOUT_MINUTES = 30;

    @Test
    void aFolderOfMutatedImagesIsScannedToTheEndIn384Megabytes(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("mutated"));
        List<String> names = writeMutatedFolder(folder, new Random(17));
        Path out = dir.resolve("out.jsonl");
        Path err = dir.resolve("err.txt");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(),
                "--json", "--model", "mobilenet_v2", "--max-frames", "2", folder.toString());
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String stderr = Files.readString(err);
        assertThat(finished).as("the scan finished within %d minutes; stderr: %s", TIMEOUT_MINUTES, tail(stderr)).isTrue();
        // HotSpot prints "Terminating due to java.lang.OutOfMemoryError" on stdout, hence both.
        assertThat(stderr + Files.readString(out)).doesNotContain("OutOfMemoryError").doesNotContain("Terminating due to");
        // 3: some inputs failed, as most mutated files do; never a crash.
        assertThat(process.exitValue()).as(tail(stderr)).isEqualTo(ExitCodes.SOME_FAILED);

        ObjectMapper mapper = new ObjectMapper();
        Set<String> seen = new HashSet<>();
        int scored = 0;
        int refused = 0;
        for (String line : Files.readAllLines(out)) {
            JsonNode row = mapper.readTree(line);
            assertThat(seen.add(Path.of(row.get("file").asText()).getFileName().toString())).as("one row per file: %s", line).isTrue();
            if (row.has("score")) {
                assertThat(row.get("score").asDouble()).isBetween(0.0, 1.0);
                scored++;
            } else {
                assertThat(row.get("error").asText()).isNotBlank();
                // Refused for what it holds, not by the OutOfMemoryError safety net.
                assertThat(row.get("error").asText()).doesNotContain("not enough memory");
                refused++;
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(names);
        System.out.printf(Locale.ROOT, "HostileFolderScanTest: %d files, %d scored, %d refused, %.0f s in a -Xmx384m child JVM%n",
                FILES, scored, refused, (System.nanoTime() - start) / 1e9);
        assertThat(scored).as("enough files stay valid to exercise classification").isGreaterThan(FILES / 20);
    }

    /** 3,000 files: mutants of the fixtures of four formats and the hostile files, named by index. */
    private static List<String> writeMutatedFolder(Path folder, Random random) throws IOException {
        Path fixtures = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"));
        List<byte[]> seeds = new ArrayList<>();
        List<String> extensions = new ArrayList<>();
        for (String sub : List.of("formats", "hostile")) {
            try (Stream<Path> files = Files.list(fixtures.resolve(sub))) {
                for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                    String n = p.getFileName().toString();
                    if (Files.isRegularFile(p) && Files.size(p) > 0
                            && (n.endsWith(".webp") || n.endsWith(".gif") || n.endsWith(".png") || n.endsWith(".jpg"))) {
                        seeds.add(Files.readAllBytes(p));
                        extensions.add(n.substring(n.lastIndexOf('.')));
                    }
                }
            }
        }
        assertThat(seeds).hasSizeGreaterThan(40);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            int seed = random.nextInt(seeds.size());
            byte[] bytes = mutate(seeds.get(seed), random);
            // The folder scan picks images by extension; the decoder goes by content.
            String name = String.format(Locale.ROOT, "%04d%s", i, extensions.get(seed));
            Files.write(folder.resolve(name), bytes);
            names.add(name);
        }
        return names;
    }

    /**
     * One to three edits: bit flips, a cut, a deleted or repeated run, or a 2- or 4-byte header
     * field (sizes, lengths, counts live in the first 64 bytes of every format) set to an extreme.
     * A tenth of the files stay untouched, valid images that must be scored.
     */
    private static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        if (random.nextInt(10) == 0) {
            return b;
        }
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && b.length > 8; e++) {
            switch (random.nextInt(5)) {
                case 0 -> {
                    for (int k = 1 + random.nextInt(8); k > 0; k--) {
                        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> b = Arrays.copyOf(b, 8 + random.nextInt(b.length - 8));
                case 2 -> {
                    int at = random.nextInt(b.length);
                    int len = Math.min(b.length - at, 1 + random.nextInt(256));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                case 3 -> {
                    int at = random.nextInt(b.length);
                    int len = Math.min(b.length - at, 1 + random.nextInt(2048));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                default -> {
                    int[] extremes = {0, 1, 0x7FFF, 0xFFFF, 0x3FFF, 0x7FFFFFFF, -1, 60_000, 6000};
                    int value = extremes[random.nextInt(extremes.length)];
                    int width = random.nextBoolean() ? 2 : 4;
                    int at = random.nextInt(Math.max(1, Math.min(b.length, 64) - width));
                    boolean little = random.nextBoolean();
                    for (int k = 0; k < width; k++) {
                        b[at + k] = (byte) (value >>> (8 * (little ? k : width - 1 - k)));
                    }
                }
            }
        }
        return b;
    }

    private static String tail(String s) {
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }
}
