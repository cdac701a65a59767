package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ImageDecoderTest {
    private final ImageDecoder decoder = ImageDecoder.withDefaults();

    @TempDir
    Path dir;

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).as("writer for " + format).isTrue();
        return out.toByteArray();
    }

    private static BufferedImage rgb(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 7 % 256) << 16 | (y * 5 % 256) << 8 | ((x + y) % 256));
            }
        }
        return img;
    }

    @Test
    void pngKeepsTheExactSamples() throws Exception {
        BufferedImage source = rgb(31, 17);
        RgbImage decoded = decoder.decode(encode(source, "png"), "a.png");
        assertThat(decoded.width()).isEqualTo(31);
        assertThat(decoded.height()).isEqualTo(17);
        for (int y = 0; y < 17; y++) {
            for (int x = 0; x < 31; x++) {
                int argb = source.getRGB(x, y);
                assertThat(decoded.sample(x, y, 0)).isEqualTo((argb >> 16) & 0xFF);
                assertThat(decoded.sample(x, y, 1)).isEqualTo((argb >> 8) & 0xFF);
                assertThat(decoded.sample(x, y, 2)).isEqualTo(argb & 0xFF);
            }
        }
    }

    @Test
    void grayUsesTheStoredSampleForAllThreeChannels() throws Exception {
        BufferedImage gray = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 255});
        RgbImage decoded = decoder.decode(encode(gray, "png"), "gray.png");
        // getRGB() would turn 100 into 168 through the linear-gray to sRGB curve.
        assertThat(decoded.toByteArray()).containsExactly(0, 0, 0, 100, 100, 100, -1, -1, -1);
    }

    @Test
    void sixteenBitSamplesKeepTheHighByte() throws Exception {
        BufferedImage gray16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0xABCD, 0x01FF});
        RgbImage decoded = decoder.decode(encode(gray16, "png"), "gray16.png");
        assertThat(decoded.sample(0, 0, 0)).isEqualTo(0xAB);
        assertThat(decoded.sample(1, 0, 2)).isEqualTo(0x01);
    }

    @Test
    void paletteImagesUseThePaletteColours() throws Exception {
        byte[] r = {10, (byte) 200};
        byte[] g = {20, (byte) 150};
        byte[] b = {30, (byte) 100};
        IndexColorModel icm = new IndexColorModel(8, 2, r, g, b, 1); // index 1 transparent
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, icm);
        img.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0, 1});
        byte[] png = encode(img, "png");
        ImageDecoder keep = new ImageDecoder(ImageLimits.defaults(), DecodeOptions.nsfwjsCompatible());
        // nsfwjs's way: the colour stored under the transparent index is kept.
        assertThat(keep.decode(png, "p.png").toByteArray()).containsExactly(10, 20, 30, (byte) 200, (byte) 150, 100);
        // The default: transparent pixels are composited onto white.
        assertThat(decoder.decode(png, "p.png").toByteArray()).containsExactly(10, 20, 30, -1, -1, -1);
        // GIF frames are drawn onto a transparent canvas, like browsers and libvips do, so under a
        // transparent GIF pixel there is nothing stored but black.
        assertThat(keep.decode(encode(img, "gif"), "p.gif").toByteArray()).containsExactly(10, 20, 30, 0, 0, 0);
    }

    @Test
    void bufferedImagesGetTheTransparencyOption() {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0xFF102030);
        argb.setRGB(1, 0, 0x00FF0000); // fully transparent red
        assertThat(decoder.toRgb(argb).toByteArray()).containsExactly(0x10, 0x20, 0x30, -1, -1, -1);
        assertThat(RgbImage.from(argb).toByteArray()).containsExactly(0x10, 0x20, 0x30, -1, 0, 0);
    }

    @Test
    void formatIsDetectedFromContentNotName() throws Exception {
        Path misnamed = dir.resolve("photo.txt");
        Files.write(misnamed, encode(rgb(4, 4), "png"));
        assertThat(decoder.decode(misnamed).width()).isEqualTo(4);
    }

    @Test
    void badInputsNameTheInputAndTheReason() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jpg"));
        assertError(() -> decoder.decode(empty), empty.toString(), "empty file");

        Path text = Files.writeString(dir.resolve("notes.png"), "hello, this is not an image\n");
        assertError(() -> decoder.decode(text), text.toString(), "not an image (the content is text)");

        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        random[0] = 0x13;
        assertError(() -> decoder.decode(random, "random.bin"), "random.bin", "not a recognised image format");

        assertError(() -> decoder.decode(dir), dir.toString(), "is a directory");
        Path missing = dir.resolve("missing.png");
        assertError(() -> decoder.decode(missing), missing.toString(), "no such file");
    }

    @Test
    void aFileWhoseReadFailsIsReportedAsUnreadable() {
        // Tests run as root here, so file permissions cannot make a file unreadable. Reading
        // /proc/self/mem from offset 0 fails with EIO for every user: an honest read failure.
        Path mem = Path.of("/proc/self/mem");
        assumeTrue(Files.exists(mem), "needs Linux's /proc");
        assertError(() -> decoder.decode(mem), mem.toString(), "cannot read file: Input/output error");
    }

    @Test
    void aFileWithoutReadPermissionIsReportedAsSuch() throws Exception {
        Path secret = Files.write(dir.resolve("secret.png"), encode(rgb(2, 2), "png"));
        assumeTrue(secret.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Files.setPosixFilePermissions(secret, java.util.Set.of());
        // Root reads any file whatever its permissions: skipped only then, and said so.
        assumeFalse(Files.isReadable(secret), "running as root, which ignores file permissions");
        assertError(() -> decoder.decode(secret), secret.toString(), "permission denied");
    }

    @Test
    void specialFilesAreStreamedWithTheSizeLimit() {
        // /dev/zero never ends and reports size 0: it must be cut off at the limit, not read forever.
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "needs /dev/zero");
        ImageDecoder small = new ImageDecoder(new ImageLimits(1000, 1000));
        assertError(() -> small.decode(zero), zero.toString(), "more than 1000 bytes, the limit");
    }

    @Test
    void truncatedImagesAreRejected() throws Exception {
        byte[] png = encode(rgb(64, 64), "png");
        byte[] cutPng = Arrays.copyOf(png, png.length / 2);
        assertError(() -> decoder.decode(cutPng, "cut.png"), "cut.png", "corrupt or truncated PNG");

        byte[] jpeg = encode(rgb(64, 64), "jpeg");
        byte[] cutJpeg = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertError(() -> decoder.decode(cutJpeg, "cut.jpg"), "cut.jpg", "corrupt or truncated JPEG");
    }

    @Test
    void limitsAreCheckedBeforeDecoding() throws Exception {
        byte[] png = encode(rgb(20, 10), "png");
        ImageDecoder small = new ImageDecoder(new ImageLimits(1 << 20, 199));
        assertError(() -> small.decode(png, "big.png"), "big.png", "20x10 = 200 pixels, over the limit of 199 pixels");

        ImageDecoder tiny = new ImageDecoder(new ImageLimits(10, 1000));
        assertError(() -> tiny.decode(png, "big.png"), "big.png", "over the limit of 10 bytes");
        assertError(() -> tiny.decode(new ByteArrayInputStream(png), "-"), "-", "more than 10 bytes");
    }

    @Test
    void headerClaimingHugeDimensionsIsRefusedFromTheHeader() throws Exception {
        byte[] png = encode(rgb(1, 1), "png");
        // IHDR width and height live at bytes 16..23; claim 100000 x 100000 (CRC left stale, the
        // pixel check must come first).
        byte[] forged = png.clone();
        writeInt(forged, 16, 100_000);
        writeInt(forged, 20, 100_000);
        assertError(() -> decoder.decode(forged, "huge.png"), "huge.png", "over the limit");
    }

    @Test
    void tinyImagesDecode() throws Exception {
        assertThat(decoder.decode(encode(rgb(1, 1), "png"), "1x1").pixelCount()).isEqualTo(1);
        assertThat(decoder.decode(encode(rgb(1, 50), "png"), "1x50").height()).isEqualTo(50);
    }

    @Test
    void streamsAreReadWhole() throws Exception {
        byte[] png = encode(rgb(5, 6), "png");
        assertThat(decoder.decode(new ByteArrayInputStream(png), "-").height()).isEqualTo(6);
        assertError(() -> decoder.decode(new ByteArrayInputStream("GIF89a".getBytes(StandardCharsets.US_ASCII)), "-"),
                "-", "");
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private interface Decode {
        RgbImage run() throws Exception;
    }

    private static void assertError(Decode decode, String source, String reason) {
        assertThatThrownBy(decode::run)
                .isInstanceOf(InvalidImageException.class)
                .hasMessageStartingWith(source + ": ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((InvalidImageException) e).source()).isEqualTo(source));
    }
}
