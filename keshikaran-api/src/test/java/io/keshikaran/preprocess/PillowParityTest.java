package io.keshikaran.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keshikaran.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Pillow-style resize methods and the JPEG round trip give exactly Pillow's bytes. The expected
 * hashes come from Pillow 9.4 itself ({@code tools/pillow-reference}, written to
 * {@code fixtures/expected/pillow-reference.json}).
 */
class PillowParityTest {
    private static final JsonNode EXPECTED = read();
    private static final Map<String, RgbImage> SOURCES = new ConcurrentHashMap<>();

    /** fixtures/expected/pillow-reference.json. */
    static JsonNode expected() {
        return EXPECTED;
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(fixtures().resolve("expected/pillow-reference.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path fixtures() {
        String dir = System.getProperty("keshikaran.fixtures");
        return dir != null ? Path.of(dir) : Path.of("..", "fixtures");
    }

    /** A fixture PNG's stored RGB samples, or the synthetic edge pattern. */
    static RgbImage source(String name) {
        return SOURCES.computeIfAbsent(name, n -> {
            if (n.equals("synthetic-edges")) {
                return syntheticEdges();
            }
            try {
                BufferedImage image = ImageIO.read(fixtures().resolve("images").resolve(n).toFile());
                int w = image.getWidth();
                int h = image.getHeight();
                byte[] rgb = new byte[w * h * 3];
                int[] px = new int[image.getRaster().getNumBands()];
                for (int y = 0, i = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        image.getRaster().getPixel(x, y, px);
                        rgb[i++] = (byte) px[0];
                        rgb[i++] = (byte) px[1];
                        rgb[i++] = (byte) px[2];
                    }
                }
                return new RgbImage(w, h, rgb);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The same formula as tools/pillow-reference: hard edges in every channel. */
    private static RgbImage syntheticEdges() {
        int w = 61;
        int h = 43;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                rgb[i] = (byte) ((x / 4) % 2 == 0 ? 255 : 0);
                rgb[i + 1] = (byte) ((y / 3) % 2 == 0 ? 255 : 10);
                rgb[i + 2] = (byte) ((x + y) % 7 < 3 ? 250 : 5);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<JsonNode> resizeCases() {
        List<JsonNode> cases = new ArrayList<>();
        EXPECTED.path("resize").forEach(cases::add);
        return cases.stream();
    }

    static Stream<JsonNode> yahooCases() {
        List<JsonNode> cases = new ArrayList<>();
        EXPECTED.path("yahoo").forEach(cases::add);
        return cases.stream();
    }

    @Test
    void coversEveryMethodAndAHardEdgedImage() {
        assertThat(resizeCases().map(c -> c.path("method").asText()).distinct())
                .containsExactlyInAnyOrder("NEAREST", "BILINEAR", "BICUBIC");
        assertThat(resizeCases()).anyMatch(c -> c.path("image").asText().equals("synthetic-edges"));
        assertThat(yahooCases()).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void sourcesDecodeToTheBytesPillowSaw() {
        EXPECTED.path("sources").fields().forEachRemaining(e ->
                assertThat(sha256(source(e.getKey()).toByteArray())).as(e.getKey())
                        .isEqualTo(e.getValue().path("sha256").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resizeCases")
    void resizeMatchesPillowToTheBit(JsonNode c) {
        int w = c.path("width").asInt();
        int h = c.path("height").asInt();
        byte[] out = Resampler.resizePillow(source(c.path("image").asText()), h, w,
                ResizeMethod.valueOf(c.path("method").asText()));
        c.path("samples").fields().forEachRemaining(s ->
                assertThat(out[Integer.parseInt(s.getKey())] & 0xFF).as("sample %s", s.getKey())
                        .isEqualTo(s.getValue().asInt()));
        assertThat(sha256(out)).isEqualTo(c.path("sha256").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("yahooCases")
    void yahooResizeJpegAndCropMatchPillow(JsonNode c) {
        // Pixel divisor 1 and no normalisation leave the 8-bit samples visible in the tensor.
        PreprocessingSpec spec = PreprocessingSpec.builder().setSize(224, 224).optCenterCrop(256, 256)
                .optResize(ResizeMethod.BILINEAR).optJpegRoundTrip(75).optPixelDivisor(1f).build();
        FloatTensor t = Preprocessor.of(spec).preprocess(source(c.path("image").asText()));
        byte[] out = new byte[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) t.get(i);
        }
        assertThat(sha256(out)).isEqualTo(c.path("sha256").asText());
    }
}
