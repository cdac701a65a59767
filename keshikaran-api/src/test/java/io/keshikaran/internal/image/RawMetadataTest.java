package io.keshikaran.internal.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;

import static io.keshikaran.internal.image.TestImages.format;
import static org.assertj.core.api.Assertions.assertThat;

/** The EXIF orientation parser and the other raw metadata readers, on good and on hostile bytes. */
class RawMetadataTest {

    /** A TIFF structure whose IFD0 holds one entry. */
    private static byte[] tiff(boolean little, int tag, int type, int count, int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(little ? new byte[] {'I', 'I'} : new byte[] {'M', 'M'});
        write16(out, 42, little);
        write32(out, 8, little);
        write16(out, 1, little);
        write16(out, tag, little);
        write16(out, type, little);
        write32(out, count, little);
        write16(out, value, little);
        write16(out, 0, little);
        write32(out, 0, little);
        return out.toByteArray();
    }

    private static void write16(ByteArrayOutputStream out, int v, boolean little) {
        if (little) {
            out.write(v);
            out.write(v >> 8);
        } else {
            out.write(v >> 8);
            out.write(v);
        }
    }

    private static void write32(ByteArrayOutputStream out, int v, boolean little) {
        if (little) {
            write16(out, v & 0xFFFF, true);
            write16(out, v >>> 16, true);
        } else {
            write16(out, v >>> 16, false);
            write16(out, v & 0xFFFF, false);
        }
    }

    private static byte[] jpegWithApp1(byte[] tiff, boolean fillBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        // An APP0 first, as JFIF files have, so the parser must skip a segment.
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE0, 0, 4, 0, 0});
        if (fillBytes) {
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF});
        }
        byte[] body = concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), tiff);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) ((body.length + 2) >> 8), (byte) (body.length + 2)});
        out.writeBytes(body);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 2});
        return out.toByteArray();
    }

    private static byte[] pngWithChunk(String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(TestImages.pngSignature());
        out.writeBytes(TestImages.pngChunk("IHDR", new byte[13]));
        out.writeBytes(TestImages.pngChunk(type, data));
        out.writeBytes(TestImages.pngChunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] webpWithExif(byte[] exif) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        // An odd-sized chunk first, so the parser must honour RIFF's padding byte.
        body.writeBytes("JUNK".getBytes(StandardCharsets.ISO_8859_1));
        write32(body, 3, true);
        body.writeBytes(new byte[] {1, 2, 3, 0});
        body.writeBytes("EXIF".getBytes(StandardCharsets.ISO_8859_1));
        write32(body, exif.length, true);
        body.writeBytes(exif);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        write32(out, body.size(), true);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void readsTheOrientationFromEveryContainerAndByteOrder(int orientation) {
        for (boolean little : new boolean[] {true, false}) {
            byte[] t = tiff(little, 0x0112, 3, 1, orientation);
            assertThat(RawMetadata.exifOrientation(jpegWithApp1(t, false))).isEqualTo(orientation);
            assertThat(RawMetadata.exifOrientation(jpegWithApp1(t, true))).isEqualTo(orientation);
            assertThat(RawMetadata.exifOrientation(pngWithChunk("eXIf", t))).isEqualTo(orientation);
            assertThat(RawMetadata.exifOrientation(webpWithExif(t))).isEqualTo(orientation);
            byte[] withHeader = concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), t);
            assertThat(RawMetadata.exifOrientation(webpWithExif(withHeader))).isEqualTo(orientation);
        }
    }

    @Test
    void malformedOrientationsMeanNone() {
        assertThat(RawMetadata.exifOrientation(jpegWithApp1(tiff(true, 0x0112, 3, 1, 0), false))).isEqualTo(1);
        assertThat(RawMetadata.exifOrientation(jpegWithApp1(tiff(true, 0x0112, 3, 1, 9), false))).isEqualTo(1);
        assertThat(RawMetadata.exifOrientation(jpegWithApp1(tiff(true, 0x0112, 4, 1, 6), false))).as("wrong type").isEqualTo(1);
        assertThat(RawMetadata.exifOrientation(jpegWithApp1(tiff(true, 0x0112, 3, 2, 6), false))).as("wrong count").isEqualTo(1);
        assertThat(RawMetadata.exifOrientation(jpegWithApp1(tiff(true, 0x0110, 3, 1, 6), false))).as("other tag").isEqualTo(1);
        byte[] badMagic = tiff(true, 0x0112, 3, 1, 6);
        badMagic[2] = 43;
        assertThat(RawMetadata.exifOrientation(pngWithChunk("eXIf", badMagic))).isEqualTo(1);
        byte[] ifdOutside = tiff(false, 0x0112, 3, 1, 6);
        ifdOutside[7] = (byte) 0xF0;
        assertThat(RawMetadata.exifOrientation(pngWithChunk("eXIf", ifdOutside))).isEqualTo(1);
        byte[] manyEntries = tiff(false, 0x0112, 3, 1, 6);
        manyEntries[8] = (byte) 0xFF; // claims 65000+ entries in 18 bytes
        manyEntries[10] = 0; // and the first is not the orientation
        assertThat(RawMetadata.exifOrientation(pngWithChunk("eXIf", manyEntries))).isEqualTo(1);
        assertThat(RawMetadata.exifOrientation(new byte[0])).isEqualTo(1);
        assertThat(RawMetadata.exifOrientation("GIF89a".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(1);
    }

    @Test
    void everyTruncationAndRandomDataIsHandledWithoutExceptions() throws Exception {
        byte[][] inputs = {
            jpegWithApp1(tiff(false, 0x0112, 3, 1, 6), true),
            pngWithChunk("eXIf", tiff(true, 0x0112, 3, 1, 6)),
            webpWithExif(tiff(true, 0x0112, 3, 1, 6)),
            Files.readAllBytes(format("jpeg-exif-orientation-6.jpg")),
            Files.readAllBytes(format("png-adobergb.png")),
            Files.readAllBytes(format("webp-animated.webp")),
        };
        for (byte[] input : inputs) {
            for (int n = 0; n <= Math.min(input.length, 600); n++) {
                byte[] cut = Arrays.copyOf(input, n);
                RawMetadata.exifOrientation(cut);
                RawMetadata.pngIccProfile(cut, 1 << 20);
                RawMetadata.webpAnimation(cut, 10);
                RawMetadata.gifScreen(cut);
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] input = inputs[i % inputs.length].clone();
            for (int k = 0; k < 4; k++) {
                input[random.nextInt(Math.min(input.length, 400))] = (byte) random.nextInt(256);
            }
            int orientation = RawMetadata.exifOrientation(input);
            assertThat(orientation).isBetween(1, 8);
            RawMetadata.pngIccProfile(input, 1 << 20);
            RawMetadata.webpAnimation(input, 10);
        }
    }

    @Test
    void readsTheOrientationOfTheFixtures() throws Exception {
        for (int o = 1; o <= 8; o++) {
            assertThat(RawMetadata.exifOrientation(Files.readAllBytes(format("jpeg-exif-orientation-" + o + ".jpg")))).isEqualTo(o);
        }
        assertThat(RawMetadata.exifOrientation(Files.readAllBytes(format("png-exif-orientation-6.png")))).isEqualTo(6);
        assertThat(RawMetadata.exifOrientation(Files.readAllBytes(format("webp-exif-orientation-6.webp")))).isEqualTo(6);
        assertThat(RawMetadata.exifOrientation(Files.readAllBytes(format("jpeg-baseline.jpg")))).isEqualTo(1);
    }

    @Test
    void readsPngIccProfilesWithABound() throws Exception {
        byte[] png = Files.readAllBytes(format("png-adobergb.png"));
        byte[] icc = RawMetadata.pngIccProfile(png, ImageDecoder.MAX_ICC_PROFILE_BYTES);
        assertThat(icc).hasSize(580); // compatibleWithAdobeRGB1998.icc from icc-profiles-free
        assertThat(RawMetadata.pngIccProfile(png, 100)).as("over the bound").isNull();
        assertThat(ImageDecoder.isSrgb(java.awt.color.ICC_Profile.getInstance(icc))).isFalse();
        assertThat(ImageDecoder.isSrgb(java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB))).isTrue();
        // A zlib bomb: 64 MB of zeros in a few kB is cut off at the bound, not inflated.
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
        deflater.setInput(new byte[64 << 20]);
        deflater.finish();
        byte[] buf = new byte[1 << 20];
        int n = deflater.deflate(buf);
        byte[] iccp = concat("bomb\0\0".getBytes(StandardCharsets.ISO_8859_1), Arrays.copyOf(buf, n));
        assertThat(RawMetadata.pngIccProfile(pngWithChunk("iCCP", iccp), ImageDecoder.MAX_ICC_PROFILE_BYTES)).isNull();
    }

    @Test
    void readsWebpAnimationPlacement() throws Exception {
        RawMetadata.WebPAnimation anim = RawMetadata.webpAnimation(Files.readAllBytes(format("webp-animated.webp")), 10);
        assertThat(anim.canvasWidth()).isEqualTo(192);
        assertThat(anim.canvasHeight()).isEqualTo(128);
        // As `webpmux -info` reports them.
        assertThat(anim.frames()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("imageOffset", "imageLength")
                .containsExactly(
                        new RawMetadata.WebPFrame(0, 0, 192, 128, false, false, 0, 0),
                        new RawMetadata.WebPFrame(0, 0, 192, 128, true, false, 0, 0),
                        new RawMetadata.WebPFrame(96, 64, 64, 48, true, false, 0, 0));
        assertThat(anim.iccFlagged()).isFalse();
        assertThat(anim.iccProfile()).isNull();
        RawMetadata.WebPAnimation tagged = RawMetadata.webpAnimation(Files.readAllBytes(format("webp-animated-adobergb.webp")), 10);
        assertThat(tagged.iccFlagged()).isTrue();
        // The same profile file as png-adobergb.png's iCCP (tools/make-format-fixtures.sh).
        assertThat(tagged.iccProfile()).isNotNull()
                .isEqualTo(RawMetadata.pngIccProfile(Files.readAllBytes(format("png-adobergb.png")), 1 << 20));
        assertThat(RawMetadata.webpAnimation(Files.readAllBytes(format("webp-lossy.webp")), 10)).isNull();
        assertThat(RawMetadata.webpAnimation(Files.readAllBytes(format("webp-animated.webp")), 2).frames()).hasSize(2);
    }

    /**
     * Each frame made into a still WebP of its own decodes (through TwelveMonkeys' reader of
     * stills) to exactly the pixels the animation's reader gives for that frame, and is a sound
     * file: VP8L after the RIFF header, or a VP8X header with the frame's size (alpha flagged when
     * the frame has an ALPH chunk) before ALPH and VP8.
     */
    @ParameterizedTest
    @ValueSource(strings = {"webp-animated.webp", "webp-animated-lossy.webp",
        "webp-animated-alpha-lossless.webp", "webp-animated-alpha-lossy.webp"})
    void framesBecomeStillsWithTheSamePixels(String name) throws Exception {
        byte[] d = Files.readAllBytes(format(name));
        RawMetadata.WebPAnimation anim = RawMetadata.webpAnimation(d, 10);
        javax.imageio.ImageReader reader = javax.imageio.ImageIO.getImageReadersByFormatName("webp").next();
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(d))) {
            reader.setInput(in);
            for (int i = 0; i < anim.frames().size(); i++) {
                RawMetadata.WebPFrame frame = anim.frames().get(i);
                byte[] still = RawMetadata.webpFrameFile(d, frame);
                assertThat(WebPStructure.check(still).problem()).as("frame %d", i).isNull();
                assertThat(RawMetadata.webpAnimation(still, 10)).isNull();
                boolean lossless = RawMetadata.fourCC(still, 12, "VP8L");
                assertThat(lossless).isEqualTo(!name.contains("lossy"));
                if (!lossless) {
                    assertThat(RawMetadata.fourCC(still, 12, "VP8X")).isTrue();
                    assertThat((still[20] & 0x10) != 0).as("alpha flag").isEqualTo(RawMetadata.fourCC(still, 30, "ALPH"));
                }
                Pixels fromStill = Pixels.of(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(still)));
                Pixels fromAnimation = Pixels.of(reader.read(i));
                assertThat(fromStill.width).isEqualTo(frame.width());
                assertThat(fromStill.height).isEqualTo(frame.height());
                assertThat(fromStill.rgb).as("%s frame %d", name, i).isEqualTo(fromAnimation.rgb);
                // No alpha plane and an opaque one are the same picture.
                assertThat(opaqueIfNone(fromStill)).as("%s frame %d alpha", name, i).isEqualTo(opaqueIfNone(fromAnimation));
            }
        } finally {
            reader.dispose();
        }
        // The lossy one's frames 0 and 1 carry alpha (ALPH + VP8), frame 2 does not.
        if (name.equals("webp-animated-alpha-lossy.webp")) {
            assertThat(anim.frames()).extracting(f -> RawMetadata.fourCC(d, f.imageOffset(), "ALPH")).containsExactly(true, true, false);
        }
    }

    private static byte[] opaqueIfNone(Pixels p) {
        if (p.alpha != null) {
            return p.alpha;
        }
        byte[] opaque = new byte[p.width * p.height];
        Arrays.fill(opaque, (byte) 0xFF);
        return opaque;
    }

    @Test
    void framesWhoseChunksAreMissingBecomeNoStill() throws Exception {
        byte[] d = Files.readAllBytes(format("webp-animated.webp"));
        RawMetadata.WebPFrame first = RawMetadata.webpAnimation(d, 10).frames().get(0);
        byte[] renamed = d.clone();
        renamed[first.imageOffset() + 3] = 'X'; // "VP8X" inside a frame: not image data
        RawMetadata.WebPFrame broken = RawMetadata.webpAnimation(renamed, 10).frames().get(0);
        assertThat(broken.imageLength()).isZero();
        assertThat(RawMetadata.webpFrameFile(renamed, broken)).isNull();
    }

    /**
     * A CLI scan's find (a mutant of jpeg-adobergb.jpg): its first segment's marker is garbage, which
     * readers skip, and its ICC profile declares 2 GB, which TwelveMonkeys allocated: the profile
     * is disabled all the same. An intact profile is left alone.
     */
    @Test
    void oversizedJpegProfilesAreDisabledBehindGarbage() throws Exception {
        byte[] jpeg = Files.readAllBytes(format("jpeg-adobergb.jpg"));
        assertThat(RawMetadata.withoutOversizedIccProfile(jpeg, ImageDecoder.MAX_ICC_PROFILE_BYTES)).isSameAs(jpeg);
        byte[] damaged = jpeg.clone();
        damaged[2] = 0x60; // the APP0 marker, FF E0, no longer a marker
        int body = new String(damaged, StandardCharsets.ISO_8859_1).indexOf("ICC_PROFILE\0");
        byte[] size = {0x7a, (byte) 0xc4, 0x02, 0x44};
        System.arraycopy(size, 0, damaged, body + 14, 4);
        byte[] fixed = RawMetadata.withoutOversizedIccProfile(damaged, ImageDecoder.MAX_ICC_PROFILE_BYTES);
        assertThat(new String(fixed, body, 12, StandardCharsets.ISO_8859_1)).isEqualTo("ICC_PROFILX\0");
    }
}
