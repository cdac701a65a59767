package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The files of fixtures/hostile: each once made a decoder allocate gigabytes (the fuzz test's
 * finds, named by seed and case, and hand-made ones that claim tens of megapixels in a few
 * hundred bytes). Each must now be refused for what it holds, from its structure, having
 * allocated next to nothing, under the default limits (100 megapixels).
 */
class HostileFilesTest {
    /** A refusal from the structure allocates a few KB; decoding a 192x128 fixture about 3 MB. */
    private static final long MAX_ALLOCATED_BYTES = 16L << 20;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fuzz-seed2-case16772-webp-animated-lossy.webp          | the VP8 start code is missing",
        "fuzz-seed2-case29759-jpeg-adobergb.jpg                 | corrupt or truncated JPEG data",
        "fuzz-seed1008-case577-jpeg-adobergb.jpg                | corrupt or truncated JPEG data",
        "fuzz-seed3-case1344-webp-lossy-alpha.webp              | the data ends before the image does (the RIFF header declares 6262 bytes, the file has 6120)",
        "fuzz-seed4-case4813-webp-animated-lossy.webp           | the data ends before the image does",
        "fuzz-seed777-case11323-webp-exif-orientation-6.webp    | the VP8 data is 16128x4032 but the container declares 128x192",
        "webp-vp8-claims-9000x9000-in-90-bytes.webp             | the VP8 data is too short for its size: 9000x9000 is 316969 macroblocks",
        "webp-vp8x-claims-6000x6000-in-188-bytes.webp           | the VP8 data is too short for its size: 6000x6000",
        "webp-animation-50-frames-claim-6000x6000.webp          | the VP8 data is too short for its size",
    })
    void isRefusedFromItsStructureWithoutAllocating(String file, String reason) throws Exception {
        byte[] bytes = Files.readAllBytes(TestImages.hostile().resolve(file));
        ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults(), DecodeOptions.builder().optMaxFrames(8).build());
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        assertThatThrownBy(() -> decoder.decodeFrames(bytes, file))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining(reason);
        assertThat(threads.getThreadAllocatedBytes(id) - before).isLessThan(MAX_ALLOCATED_BYTES);
    }

    @Test
    void everyHostileFileIsCovered() throws Exception {
        try (Stream<Path> files = Files.list(TestImages.hostile())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".md") && !n.startsWith("valid-")))
                    .hasSize(9);
        }
    }

    /**
     * The boundary of the VP8 size rule: one colour is the cheapest picture to encode (libwebp
     * spends 3.46 bits of modes per macroblock here; the rule asks for 2), and it must decode.
     */
    @Test
    void theCheapestValidLossyWebpStillDecodes() throws Exception {
        RgbImage image = ImageDecoder.withDefaults().decode(TestImages.hostile().resolve("valid-webp-solid-2000x2000.webp"));
        assertThat(image.width()).isEqualTo(2000);
        assertThat(TestImages.pixel(image, 1000, 1000)[0]).isBetween(0x60 - 3, 0x60 + 3);
    }
}
