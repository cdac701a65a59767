package io.keshikaran.converter;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * nsfwjs's preprocessing, for tests and measurements only (the library's own implementation lives elsewhere):
 * RGB / 255 as float32, then {@code tf.image.resizeBilinear(alignCorners = true)} computed like tfjs's cpu kernel
 * (double arithmetic, float32 storage), NHWC.
 */
final class NsfwjsPreprocessing {

    /** Decoded 8-bit RGB pixels, row-major, 3 bytes per pixel. */
    record Rgb(int width, int height, byte[] pixels) {
    }

    private NsfwjsPreprocessing() {
    }

    /** Decodes with ImageIO, reading raster samples (not getRGB, which converts gray and 16-bit images). */
    static Rgb decode(Path image) throws IOException {
        BufferedImage img = ImageIO.read(image.toFile());
        if (img == null) {
            throw new IOException("ImageIO cannot read " + image);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        Raster raster = img.getRaster();
        boolean direct = raster.getNumBands() >= 3 && img.getColorModel().getColorSpace().isCS_sRGB()
                && raster.getSampleModel().getSampleSize(0) == 8 && !(img.getColorModel() instanceof IndexColorModel);
        int[] px = new int[raster.getNumBands()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                if (direct) {
                    raster.getPixel(x, y, px);
                    rgb[o] = (byte) px[0];
                    rgb[o + 1] = (byte) px[1];
                    rgb[o + 2] = (byte) px[2];
                } else {
                    int argb = img.getRGB(x, y);
                    rgb[o] = (byte) (argb >> 16);
                    rgb[o + 1] = (byte) (argb >> 8);
                    rgb[o + 2] = (byte) argb;
                }
            }
        }
        return new Rgb(w, h, rgb);
    }

    static float[] preprocess(Path image, int size) throws IOException {
        return preprocess(decode(image), size);
    }

    static float[] preprocess(Rgb image, int size) {
        int w = image.width();
        int h = image.height();
        float[] rgb = new float[w * h * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (image.pixels()[i] & 0xFF) / 255f;
        }
        if (w == size && h == size) {
            return rgb;
        }
        float[] out = new float[size * size * 3];
        double rowRatio = (h - 1) / (double) (size - 1);
        double colRatio = (w - 1) / (double) (size - 1);
        for (int r = 0; r < size; r++) {
            double srcRow = rowRatio * r;
            int top = (int) Math.floor(srcRow);
            int bottom = Math.min(h - 1, (int) Math.ceil(srcRow));
            double rowFrac = srcRow - top;
            for (int c = 0; c < size; c++) {
                double srcCol = colRatio * c;
                int left = (int) Math.floor(srcCol);
                int right = Math.min(w - 1, (int) Math.ceil(srcCol));
                double colFrac = srcCol - left;
                for (int ch = 0; ch < 3; ch++) {
                    double tl = rgb[(top * w + left) * 3 + ch];
                    double tr = rgb[(top * w + right) * 3 + ch];
                    double bl = rgb[(bottom * w + left) * 3 + ch];
                    double br = rgb[(bottom * w + right) * 3 + ch];
                    double topValue = tl + (tr - tl) * colFrac;
                    double bottomValue = bl + (br - bl) * colFrac;
                    out[(r * size + c) * 3 + ch] = (float) (topValue + (bottomValue - topValue) * rowFrac);
                }
            }
        }
        return out;
    }
}
