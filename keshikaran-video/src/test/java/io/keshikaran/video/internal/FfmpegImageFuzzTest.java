package io.keshikaran.video.internal;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;
import io.keshikaran.testkit.ForkedCampaign;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged HEIF and AVIF files through keshikaran's image decoder and FFmpeg: each decode gives an
 * image or an {@link InvalidImageException} naming the input, never another exception or a crashed
 * JVM. The campaign runs in a JVM of its own (as keshikaran-leptonica's NativeDecodeFuzzTest does),
 * so that a crash in native code fails this test, naming the seed and the case, instead of ending
 * the build's test JVM. Mutations: truncation, byte changes anywhere, in the boxes or in the coded
 * data, box sizes set to extremes, {@code ispe} sizes set to extremes, item ids and property
 * associations changed, grid descriptions changed.
 */
class FfmpegImageFuzzTest {
    private static final Path HEIF = Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "formats", "heif");
    private static final int CASES = 300;
    private static final List<String> SEEDS = List.of("heif-photo.heic", "avif-photo.avif", "avif-photo-10bit.avif",
            "avif-grid-2x2.avif", "avif-irot-1-imir-0.avif", "avif-alpha.avif", "heif-alpha.heic", "avif-alpha-grid-2x2.avif", "heif-grid-2x2-irot-3.heic");

    @ParameterizedTest
    @ValueSource(longs = {21, 22})
    void damagedFilesNeverEscapeAsAnythingButInvalidImageException(long seed) throws Exception {
        ForkedCampaign.Result result = ForkedCampaign.run(Campaign.class, seed, CASES, HEIF);
        System.out.println("seed " + seed + " " + result.output().substring(Math.max(0, result.output().indexOf("done: "))));
        // Both outcomes occur: the campaign reaches the codecs, not only the box parser.
        int decoded = result.decoded();
        assertThat(decoded).isBetween(CASES / 20, CASES - CASES / 20);
    }

    /** One seed's campaign, run by the test in a JVM of its own; prints each case before decoding it. */
    public static final class Campaign {
        private static final String[] BOXES = {"ftyp", "meta", "hdlr", "pitm", "iloc", "iinf", "infe", "iref", "dimg",
            "iprp", "ipco", "ipma", "ispe", "irot", "imir", "colr", "pixi", "av1C", "hvcC", "auxC", "idat", "mdat"};

        public static void main(String[] args) throws Exception {
            long seed = Long.parseLong(args[0]);
            int cases = Integer.parseInt(args[1]);
            Path dir = Path.of(args[2]);
            ImageDecoder reduced = new ImageDecoder(ImageLimits.defaults(), DecodeOptions.defaults()).withTargetSize(64, 64);
            ImageDecoder full = new ImageDecoder(ImageLimits.defaults(),
                    DecodeOptions.builder().optResolution(DecodeOptions.Resolution.FULL).build());
            int decoded = 0;
            int refused = 0;
            StringBuilder reasons = new StringBuilder();
            for (int round = 0; round < cases; round++) {
                Random random = new Random(seed * 1_000_003L + round * 0x9E3779B97F4A7C15L);
                String file = SEEDS.get(random.nextInt(SEEDS.size()));
                byte[] original = Files.readAllBytes(dir.resolve(file));
                StringBuilder what = new StringBuilder();
                byte[] bytes = mutate(original, random, what);
                String name = "fuzz-" + round;
                System.out.println("case " + round + " (" + file + ":" + what + ")");
                System.out.flush();
                try {
                    RgbImage image = (random.nextBoolean() ? reduced : full).decode(bytes, name);
                    if (image.width() <= 0 || image.height() <= 0) {
                        throw new AssertionError("case " + round + ": an image without pixels");
                    }
                    decoded++;
                } catch (InvalidImageException e) {
                    if (!e.getMessage().startsWith(name + ": ") || e.getMessage().contains("\n")) {
                        throw new AssertionError("case " + round + ": the error does not name the input: " + e.getMessage());
                    }
                    refused++;
                    if (reasons.length() < 4000 && round % 25 == 0) {
                        reasons.append("\n  ").append(e.getMessage());
                    }
                }
            }
            System.out.println("done: " + decoded + " decoded, " + refused + " refused of " + cases);
            System.out.println("some reasons:" + reasons);
        }

        static byte[] mutate(byte[] original, Random random, StringBuilder what) {
            byte[] b = original.clone();
            int count = 1 + random.nextInt(3);
            for (int m = 0; m < count; m++) {
                List<Integer> boxes = boxes(b);
                switch (random.nextInt(8)) {
                    case 0 -> {
                        int keep = 1 + random.nextInt(b.length - 1);
                        what.append(" cut to ").append(keep);
                        b = Arrays.copyOf(b, keep);
                    }
                    case 1 -> {
                        int flips = 1 + random.nextInt(16);
                        what.append(" ").append(flips).append(" bytes anywhere");
                        for (int i = 0; i < flips; i++) {
                            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                        }
                    }
                    case 2 -> {
                        // The boxes before the coded data (keeping ftyp's brands, so the file stays HEIF).
                        int end = Math.min(b.length, 1024);
                        int flips = 1 + random.nextInt(4);
                        what.append(" ").append(flips).append(" bytes in the boxes");
                        for (int i = 0; i < flips && end > 32; i++) {
                            b[32 + random.nextInt(end - 32)] = (byte) random.nextInt(256);
                        }
                    }
                    case 3 -> {
                        // The coded picture: reaches the codec.
                        int from = Math.min(b.length - 1, Math.max(1024, b.length / 4));
                        int flips = 1 + random.nextInt(8);
                        what.append(" ").append(flips).append(" bytes in the coded data");
                        for (int i = 0; i < flips; i++) {
                            b[from + random.nextInt(b.length - from)] = (byte) random.nextInt(256);
                        }
                    }
                    case 4 -> {
                        if (!boxes.isEmpty()) {
                            int at = boxes.get(random.nextInt(boxes.size())) - 4;
                            long size = extreme(random, readU32(b, at));
                            what.append(" size of '").append(new String(b, at + 4, 4, StandardCharsets.ISO_8859_1))
                                    .append("' = ").append(size);
                            writeU32(b, at, size);
                        }
                    }
                    case 5 -> {
                        int at = indexOf(b, "ispe", random);
                        if (at >= 0 && at + 16 <= b.length) {
                            int field = at + 8 + 4 * random.nextInt(2);
                            long value = extreme(random, readU32(b, field));
                            what.append(" ispe field = ").append(value);
                            writeU32(b, field, value);
                        }
                    }
                    case 6 -> {
                        String[] targets = {"pitm", "ipma", "infe", "iref", "iloc"};
                        int at = indexOf(b, targets[random.nextInt(targets.length)], random);
                        if (at >= 0 && at + 16 <= b.length) {
                            int field = at + 8 + random.nextInt(8);
                            what.append(" item field at ").append(field);
                            b[field] = (byte) (random.nextBoolean() ? random.nextInt(256) : b[field] + 1);
                        }
                    }
                    default -> {
                        int at = indexOf(b, "idat", random);
                        if (at < 0) {
                            at = indexOf(b, "irot", random);
                        }
                        if (at >= 0 && at + 12 <= b.length) {
                            int field = at + 4 + random.nextInt(Math.min(8, b.length - at - 4));
                            what.append(" grid/irot byte at ").append(field);
                            b[field] = (byte) random.nextInt(256);
                        }
                    }
                }
            }
            return b;
        }

        /** An extreme, nearby, multiplied or random value for a 32-bit size field. */
        static long extreme(Random random, long old) {
            long[] extremes = {0, 1, 7, 8, 9, 16, 0xFFFF, 0x10000, 16384, 65535, 0x7FFFFFFFL, 0xFFFFFFFFL, 0x80000000L};
            return switch (random.nextInt(4)) {
                case 0 -> extremes[random.nextInt(extremes.length)];
                case 1 -> Math.max(0, old + random.nextInt(17) - 8);
                case 2 -> Math.min(0xFFFFFFFFL, old * (2 + random.nextInt(64)));
                default -> random.nextLong() & 0xFFFFFFFFL;
            };
        }

        /** Offsets of the known box types' four-character codes in the file. */
        static List<Integer> boxes(byte[] b) {
            List<Integer> found = new ArrayList<>();
            for (String box : BOXES) {
                found.addAll(positions(b, box));
            }
            return found;
        }

        static int indexOf(byte[] b, String box, Random random) {
            List<Integer> at = positions(b, box);
            return at.isEmpty() ? -1 : at.get(random.nextInt(at.size()));
        }

        static List<Integer> positions(byte[] b, String box) {
            List<Integer> at = new ArrayList<>();
            byte[] code = box.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 4; i + 4 <= b.length; i++) {
                if (b[i] == code[0] && b[i + 1] == code[1] && b[i + 2] == code[2] && b[i + 3] == code[3]) {
                    at.add(i);
                }
            }
            return at;
        }

        static long readU32(byte[] b, int at) {
            return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
        }

        static void writeU32(byte[] b, int at, long v) {
            b[at] = (byte) (v >>> 24);
            b[at + 1] = (byte) (v >>> 16);
            b[at + 2] = (byte) (v >>> 8);
            b[at + 3] = (byte) v;
        }
    }
}
