package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.image.ImageLimits;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Feeds the decoder thousands of files made by mutating every fixture in fixtures/formats (bit
 * flips, overwritten byte runs, truncation, duplicated and deleted chunks, header fields set to
 * extreme values) and checks that decoding either succeeds or throws {@link InvalidImageException}:
 * no other exception or error escapes, no decode hangs, none runs out of memory, and none
 * allocates more than {@link #MAX_ALLOCATED_BYTES}.
 *
 * <p>Two campaigns: random byte-level mutations ({@link #mutate}) and format-aware ones
 * ({@link FormatAwareMutator}: dimensions, chunk lengths, frame counts, offsets).
 *
 * <p>Bounded and seeded: {@value #DEFAULT_CASES} cases for each of the {@link #DEFAULT_SEEDS}; each
 * case derives its own {@link Random} from the seed and its number, so a failure message's case
 * number reproduces it alone: {@code -Dkeshikaran.fuzz.case=N -Dkeshikaran.fuzz.seed=S} (and
 * {@code -Dkeshikaran.fuzz.dump=DIR} writes that case's file, to keep as a regression file in
 * {@code src/test/resources/hostile}). {@code -Dkeshikaran.fuzz.seeds=S1,S2,...} and
 * {@code -Dkeshikaran.fuzz.cases} explore further: docs/images.md gives the release run.
 */
class ImageDecoderFuzzTest {
    /** The build's seeds: the original one and those of issue 17, which found the WebP allocations. */
    static final long[] DEFAULT_SEEDS = {20241126L, 2, 3, 4, 777};
    static final int DEFAULT_CASES = 4000;
    /** A decode that takes longer is a hang. Normal cases take milliseconds. */
    private static final long TIMEOUT_SECONDS = 30;
    /**
     * The limits make 4 megapixels the most any frame or canvas may have; decoding that takes
     * about 100 MB at worst. Anything far beyond means a forged header got past the limits.
     */
    private static final long MAX_PIXELS = 4_000_000;
    private static final long MAX_ALLOCATED_BYTES = 512L << 20;

    /** {@code -Dkeshikaran.fuzz.seed=S} runs one seed; {@code -Dkeshikaran.fuzz.seeds=S1,S2,...} several. */
    private static final long[] SEEDS = seeds();
    private static final int CASES = Integer.getInteger("keshikaran.fuzz.cases", DEFAULT_CASES);
    private static final Integer ONLY_CASE = Integer.getInteger("keshikaran.fuzz.case");
    /** With a case number: also write that case's file here, to keep it as a regression file. */
    private static final String DUMP_DIR = System.getProperty("keshikaran.fuzz.dump");

    private static final int[] INTERESTING = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x7FFF, 0x8000, 0xFFFF,
        0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 100_000, 65_500};

    private record SeedFile(String name, byte[] bytes) {
    }

    record Mutant(String description, byte[] bytes) {
    }

    /** Mutates one seed file with the case's random source. */
    @FunctionalInterface
    private interface Mutator {
        Mutant mutate(byte[] original, Random random);
    }

    @Test
    void mutatedFixturesOnlyEverFailWithInvalidImageException() throws Exception {
        for (long seed : SEEDS) {
            // The original stream of every seed (case numbers from before 1 December 2026 reproduce
            // with the revisions of that time: each case's seed is mixed since, see caseSeed).
            campaign("random mutations", seed, seed * 1_000_003L, ImageDecoderFuzzTest::mutate, 10);
        }
    }

    @Test
    void formatAwareMutationsOnlyEverFailWithInvalidImageException() throws Exception {
        for (long seed : SEEDS) {
            // Most structural edits make a file invalid: fewer decode, which the check allows for.
            campaign("format-aware mutations", seed, seed * 1_000_003L ^ 0x5DEECE66DL, FormatAwareMutator::mutate, 40);
        }
    }

    /**
     * Case {@code n}'s seed, mixed by SplittableRandom's finaliser. {@link Random} seeded with
     * consecutive numbers draws nearly the same first values, and its {@code nextInt} with a power
     * of two takes their top bits: with 64 fixtures, each file was picked for about 170 cases in a
     * row and a campaign mutated only 23 to 29 of the 64 fixtures (seeds 20241126, 2, 1008 and 6001).
     */
    static long caseSeed(long stream, int n) {
        long z = stream + n * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Runs {@link #CASES} cases; at least one in {@code decodedOneIn} must decode. */
    private void campaign(String kind, long seed, long stream, Mutator mutator, int decodedOneIn) throws Exception {
        List<SeedFile> seeds = seedFiles();
        assertThat(seeds).hasSizeGreaterThan(40);
        // Options that exercise every path: animations sampled (every frame, up to 8), EXIF applied.
        DecodeOptions[] optionSets = {
            DecodeOptions.builder().optMaxFrames(8).build(),
            DecodeOptions.builder().optMaxFrames(8).optFrameStep(2)
                    .optTransparency(DecodeOptions.Transparency.KEEP_STORED_COLOR)
                    .optOrientation(DecodeOptions.Orientation.IGNORE).build(),
        };
        ImageLimits limits = new ImageLimits(ImageLimits.DEFAULT_MAX_FILE_BYTES, MAX_PIXELS);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-decoder");
            t.setDaemon(true); // a hung decode must not keep the test JVM alive
            return t;
        });
        Map<String, Integer> outcomes = new TreeMap<>();
        Set<String> mutatedFiles = new HashSet<>();
        int tried = 0;
        long maxAllocated = 0;
        String maxAllocatedCase = "";
        long start = System.nanoTime();
        String rerun = kind.startsWith("format") ? "-Dtest=ImageDecoderFuzzTest#formatAware*" : "-Dtest=ImageDecoderFuzzTest#mutated*";
        try {
            int first = ONLY_CASE != null ? ONLY_CASE : 0;
            int last = ONLY_CASE != null ? ONLY_CASE : CASES - 1;
            for (int n = first; n <= last; n++) {
                Random random = new Random(caseSeed(stream, n));
                SeedFile file = seeds.get(random.nextInt(seeds.size()));
                mutatedFiles.add(file.name());
                Mutant mutant = mutator.mutate(file.bytes(), random);
                if (DUMP_DIR != null && ONLY_CASE != null) {
                    Path dump = Path.of(DUMP_DIR, (kind.startsWith("format") ? "aware-" : "") + "seed" + seed + "-case" + n
                            + "-" + file.name().replace('/', '-'));
                    Files.createDirectories(dump.getParent());
                    Files.write(dump, mutant.bytes());
                }
                ImageDecoder decoder = new ImageDecoder(limits, optionSets[random.nextInt(optionSets.length)]);
                String where = String.format(Locale.ROOT, "%s case %d (seed %d; rerun alone with %s -Dkeshikaran.fuzz.case=%d "
                        + "-Dkeshikaran.fuzz.seed=%d): %s, %s", kind, n, seed, rerun, n, seed, file.name(), mutant.description());
                long[] allocated = new long[1];
                Future<DecodedImage> future = executor.submit(() -> {
                    long id = Thread.currentThread().getId();
                    long before = threads.getThreadAllocatedBytes(id);
                    try {
                        return decoder.decodeFrames(mutant.bytes(), "case-" + mutant.bytes().length);
                    } finally {
                        allocated[0] = threads.getThreadAllocatedBytes(id) - before;
                    }
                });
                tried++;
                try {
                    DecodedImage image = future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    assertThat(image.frames()).as(where).isNotEmpty();
                    outcomes.merge("decoded: " + image.format() + (image.isAnimated() ? " animation" : ""), 1, Integer::sum);
                } catch (TimeoutException e) {
                    future.cancel(true);
                    fail("decode did not finish within " + TIMEOUT_SECONDS + " s: " + where);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (!(cause instanceof InvalidImageException invalid)) {
                        throw new AssertionError("undocumented " + cause.getClass().getName() + " escaped: " + where, cause);
                    }
                    for (Throwable t = cause; t != null; t = t.getCause()) {
                        if (t instanceof OutOfMemoryError) {
                            throw new AssertionError("ran out of memory: " + where, cause);
                        }
                    }
                    assertThat(invalid.getMessage()).as(where).doesNotContain("\n");
                    outcomes.merge("rejected: " + category(invalid.reason()), 1, Integer::sum);
                }
                if (allocated[0] > maxAllocated) {
                    maxAllocated = allocated[0];
                    maxAllocatedCase = where;
                }
                assertThat(allocated[0]).as("bytes allocated by %s", where).isLessThan(MAX_ALLOCATED_BYTES);
            }
        } finally {
            executor.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "ImageDecoderFuzzTest: %s: tried %d mutated files from %d fixtures (seed %d) in %.1f s; outcomes:%n",
                kind, tried, seeds.size(), seed, seconds));
        outcomes.forEach((k, v) -> report.append(String.format(Locale.ROOT, "  %6d  %s%n", v, k)));
        report.append(String.format(Locale.ROOT, "  most allocated by one decode: %.1f MB (%s)%n", maxAllocated / 1e6, maxAllocatedCase));
        System.out.print(report);
        assertThat(tried).isEqualTo(ONLY_CASE != null ? 1 : CASES);
        if (ONLY_CASE == null && CASES >= 20 * seeds.size()) {
            // Every fixture is mutated (a file missed by 20 draws per file on average is one in 10^8).
            assertThat(mutatedFiles).as(kind + " files mutated, seed " + seed).hasSize(seeds.size());
        }
        if (ONLY_CASE == null) {
            // The mutations must leave enough files decodable to exercise the decoders past the header.
            int decoded = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("decoded"))
                    .mapToInt(Map.Entry::getValue).sum();
            assertThat(decoded).as(kind + " decoded").isGreaterThan(CASES / decodedOneIn);
        }
    }

    /** The reason without its variable details, such as "corrupt or truncated PNG data". */
    private static String category(String reason) {
        String r = reason.replaceAll("\\(frame \\d+\\)", "(frame n)");
        int colon = r.indexOf(':');
        String head = colon > 0 ? r.substring(0, colon) : r;
        return head.replaceAll("\\d+", "N");
    }

    private static long[] seeds() {
        String one = System.getProperty("keshikaran.fuzz.seed");
        String many = System.getProperty("keshikaran.fuzz.seeds");
        if (one != null && !one.isBlank()) {
            return new long[] {Long.parseLong(one.strip())};
        }
        if (many != null && !many.isBlank()) {
            return Arrays.stream(many.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
        }
        return DEFAULT_SEEDS;
    }

    private static List<SeedFile> seedFiles() throws IOException {
        List<SeedFile> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.walk(TestImages.formats())) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                String name = TestImages.formats().relativize(p).toString();
                // The transparency set is 32 PNGs of one kind: two of them are enough here.
                boolean redundant = name.startsWith("alpha") && !name.equals("alpha/dog.png") && !name.equals("alpha/dog-fade.png")
                        // HEIF and AVIF need keshikaran-video's decoder; FfmpegImageFuzzTest mutates them there.
                        || name.startsWith("heif");
                if (Files.isRegularFile(p) && Files.size(p) > 0 && !name.endsWith(".md") && !redundant) {
                    seeds.add(new SeedFile(name, Files.readAllBytes(p)));
                }
            }
        }
        return seeds;
    }

    static Mutant mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int count = 1 + random.nextInt(3);
        StringBuilder description = new StringBuilder();
        for (int i = 0; i < count && bytes.length > 0; i++) {
            if (i > 0) {
                description.append(" + ");
            }
            int kind = random.nextInt(6);
            switch (kind) {
                case 0 -> {
                    int flips = 1 + random.nextInt(16);
                    for (int k = 0; k < flips; k++) {
                        int at = random.nextInt(bytes.length);
                        bytes[at] ^= (byte) (1 << random.nextInt(8));
                    }
                    description.append(flips).append(" bit flips");
                }
                case 1 -> {
                    int at = random.nextInt(bytes.length);
                    int len = Math.min(bytes.length - at, 1 + random.nextInt(64));
                    int style = random.nextInt(3);
                    for (int k = 0; k < len; k++) {
                        bytes[at + k] = (byte) (style == 0 ? 0 : style == 1 ? 0xFF : random.nextInt(256));
                    }
                    description.append(String.format(Locale.ROOT, "%d bytes at %d set to %s", len, at,
                            style == 0 ? "0x00" : style == 1 ? "0xFF" : "random values"));
                }
                case 2 -> {
                    int len = random.nextInt(bytes.length);
                    bytes = Arrays.copyOf(bytes, len);
                    description.append("truncated to ").append(len).append(" bytes");
                }
                case 3 -> {
                    int from = random.nextInt(bytes.length);
                    int len = Math.min(bytes.length - from, 1 + random.nextInt(Math.max(1, Math.min(4096, bytes.length / 4 + 1))));
                    int to = random.nextInt(bytes.length + 1);
                    byte[] out = new byte[bytes.length + len];
                    System.arraycopy(bytes, 0, out, 0, to);
                    System.arraycopy(bytes, from, out, to, len);
                    System.arraycopy(bytes, to, out, to + len, bytes.length - to);
                    bytes = out;
                    description.append(String.format(Locale.ROOT, "%d bytes from %d duplicated at %d", len, from, to));
                }
                case 4 -> {
                    int from = random.nextInt(bytes.length);
                    int len = Math.min(bytes.length - from, 1 + random.nextInt(256));
                    byte[] out = new byte[bytes.length - len];
                    System.arraycopy(bytes, 0, out, 0, from);
                    System.arraycopy(bytes, from + len, out, from, bytes.length - from - len);
                    bytes = out;
                    description.append(String.format(Locale.ROOT, "%d bytes at %d deleted", len, from));
                }
                default -> {
                    // Header fields (sizes, counts, offsets) live in the first bytes of every format.
                    int value = random.nextInt(4) == 0 ? random.nextInt() : INTERESTING[random.nextInt(INTERESTING.length)];
                    int width = random.nextBoolean() ? 2 : 4;
                    boolean little = random.nextBoolean();
                    int at = random.nextInt(Math.max(1, Math.min(bytes.length, 64) - width + 1));
                    for (int k = 0; k < width && at + k < bytes.length; k++) {
                        int shift = 8 * (little ? k : width - 1 - k);
                        bytes[at + k] = (byte) (value >>> shift);
                    }
                    description.append(String.format(Locale.ROOT, "%d-byte %s field at %d set to 0x%X",
                            width, little ? "little-endian" : "big-endian", at, value));
                }
            }
        }
        return new Mutant(description.toString(), bytes);
    }
}
