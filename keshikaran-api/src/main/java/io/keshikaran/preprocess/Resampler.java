package io.keshikaran.preprocess;

import io.keshikaran.image.RgbImage;

/**
 * Resamples 8-bit RGB to float RGB (interleaved). The 0..255 samples are mapped through a lookup
 * table first, so scaling happens before resizing, as nsfwjs does.
 */
final class Resampler {
    private Resampler() {
    }

    static float[] resample(RgbImage image, float[] lut, int outH, int outW, ResizeMethod method) {
        int inH = image.height();
        int inW = image.width();
        if (inH == outH && inW == outW) {
            float[] out = new float[outH * outW * 3];
            for (int i = 0; i < out.length; i++) {
                out[i] = lut[image.sampleAt(i)];
            }
            return out;
        }
        if (method == ResizeMethod.BILINEAR_ALIGN_CORNERS) {
            return bilinearAlignCorners(image, lut, outH, outW);
        }
        byte[] resized = resizePillow(image, outH, outW, method);
        float[] out = new float[resized.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = lut[resized[i] & 0xFF];
        }
        return out;
    }

    /**
     * A port of TensorFlow.js's CPU {@code resizeBilinear} with {@code alignCorners = true}: the
     * arithmetic runs in double on float32 inputs and is rounded to float32 once, as tfjs stores
     * its result in a Float32Array. Keep the operation order; it decides the last bit.
     */
    private static float[] bilinearAlignCorners(RgbImage image, float[] lut, int outH, int outW) {
        int inH = image.height();
        int inW = image.width();
        double rowRatio = (outH > 1 ? inH - 1.0 : inH) / (outH > 1 ? outH - 1.0 : outH);
        double colRatio = (outW > 1 ? inW - 1.0 : inW) / (outW > 1 ? outW - 1.0 : outW);
        int[] colFloor = new int[outW];
        int[] colCeil = new int[outW];
        double[] colFrac = new double[outW];
        for (int c = 0; c < outW; c++) {
            double src = colRatio * c;
            colFloor[c] = (int) Math.max(0, Math.floor(src));
            colFrac[c] = src - colFloor[c];
            colCeil[c] = (int) Math.min(inW - 1, Math.ceil(src));
        }
        float[] out = new float[outH * outW * 3];
        int o = 0;
        for (int r = 0; r < outH; r++) {
            double srcRow = rowRatio * r;
            int rowFloor = (int) Math.max(0, Math.floor(srcRow));
            double rowFrac = srcRow - rowFloor;
            int rowCeil = (int) Math.min(inH - 1, Math.ceil(srcRow));
            int topRow = rowFloor * inW * 3;
            int bottomRow = rowCeil * inW * 3;
            for (int c = 0; c < outW; c++) {
                int left = colFloor[c] * 3;
                int right = colCeil[c] * 3;
                double cf = colFrac[c];
                for (int d = 0; d < 3; d++) {
                    double topLeft = lut[image.sampleAt(topRow + left + d)];
                    double topRight = lut[image.sampleAt(topRow + right + d)];
                    double bottomLeft = lut[image.sampleAt(bottomRow + left + d)];
                    double bottomRight = lut[image.sampleAt(bottomRow + right + d)];
                    double top = topLeft + (topRight - topLeft) * cf;
                    double bottom = bottomLeft + (bottomRight - bottomLeft) * cf;
                    out[o++] = (float) (top + (bottom - top) * rowFrac);
                }
            }
        }
        return out;
    }

    /**
     * Resizes 8-bit RGB exactly as Pillow's {@code Image.resize} does for an RGB image, to the bit:
     * {@link ResizeMethod#BILINEAR} and {@link ResizeMethod#BICUBIC} are Pillow's separable
     * convolutions (filter support widened by the scale factor when shrinking, i.e. antialiased),
     * computed in 22-bit fixed point, horizontal pass first, each pass rounded and clamped to 8 bits;
     * {@link ResizeMethod#NEAREST} is Pillow's affine nearest-neighbour with half-pixel centres.
     * Verified against Pillow 9.4 (tools/pillow-reference).
     *
     * @return interleaved RGB, {@code outH * outW * 3} samples
     */
    static byte[] resizePillow(RgbImage image, int outH, int outW, ResizeMethod method) {
        int inH = image.height();
        int inW = image.width();
        byte[] in = image.toByteArray();
        if (inH == outH && inW == outW) {
            return in;
        }
        return switch (method) {
            case NEAREST -> nearest(in, inH, inW, outH, outW);
            case BILINEAR -> separable(in, inH, inW, outH, outW, Filter.TRIANGLE);
            case BICUBIC -> separable(in, inH, inW, outH, outW, Filter.CUBIC);
            case BILINEAR_ALIGN_CORNERS -> throw new IllegalArgumentException("not a Pillow method: " + method);
        };
    }

    /** Pillow's ImagingScaleAffine: source positions accumulate in double from the first pixel centre. */
    private static byte[] nearest(byte[] in, int inH, int inW, int outH, int outW) {
        int[] xs = nearestTable(inW, outW);
        int[] ys = nearestTable(inH, outH);
        byte[] out = new byte[outH * outW * 3];
        int o = 0;
        for (int y = 0; y < outH; y++) {
            int row = ys[y] * inW;
            for (int x = 0; x < outW; x++) {
                int s = (row + xs[x]) * 3;
                out[o++] = in[s];
                out[o++] = in[s + 1];
                out[o++] = in[s + 2];
            }
        }
        return out;
    }

    private static int[] nearestTable(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double pos = scale * 0.5;
        int[] table = new int[outSize];
        for (int i = 0; i < outSize; i++) {
            table[i] = Math.min(inSize - 1, (int) pos);
            pos += scale;
        }
        return table;
    }

    /** Pillow's filters (Resample.c), with their support radius at scale 1. */
    enum Filter {
        TRIANGLE(1.0) {
            @Override
            double weight(double x) {
                x = Math.abs(x);
                return x < 1.0 ? 1.0 - x : 0.0;
            }
        },
        CUBIC(2.0) {
            @Override
            double weight(double x) {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
        };

        final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);
    }

    /** Pillow's fixed-point precision for 8-bit images: 32 - 8 - 2 bits. */
    private static final int PRECISION_BITS = 22;

    /** Per output index: the first source index, the number of taps, and fixed-point weights (Pillow's precompute_coeffs). */
    private record Taps(int[] start, int[] count, int[][] weights) {
        static Taps of(int inSize, int outSize, Filter filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support * filterScale;
            int[] start = new int[outSize];
            int[] count = new int[outSize];
            int[][] weights = new int[outSize][];
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                double ss = 1.0 / filterScale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize) - min;
                double[] w = new double[Math.max(max, 0)];
                double sum = 0.0;
                for (int k = 0; k < max; k++) {
                    w[k] = filter.weight((k + min - center + 0.5) * ss);
                    sum += w[k];
                }
                int[] fixed = new int[w.length];
                for (int k = 0; k < w.length; k++) {
                    double v = sum != 0.0 ? w[k] / sum : w[k];
                    // Pillow's normalize_coeffs_8bpc: round half away from zero, truncating cast.
                    fixed[k] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS)) : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                start[i] = min;
                count[i] = max;
                weights[i] = fixed;
            }
            return new Taps(start, count, weights);
        }
    }

    private static int clip8(int v) {
        int shifted = v >> PRECISION_BITS;
        return shifted < 0 ? 0 : Math.min(shifted, 255);
    }

    private static byte[] separable(byte[] in, int inH, int inW, int outH, int outW, Filter filter) {
        byte[] horizontal = in;
        int width = inW;
        if (outW != inW) {
            Taps cols = Taps.of(inW, outW, filter);
            horizontal = new byte[inH * outW * 3];
            for (int y = 0; y < inH; y++) {
                int rowBase = y * inW * 3;
                for (int x = 0; x < outW; x++) {
                    int[] w = cols.weights()[x];
                    int s0 = cols.start()[x];
                    int r = 1 << (PRECISION_BITS - 1);
                    int g = r;
                    int b = r;
                    for (int k = 0; k < cols.count()[x]; k++) {
                        int s = rowBase + (s0 + k) * 3;
                        r += (in[s] & 0xFF) * w[k];
                        g += (in[s + 1] & 0xFF) * w[k];
                        b += (in[s + 2] & 0xFF) * w[k];
                    }
                    int o = (y * outW + x) * 3;
                    horizontal[o] = (byte) clip8(r);
                    horizontal[o + 1] = (byte) clip8(g);
                    horizontal[o + 2] = (byte) clip8(b);
                }
            }
            width = outW;
        }
        if (outH == inH) {
            return horizontal;
        }
        Taps rows = Taps.of(inH, outH, filter);
        byte[] out = new byte[outH * width * 3];
        for (int y = 0; y < outH; y++) {
            int[] w = rows.weights()[y];
            int s0 = rows.start()[y];
            int n = rows.count()[y];
            for (int x = 0; x < width; x++) {
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int k = 0; k < n; k++) {
                    int s = ((s0 + k) * width + x) * 3;
                    r += (horizontal[s] & 0xFF) * w[k];
                    g += (horizontal[s + 1] & 0xFF) * w[k];
                    b += (horizontal[s + 2] & 0xFF) * w[k];
                }
                int o = (y * width + x) * 3;
                out[o] = (byte) clip8(r);
                out[o + 1] = (byte) clip8(g);
                out[o + 2] = (byte) clip8(b);
            }
        }
        return out;
    }
}
