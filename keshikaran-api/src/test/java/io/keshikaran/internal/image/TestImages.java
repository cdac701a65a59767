package io.keshikaran.internal.image;

import io.keshikaran.image.RgbImage;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Helpers shared by the decoder tests: fixture paths and pixel comparisons. */
final class TestImages {
    private TestImages() {
    }

    /** {@code fixtures/formats}, passed by Surefire as the {@code keshikaran.fixtures} property. */
    static Path formats() {
        String dir = System.getProperty("keshikaran.fixtures");
        Path p = (dir != null ? Path.of(dir) : Path.of("..", "fixtures")).resolve("formats");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("fixtures folder not found: " + p.toAbsolutePath()
                    + " (generate it with tools/make-format-fixtures.sh)");
        }
        return p;
    }

    /** {@code fixtures/hostile}: files that made decoders allocate gigabytes (issue 17), kept as regressions. */
    static Path hostile() {
        return formats().resolveSibling("hostile");
    }

    /** A real photo ({@code fixtures/images/horses.jpg}, 1024x664) scaled to this size, bilinear. */
    static BufferedImage largePhoto(int width, int height) throws IOException {
        String fixtures = System.getProperty("keshikaran.fixtures", "../fixtures");
        BufferedImage source = ImageIO.read(Path.of(fixtures, "images", "horses.jpg").toFile());
        BufferedImage photo = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = photo.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, width, height, null);
        g.dispose();
        return photo;
    }

    /** The 8 bytes every PNG starts with. */
    static byte[] pngSignature() {
        return new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    }

    /** One PNG chunk: big-endian length, type, data and the CRC-32 of type and data. */
    static byte[] pngChunk(String type, byte[] data) {
        byte[] out = new byte[data.length + 12];
        putIntBigEndian(out, 0, data.length);
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(out, 4, data.length + 4);
        putIntBigEndian(out, data.length + 8, (int) crc.getValue());
        return out;
    }

    static void putIntBigEndian(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static Path format(String name) {
        return formats().resolve(name);
    }

    /** Mean absolute difference per sample over a rectangle, 0..255. */
    static double meanDiff(RgbImage a, RgbImage b, int x0, int y0, int x1, int y1) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new AssertionError("sizes differ: " + a + " vs " + b);
        }
        long sum = 0;
        long n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                for (int c = 0; c < 3; c++) {
                    sum += Math.abs(a.sample(x, y, c) - b.sample(x, y, c));
                    n++;
                }
            }
        }
        return (double) sum / n;
    }

    static double meanDiff(RgbImage a, RgbImage b) {
        return meanDiff(a, b, 0, 0, a.width(), a.height());
    }

    /** The mean of each channel over the whole image. */
    static double[] meanColour(RgbImage image) {
        double[] m = new double[3];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    m[c] += image.sample(x, y, c);
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            m[c] /= image.pixelCount();
        }
        return m;
    }

    static int[] pixel(RgbImage image, int x, int y) {
        return new int[] {image.sample(x, y, 0), image.sample(x, y, 1), image.sample(x, y, 2)};
    }

    /** Interleaved RGB samples averaged over {@code factor x factor} blocks, rounded, partial blocks dropped. */
    static byte[] blockMean(byte[] full, int width, int factor, int[] size) {
        byte[] out = new byte[size[0] * size[1] * 3];
        int area = factor * factor;
        for (int y = 0; y < size[1]; y++) {
            for (int x = 0; x < size[0]; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        for (int dx = 0; dx < factor; dx++) {
                            sum += full[((factor * y + dy) * width + factor * x + dx) * 3 + c] & 0xFF;
                        }
                    }
                    out[(y * size[0] + x) * 3 + c] = (byte) ((sum + area / 2) / area);
                }
            }
        }
        return out;
    }
}
