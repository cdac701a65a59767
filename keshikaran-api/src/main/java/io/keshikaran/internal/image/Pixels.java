package io.keshikaran.internal.image;

import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.RgbImage;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.util.Objects;

/**
 * A decoded picture as 8-bit sRGB samples plus, when it has one, an 8-bit alpha plane. The one
 * place where a {@link BufferedImage}'s many layouts become numbers, chosen to give the same
 * pixels as libjpeg-turbo/libpng (nsfwjs's decoders):
 * <ul>
 *   <li>sRGB images: the stored samples, untouched (no colour-management round trip);</li>
 *   <li>gray: R = G = B = the stored sample ({@code getRGB()} would apply a linear-gray curve);</li>
 *   <li>16-bit samples: the high byte, {@code v >> 8};</li>
 *   <li>palettes: the palette colour (and palette alpha) of each index;</li>
 *   <li>premultiplied alpha: un-premultiplied first;</li>
 *   <li>any other colour space (an ICC profile a reader attached): converted to sRGB with
 *       {@link ColorConvertOp}, which uses the JDK's LittleCMS.</li>
 * </ul>
 */
public final class Pixels {
    final int width;
    final int height;
    /** Interleaved RGB, {@code width * height * 3}. */
    final byte[] rgb;
    /** One alpha sample per pixel, or {@code null} when the image has no alpha. */
    final byte[] alpha;

    Pixels(int width, int height, byte[] rgb, byte[] alpha) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        this.alpha = alpha;
    }

    static Pixels of(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        if (image.isAlphaPremultiplied()) {
            image = unpremultiplied(image);
        }
        ColorModel cm = image.getColorModel();
        ColorSpace cs = cm.getColorSpace();
        boolean gray = cm instanceof ComponentColorModel && cs.getType() == ColorSpace.TYPE_GRAY;
        boolean srgb = cs.isCS_sRGB() && cm.getNumColorComponents() == 3 && fitsInInt(cm);
        if (!(cm instanceof IndexColorModel) && !gray && !srgb) {
            image = toSrgb(image);
            cm = image.getColorModel();
        }
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        Raster raster = image.getRaster();
        byte[] alpha = null;
        if (cm instanceof IndexColorModel icm) {
            alpha = copyIndexed(raster, icm, out, w, h);
        } else if (gray) {
            copyGray(raster, out, w, h);
        } else {
            copyRgbSamples(raster, cm, out, w, h);
        }
        if (alpha == null && cm.hasAlpha()) {
            alpha = copyAlpha(image, cm, w, h);
        }
        return new Pixels(w, h, out, alpha);
    }

    /**
     * Reinterprets RGB samples as being in {@code profile}'s colour space and converts them to
     * sRGB. Used for profiles a reader does not apply itself (the JDK's PNG reader ignores iCCP).
     */
    Pixels convertFrom(ICC_Profile profile) {
        byte[] out = rgb.clone();
        new IccConversion(profile).convert(out, 0, width * height, 3);
        return new Pixels(width, height, out, alpha);
    }

    /**
     * {@code image} as RGB with these rules, alpha dropped (the stored colour stays under
     * transparent pixels): {@link RgbImage#from(BufferedImage)}.
     *
     * @param image the image
     * @return the RGB image
     */
    public static RgbImage ignoringAlpha(BufferedImage image) {
        Pixels pixels = of(image);
        return ImageAccess.bridge().wrap(pixels.width, pixels.height, pixels.rgb);
    }

    /** The RGB image the options ask for: composited, transparent pixels filled, or alpha dropped. */
    RgbImage toRgb(DecodeOptions options) {
        return ImageAccess.bridge().wrap(width, height, rgbSamples(options));
    }

    /**
     * The same, box-averaged over {@code factor x factor} blocks after the transparency option
     * (as the PNG decoder and the native decoder reduce): how sampled animation frames are kept at
     * the reduced size.
     *
     * @param factor 1 (no averaging), 2, 4 or 8, at most the width and the height
     */
    RgbImage toRgb(DecodeOptions options, int factor) {
        if (factor == 1) {
            return toRgb(options);
        }
        return ImageAccess.bridge().wrap(width / factor, height / factor,
                BoxAverage.reduce(rgbSamples(options), width, height, factor));
    }

    private byte[] rgbSamples(DecodeOptions options) {
        if (alpha == null || options.transparency() == DecodeOptions.Transparency.KEEP_STORED_COLOR) {
            return rgb;
        }
        int bg = options.background();
        int red = (bg >> 16) & 0xFF;
        int green = (bg >> 8) & 0xFF;
        int blue = bg & 0xFF;
        // The stored colours, then only the pixels that are not opaque changed: most are opaque.
        byte[] out = rgb.clone();
        boolean fill = options.transparency() == DecodeOptions.Transparency.FILL_TRANSPARENT;
        for (int p = 0, o = 0; p < alpha.length; p++, o += 3) {
            int a = alpha[p] & 0xFF;
            if (a == 0xFF || (fill && a != 0)) {
                continue;
            }
            if (fill) {
                out[o] = (byte) red;
                out[o + 1] = (byte) green;
                out[o + 2] = (byte) blue;
            } else {
                // Blending in sRGB space, as browsers and image viewers do.
                out[o] = (byte) (((rgb[o] & 0xFF) * a + red * (255 - a) + 127) / 255);
                out[o + 1] = (byte) (((rgb[o + 1] & 0xFF) * a + green * (255 - a) + 127) / 255);
                out[o + 2] = (byte) (((rgb[o + 2] & 0xFF) * a + blue * (255 - a) + 127) / 255);
            }
        }
        return out;
    }

    private static BufferedImage unpremultiplied(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        BufferedImage copy = new BufferedImage(cm, image.copyData(null), true, null);
        copy.coerceData(false);
        return copy;
    }

    private static BufferedImage toSrgb(BufferedImage image) {
        boolean alpha = image.getColorModel().hasAlpha();
        BufferedImage dst = new BufferedImage(image.getWidth(), image.getHeight(),
                alpha ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
        new ColorConvertOp(null).filter(image, dst);
        return dst;
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
        int[] row = new int[w];
        for (int c = 0; c < 3; c++) {
            int bits = cm.getComponentSize(c);
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, c, row);
                int o = y * w * 3 + c;
                for (int x = 0; x < w; x++, o += 3) {
                    out[o] = (byte) to8Bits(row[x], bits);
                }
            }
        }
    }

    private static byte[] copyAlpha(BufferedImage image, ColorModel cm, int w, int h) {
        Raster alphaRaster = image.getAlphaRaster();
        if (alphaRaster == null) {
            return null;
        }
        int bits = cm.getComponentSize(cm.getNumColorComponents());
        byte[] alpha = new byte[Math.multiplyExact(w, h)];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            alphaRaster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0, o = y * w; x < w; x++, o++) {
                alpha[o] = (byte) to8Bits(row[x], bits);
            }
        }
        return alpha;
    }

    /** 16-bit samples keep their high byte; samples under 8 bits are scaled up to 0..255. */
    private static int to8Bits(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        if (bits > 8) {
            return v >> (bits - 8);
        }
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
                byte g = (byte) to8Bits(row[x], bits);
                out[o++] = g;
                out[o++] = g;
                out[o++] = g;
            }
        }
    }

    /** Copies palette colours; returns the alpha plane if the palette has transparency. */
    private static byte[] copyIndexed(Raster raster, IndexColorModel icm, byte[] out, int w, int h) {
        int size = icm.getMapSize();
        byte[] r = new byte[size];
        byte[] g = new byte[size];
        byte[] b = new byte[size];
        byte[] a = new byte[size];
        icm.getReds(r);
        icm.getGreens(g);
        icm.getBlues(b);
        icm.getAlphas(a);
        boolean transparent = icm.getTransparency() != ColorModel.OPAQUE;
        byte[] alpha = transparent ? new byte[Math.multiplyExact(w, h)] : null;
        int[] row = new int[w];
        // One byte per index, as GIF frames and 8-bit palette PNGs come: read it directly rather
        // than through getSamples, which costs more than the lookup.
        byte[] indexes = null;
        int scanline = 0;
        if (raster.getDataBuffer() instanceof DataBufferByte dbb && dbb.getNumBanks() == 1 && dbb.getOffset() == 0
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm && sm.getPixelStride() == 1
                && sm.getNumBands() == 1 && sm.getBandOffsets()[0] == 0 && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
            indexes = dbb.getData();
            scanline = sm.getScanlineStride();
        }
        for (int y = 0; y < h; y++) {
            if (indexes != null) {
                for (int x = 0, p = y * scanline; x < w; x++, p++) {
                    row[x] = indexes[p] & 0xFF;
                }
            } else {
                raster.getSamples(0, y, w, 1, 0, row);
            }
            int o = y * w * 3;
            for (int x = 0; x < w; x++) {
                // An index past the palette's end (a malformed file) takes the last entry.
                int i = Math.min(row[x], size - 1);
                out[o++] = r[i];
                out[o++] = g[i];
                out[o++] = b[i];
                if (alpha != null) {
                    alpha[y * w + x] = a[i];
                }
            }
        }
        return alpha;
    }
}
