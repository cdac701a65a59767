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
        return switch (method) {
            case BILINEAR_ALIGN_CORNERS -> bilinearAlignCorners(image, lut, outH, outW);
            case NEAREST -> nearest(image, lut, outH, outW);
            case BILINEAR -> separable(image, lut, outH, outW, Filter.TRIANGLE);
            case BICUBIC -> separable(image, lut, outH, outW, Filter.CUBIC);
        };
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

    private static float[] nearest(RgbImage image, float[] lut, int outH, int outW) {
        int inH = image.height();
        int inW = image.width();
        double sy = (double) inH / outH;
        double sx = (double) inW / outW;
        float[] out = new float[outH * outW * 3];
        int o = 0;
        for (int y = 0; y < outH; y++) {
            int srcY = Math.min(inH - 1, (int) ((y + 0.5) * sy));
            for (int x = 0; x < outW; x++) {
                int srcX = Math.min(inW - 1, (int) ((x + 0.5) * sx));
                int s = (srcY * inW + srcX) * 3;
                out[o++] = lut[image.sampleAt(s)];
                out[o++] = lut[image.sampleAt(s + 1)];
                out[o++] = lut[image.sampleAt(s + 2)];
            }
        }
        return out;
    }

    /** Convolution filters with half-pixel centres, widened when shrinking (antialiasing), as in Pillow. */
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

    /** Per output index: the first source index and the normalised weights. */
    private record Taps(int[] start, double[][] weights) {
        static Taps of(int inSize, int outSize, Filter filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support * filterScale;
            int[] start = new int[outSize];
            double[][] weights = new double[outSize][];
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize);
                double[] w = new double[Math.max(max - min, 1)];
                double sum = 0;
                for (int k = 0; k < max - min; k++) {
                    w[k] = filter.weight((k + min - center + 0.5) / filterScale);
                    sum += w[k];
                }
                if (sum != 0) {
                    for (int k = 0; k < w.length; k++) {
                        w[k] /= sum;
                    }
                } else {
                    w[0] = 1;
                }
                start[i] = Math.min(min, inSize - 1);
                weights[i] = w;
            }
            return new Taps(start, weights);
        }
    }

    private static float[] separable(RgbImage image, float[] lut, int outH, int outW, Filter filter) {
        int inH = image.height();
        int inW = image.width();
        Taps cols = Taps.of(inW, outW, filter);
        Taps rows = Taps.of(inH, outH, filter);
        // Horizontal pass: inH x outW.
        double[] horizontal = new double[inH * outW * 3];
        for (int y = 0; y < inH; y++) {
            int rowBase = y * inW * 3;
            for (int x = 0; x < outW; x++) {
                double[] w = cols.weights()[x];
                int s0 = cols.start()[x];
                double r = 0, g = 0, b = 0;
                for (int k = 0; k < w.length; k++) {
                    int s = rowBase + (s0 + k) * 3;
                    r += w[k] * lut[image.sampleAt(s)];
                    g += w[k] * lut[image.sampleAt(s + 1)];
                    b += w[k] * lut[image.sampleAt(s + 2)];
                }
                int o = (y * outW + x) * 3;
                horizontal[o] = r;
                horizontal[o + 1] = g;
                horizontal[o + 2] = b;
            }
        }
        float[] out = new float[outH * outW * 3];
        for (int y = 0; y < outH; y++) {
            double[] w = rows.weights()[y];
            int s0 = rows.start()[y];
            for (int x = 0; x < outW; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 0;
                    for (int k = 0; k < w.length; k++) {
                        v += w[k] * horizontal[((s0 + k) * outW + x) * 3 + c];
                    }
                    out[(y * outW + x) * 3 + c] = (float) v;
                }
            }
        }
        return out;
    }
}
