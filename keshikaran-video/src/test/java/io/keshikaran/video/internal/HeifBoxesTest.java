package io.keshikaran.video.internal;

import io.keshikaran.image.RgbImage;
import io.keshikaran.internal.image.ImageDecoder;
import io.keshikaran.spi.NativeImageDecoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the Java box parser reads from the fixtures, and the order of transformative properties. */
class HeifBoxesTest {
    static HeifBoxes.Primary parse(String name) throws Exception {
        return HeifBoxes.parse(FfmpegImageDecoderTest.bytes(name));
    }

    @Test
    void readsThePrimaryItemItsSizeAndItsTransformsInFileOrder() throws Exception {
        HeifBoxes.Primary heic = parse("heif-photo.heic");
        assertThat(heic.format()).isEqualTo("HEIF");
        assertThat(heic.itemType()).isEqualTo("hvc1");
        assertThat(new int[] {heic.width(), heic.height()}).containsExactly(192, 128);
        assertThat(heic.transforms()).isEmpty();

        assertThat(parse("avif-grid-2x2.avif").itemType()).isEqualTo("grid");
        assertThat(parse("avif-grid-2x2.avif").format()).isEqualTo("AVIF");
        assertThat(parse("heif-grid-2x2-cropped.heic").width()).isEqualTo(180);

        HeifBoxes.Primary both = parse("avif-irot-1-imir-0.avif");
        assertThat(both.transforms()).containsExactly(new HeifBoxes.Transform(true, 1), new HeifBoxes.Transform(false, 0));
        assertThat(new int[] {both.displayWidth(), both.displayHeight()}).containsExactly(128, 192);
        assertThat(parse("avif-imir-1.avif").transforms()).containsExactly(new HeifBoxes.Transform(false, 1));
        assertThat(parse("heif-grid-2x2-irot-3.heic").transforms()).containsExactly(new HeifBoxes.Transform(true, 3));
    }

    @Test
    void findsTheAlphaPlaneByItsAuxlReferenceAndAuxCProperty() throws Exception {
        assertThat(parse("avif-alpha.avif").alpha()).isEqualTo(new HeifBoxes.Alpha(2, "av01"));
        assertThat(parse("heif-alpha.heic").alpha()).isEqualTo(new HeifBoxes.Alpha(2, "hvc1"));
        assertThat(parse("avif-alpha-grid-2x2.avif").alpha().itemType()).isEqualTo("grid");
        assertThat(parse("avif-photo.avif").alpha()).isNull();
        assertThat(parse("heif-photo.heic").alpha()).isNull();
        // The same file with the auxC URN changed so that it names no alpha: no alpha plane.
        byte[] file = FfmpegImageDecoderTest.bytes("avif-alpha.avif");
        String urn = "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha";
        file[indexOf(file, urn) + urn.length() - 5] = 'd';
        assertThat(HeifBoxes.parse(file).alpha()).isNull();
    }

    /**
     * Damaged boxes that only the alpha item uses leave the colours to decode alone, as before
     * alpha was read, instead of failing the image: here the alpha item's last property
     * association points past the properties (the parse threw for it).
     */
    @Test
    void aDamagedAlphaItemIsIgnoredNotTheImage() throws Exception {
        byte[] file = FfmpegImageDecoderTest.bytes("avif-alpha.avif");
        // ipma: version 0, flags 0, 2 entries; item 2 has 4 associations, the last (0x07) its auxC.
        int ipma = indexOf(file, "ipma");
        int item2 = ipma + 4 + 4 + 4 + 2 + 1 + 4;
        assertThat(Arrays.copyOfRange(file, item2, item2 + 7)).containsExactly(0, 2, 4, 1, 5, 0x86, 7);
        file[item2 + 6] = 0x7F;
        HeifBoxes.Primary primary = HeifBoxes.parse(file);
        assertThat(primary.alpha()).isNull();
        assertThat(primary.width()).isEqualTo(192);
    }

    /**
     * A file cut inside its alpha plane (heif-alpha.heic stores the colours' coded image first):
     * the colours decode, without alpha, as they did before alpha was read.
     */
    @Test
    void aFileCutInsideItsAlphaPlaneDecodesItsColours() throws Exception {
        byte[] whole = FfmpegImageDecoderTest.bytes("heif-alpha.heic");
        NativeImageDecoder.Pixels complete = FfmpegImageDecoderTest.FFMPEG.decode(whole, FfmpegImageDecoderTest.FFMPEG.probe(whole), 1);
        assertThat(complete.alpha()).isNotNull();
        byte[] cut = Arrays.copyOf(whole, whole.length - 800);
        NativeImageDecoder.Pixels pixels = FfmpegImageDecoderTest.FFMPEG.decode(cut, FfmpegImageDecoderTest.FFMPEG.probe(cut), 1);
        assertThat(pixels.alpha()).isNull();
        assertThat(pixels.rgb()).isEqualTo(complete.rgb());
    }

    /**
     * A grid's alpha must be coded as the image is (or be a grid): an alpha item of another type
     * (here the alpha grid's infe says 'jpeg', which FFmpeg then does not read) is ignored, and
     * the colours decode; the decode failed for it, looking for the alpha's coded image.
     */
    @Test
    void aGridsAlphaOfAnotherCodingIsIgnored() throws Exception {
        byte[] file = FfmpegImageDecoderTest.bytes("avif-alpha-grid-2x2.avif");
        assertThat(HeifBoxes.parse(file).alpha()).isEqualTo(new HeifBoxes.Alpha(6, "grid"));
        // Item 6's infe (version 2), the sixth of 26 bytes each: after its type, version and
        // flags come the item id (6), the protection index (0) and the item type.
        int infe = indexOf(file, "infe") + 5 * 26;
        assertThat(Arrays.copyOfRange(file, infe + 8, infe + 16)).containsExactly(0, 6, 0, 0, 'g', 'r', 'i', 'd');
        System.arraycopy("jpeg".getBytes(StandardCharsets.US_ASCII), 0, file, infe + 12, 4);
        assertThat(HeifBoxes.parse(file).alpha()).isNull();
        NativeImageDecoder.Pixels pixels = FfmpegImageDecoderTest.FFMPEG.decode(file, FfmpegImageDecoderTest.FFMPEG.probe(file), 1);
        assertThat(pixels.alpha()).isNull();
        assertThat(pixels.width()).isEqualTo(192);
    }

    @Test
    void transformsApplyInTheOrderOfTheAssociations() throws Exception {
        // avif-irot-1-imir-0.avif lists irot then imir; swapping their two association bytes in
        // ipma makes it imir then irot: mirrored first, then turned.
        byte[] file = FfmpegImageDecoderTest.bytes("avif-irot-1-imir-0.avif");
        byte[] swapped = swapLastTwoAssociations(file);
        assertThat(HeifBoxes.parse(swapped).transforms())
                .containsExactly(new HeifBoxes.Transform(false, 0), new HeifBoxes.Transform(true, 1));
        RgbImage stored = FfmpegImageDecoderTest.decode("avif-photo.avif");
        byte[] expected = Rotation.rotate(Rotation.mirror(stored.toByteArray(), 192, 128, true), 192, 128, 270);
        RgbImage decoded = ImageDecoder.withDefaults().decode(swapped, "swapped.avif");
        assertThat(decoded.toByteArray()).isEqualTo(expected);
        // Not the same picture as the file's own order (a flip about the other axis, once turned).
        assertThat(expected).isNotEqualTo(FfmpegImageDecoderTest.decode("avif-irot-1-imir-0.avif").toByteArray());
    }

    /** The primary item's ipma entry ends with its irot and imir indexes: exchange them. */
    private static byte[] swapLastTwoAssociations(byte[] file) {
        byte[] b = file.clone();
        int ipma = indexOf(b, "ipma");
        // version 0, flags 0 (8-bit indexes), one entry: u32 count, u16 item 1, u8 association count.
        int count = b[ipma + 4 + 4 + 4 + 2] & 0xFF;
        int last = ipma + 4 + 4 + 4 + 2 + 1 + count - 1;
        byte t = b[last];
        b[last] = b[last - 1];
        b[last - 1] = t;
        return b;
    }

    /** Where {@code text} (a box type, a URN) first occurs in the file. */
    private static int indexOf(byte[] b, String text) {
        byte[] c = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i + c.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + c.length, c, 0, c.length)) {
                return i;
            }
        }
        throw new AssertionError("no " + text);
    }

    @Test
    void otherFilesAreNotHeifAndDamagedBoxesSayWhere() throws Exception {
        assertThat(HeifBoxes.parse(Files.readAllBytes(java.nio.file.Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "videos", "with-audio.mp4")))).isNull();
        assertThat(HeifBoxes.parse(new byte[] {1, 2, 3})).isNull();
        byte[] file = FfmpegImageDecoderTest.bytes("heif-photo.heic");
        for (int cut : List.of(40, 120, 200, 300)) {
            assertThatThrownBy(() -> HeifBoxes.parse(Arrays.copyOf(file, cut)))
                    .as("cut at %d", cut)
                    .isInstanceOf(IOException.class)
                    .hasMessageMatching(".*(declares \\d+ bytes, \\d+ remain|truncated box|no meta box).*");
        }
    }
}
