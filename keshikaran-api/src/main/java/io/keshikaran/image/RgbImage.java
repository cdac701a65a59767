package io.keshikaran.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.util.Objects;

/**
 * A decoded image as 8-bit RGB samples, interleaved row by row ({@code R,G,B,R,G,B,...}).
 * Immutable and thread-safe.
 *
 * <p>This is the one pixel format every {@link io.keshikaran.preprocess.Preprocessor} consumes, so
 * the choices that decide the pixel values (how gray, 16-bit, palette and transparent images
 * become RGB) are made exactly once, in {@link #from(BufferedImage)}.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] rgb;

    /**
     * Creates an image from interleaved RGB samples.
     *
     * @param rgb {@code width * height * 3} bytes; copied
     */
    public RgbImage(int width, int height, byte[] rgb) {
        this(Objects.requireNonNull(rgb, "rgb").clone(), width, height);
    }

    // Takes ownership of the array: the decoders hand over buffers nobody else references, and
    // copying a 60 MB buffer per photo would be pure waste.
    private RgbImage(byte[] rgb, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("expected " + ((long) width * height * 3)
                    + " RGB bytes for " + width + "x" + height + ", got " + rgb.length);
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    static RgbImage wrap(int width, int height, byte[] rgb) {
        return new RgbImage(rgb, width, height);
    }

    /** Width in pixels. */
    public int width() {
        return width;
    }

    /** Height in pixels. */
    public int height() {
        return height;
    }

    /** {@code width * height}. */
    public long pixelCount() {
        return (long) width * height;
    }

    /** The red, green or blue sample (channel 0, 1 or 2) of pixel (x, y), 0..255. */
    public int sample(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }

    /** A copy of the interleaved RGB samples. */
    public byte[] toByteArray() {
        return rgb.clone();
    }

    /**
     * Reads the sample of index {@code i} of the interleaved buffer without copying it. Intended
     * for preprocessors that walk the whole image.
     */
    public int sampleAt(int i) {
        return rgb[i] & 0xFF;
    }

    /**
     * Converts a {@link BufferedImage} to RGB.
     *
     * <p>The rules, chosen to give the same pixels as nsfwjs's decoder (libjpeg-turbo/libpng):
     * <ul>
     *   <li>sRGB images: the stored samples, untouched (no colour management round trip);</li>
     *   <li>gray images: R = G = B = the stored gray sample (not {@code getRGB()}, which would apply
     *       a linear-to-sRGB curve);</li>
     *   <li>16-bit samples: the high byte, {@code v >> 8};</li>
     *   <li>palette images: the palette colour of each index;</li>
     *   <li>alpha: dropped, keeping the stored colour under transparent pixels (compositing is a
     *       decision of the decoder, see {@link ImageDecoder});</li>
     *   <li>any other colour space (an embedded ICC profile, CMYK converted by a plugin): converted
     *       to sRGB by Java2D.</li>
     * </ul>
     */
    public static RgbImage from(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        ColorSpace cs = cm.getColorSpace();

        if (cm instanceof IndexColorModel icm) {
            copyIndexed(raster, icm, out, w, h);
        } else if (cm instanceof ComponentColorModel && cs.getType() == ColorSpace.TYPE_GRAY) {
            copyGray(raster, out, w, h);
        } else if (cs.isCS_sRGB() && cm.getNumColorComponents() == 3 && fitsInInt(cm)) {
            copyRgbSamples(raster, cm, out, w, h);
        } else {
            copyViaGetRgb(image, out, w, h);
        }
        return new RgbImage(out, w, h);
    }

    private static boolean fitsInInt(ColorModel cm) {
        for (int bits : cm.getComponentSize()) {
            if (bits > 16) {
                return false;
            }
        }
        return true;
    }

    private static void copyRgbSamples(Raster raster, ColorModel cm, byte[] out, int w, int h) {
        if (raster.getDataBuffer() instanceof DataBufferByte dbb
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && cm.getComponentSize(0) == 8) {
            // Fast path for the usual JPEG/PNG layouts (3BYTE_BGR, 4BYTE_ABGR, interleaved RGB).
            byte[] data = dbb.getData();
            int[] offsets = sm.getBandOffsets();
            int pixelStride = sm.getPixelStride();
            int scanline = sm.getScanlineStride();
            int o = 0;
            for (int y = 0; y < h; y++) {
                int row = y * scanline;
                for (int x = 0; x < w; x++) {
                    int p = row + x * pixelStride;
                    out[o++] = data[p + offsets[0]];
                    out[o++] = data[p + offsets[1]];
                    out[o++] = data[p + offsets[2]];
                }
            }
            return;
        }
        int[] shifts = new int[3];
        for (int c = 0; c < 3; c++) {
            shifts[c] = Math.max(0, cm.getComponentSize(c) - 8);
        }
        boolean packed = cm.getComponentSize(0) < 8;
        int[] row = new int[w];
        for (int c = 0; c < 3; c++) {
            int bits = cm.getComponentSize(c);
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, c, row);
                int o = y * w * 3 + c;
                for (int x = 0; x < w; x++, o += 3) {
                    int v = row[x];
                    out[o] = (byte) (packed ? scaleUp(v, bits) : v >> shifts[c]);
                }
            }
        }
    }

    private static int scaleUp(int v, int bits) {
        int max = (1 << bits) - 1;
        return (v * 255 + max / 2) / max;
    }

    private static void copyGray(Raster raster, byte[] out, int w, int h) {
        int bits = raster.getSampleModel().getSampleSize(0);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            int o = y * w * 3;
            for (int x = 0; x < w; x++) {
                int v = row[x];
                byte g = (byte) (bits > 8 ? v >> (bits - 8) : bits < 8 ? scaleUp(v, bits) : v);
                out[o++] = g;
                out[o++] = g;
                out[o++] = g;
            }
        }
    }

    private static void copyIndexed(Raster raster, IndexColorModel icm, byte[] out, int w, int h) {
        int size = icm.getMapSize();
        byte[] r = new byte[size];
        byte[] g = new byte[size];
        byte[] b = new byte[size];
        icm.getReds(r);
        icm.getGreens(g);
        icm.getBlues(b);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            int o = y * w * 3;
            for (int x = 0; x < w; x++) {
                int i = Math.min(row[x], size - 1);
                out[o++] = r[i];
                out[o++] = g[i];
                out[o++] = b[i];
            }
        }
    }

    private static void copyViaGetRgb(BufferedImage image, byte[] out, int w, int h) {
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            int o = y * w * 3;
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                out[o++] = (byte) (argb >> 16);
                out[o++] = (byte) (argb >> 8);
                out[o++] = (byte) argb;
            }
        }
    }

    /** Converts to a {@link BufferedImage#TYPE_3BYTE_BGR} image, for display or re-encoding. */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            data[i] = rgb[i + 2];
            data[i + 1] = rgb[i + 1];
            data[i + 2] = rgb[i];
        }
        return img;
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
