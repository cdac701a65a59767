package io.keshikaran.converter;

/**
 * Naive reference implementations of the Keras/TensorFlow operations, on NHWC float arrays, accumulating in
 * double. They follow TensorFlow's definitions directly and share no code with the converter.
 */
final class Nhwc {

    /** An NHWC tensor. */
    record T(int n, int h, int w, int c, float[] v) {
        T {
            if (v.length != n * h * w * c) {
                throw new IllegalArgumentException("size");
            }
        }

        float at(int b, int y, int x, int ch) {
            return v[((b * h + y) * w + x) * c + ch];
        }

        long[] shape() {
            return new long[] {n, h, w, c};
        }
    }

    private Nhwc() {
    }

    /** TensorFlow's padding before the input for 'same': half of the total, rounded down. */
    static int padBefore(String padding, int in, int k, int s) {
        if (padding.equals("valid")) {
            return 0;
        }
        int out = (in + s - 1) / s;
        return Math.max((out - 1) * s + k - in, 0) / 2;
    }

    static int outSize(String padding, int in, int k, int s) {
        return padding.equals("same") ? (in + s - 1) / s : (in - k) / s + 1;
    }

    /** Conv2D with an HWIO kernel. */
    static T conv(T x, float[] kernel, int kh, int kw, int cout, int sh, int sw, String padding, float[] bias) {
        int oh = outSize(padding, x.h, kh, sh);
        int ow = outSize(padding, x.w, kw, sw);
        int pt = padBefore(padding, x.h, kh, sh);
        int pl = padBefore(padding, x.w, kw, sw);
        float[] out = new float[x.n * oh * ow * cout];
        for (int b = 0; b < x.n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int o = 0; o < cout; o++) {
                        double sum = bias == null ? 0 : bias[o];
                        for (int di = 0; di < kh; di++) {
                            for (int dj = 0; dj < kw; dj++) {
                                int y = i * sh + di - pt;
                                int xx = j * sw + dj - pl;
                                if (y < 0 || y >= x.h || xx < 0 || xx >= x.w) {
                                    continue; // zero padding
                                }
                                for (int ci = 0; ci < x.c; ci++) {
                                    sum += (double) x.at(b, y, xx, ci) * kernel[((di * kw + dj) * x.c + ci) * cout + o];
                                }
                            }
                        }
                        out[((b * oh + i) * ow + j) * cout + o] = (float) sum;
                    }
                }
            }
        }
        return new T(x.n, oh, ow, cout, out);
    }

    /** DepthwiseConv2D with a [kh, kw, c, m] kernel; output channel c*m + q. */
    static T depthwise(T x, float[] kernel, int kh, int kw, int m, int sh, int sw, String padding, float[] bias) {
        int oh = outSize(padding, x.h, kh, sh);
        int ow = outSize(padding, x.w, kw, sw);
        int pt = padBefore(padding, x.h, kh, sh);
        int pl = padBefore(padding, x.w, kw, sw);
        int cout = x.c * m;
        float[] out = new float[x.n * oh * ow * cout];
        for (int b = 0; b < x.n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ci = 0; ci < x.c; ci++) {
                        for (int q = 0; q < m; q++) {
                            double sum = bias == null ? 0 : bias[ci * m + q];
                            for (int di = 0; di < kh; di++) {
                                for (int dj = 0; dj < kw; dj++) {
                                    int y = i * sh + di - pt;
                                    int xx = j * sw + dj - pl;
                                    if (y >= 0 && y < x.h && xx >= 0 && xx < x.w) {
                                        sum += (double) x.at(b, y, xx, ci) * kernel[((di * kw + dj) * x.c + ci) * m + q];
                                    }
                                }
                            }
                            out[((b * oh + i) * ow + j) * cout + ci * m + q] = (float) sum;
                        }
                    }
                }
            }
        }
        return new T(x.n, oh, ow, cout, out);
    }

    static T batchNorm(T x, float[] gamma, float[] beta, float[] mean, float[] var, double eps) {
        float[] out = new float[x.v.length];
        for (int i = 0; i < out.length; i++) {
            int ch = i % x.c;
            double g = gamma == null ? 1 : gamma[ch];
            double b = beta == null ? 0 : beta[ch];
            out[i] = (float) ((x.v[i] - (double) mean[ch]) / Math.sqrt(var[ch] + eps) * g + b);
        }
        return new T(x.n, x.h, x.w, x.c, out);
    }

    static float[] map(float[] v, java.util.function.DoubleUnaryOperator f) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) f.applyAsDouble(v[i]);
        }
        return out;
    }

    static T map(T x, java.util.function.DoubleUnaryOperator f) {
        return new T(x.n, x.h, x.w, x.c, map(x.v, f));
    }

    /** Max or average pooling; padded positions are ignored, as in TensorFlow. */
    static T pool(T x, boolean max, int kh, int kw, int sh, int sw, String padding) {
        int oh = outSize(padding, x.h, kh, sh);
        int ow = outSize(padding, x.w, kw, sw);
        int pt = padBefore(padding, x.h, kh, sh);
        int pl = padBefore(padding, x.w, kw, sw);
        float[] out = new float[x.n * oh * ow * x.c];
        for (int b = 0; b < x.n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < x.c; ch++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0;
                        for (int di = 0; di < kh; di++) {
                            for (int dj = 0; dj < kw; dj++) {
                                int y = i * sh + di - pt;
                                int xx = j * sw + dj - pl;
                                if (y < 0 || y >= x.h || xx < 0 || xx >= x.w) {
                                    continue;
                                }
                                double v = x.at(b, y, xx, ch);
                                acc = max ? Math.max(acc, v) : acc + v;
                                count++;
                            }
                        }
                        out[((b * oh + i) * ow + j) * x.c + ch] = (float) (max ? acc : acc / count);
                    }
                }
            }
        }
        return new T(x.n, oh, ow, x.c, out);
    }

    static T zeroPad(T x, int top, int bottom, int left, int right) {
        int oh = x.h + top + bottom;
        int ow = x.w + left + right;
        float[] out = new float[x.n * oh * ow * x.c];
        for (int b = 0; b < x.n; b++) {
            for (int y = 0; y < x.h; y++) {
                for (int xx = 0; xx < x.w; xx++) {
                    for (int ch = 0; ch < x.c; ch++) {
                        out[((b * oh + y + top) * ow + xx + left) * x.c + ch] = x.at(b, y, xx, ch);
                    }
                }
            }
        }
        return new T(x.n, oh, ow, x.c, out);
    }

    /** Concatenation on the channel axis. */
    static T concatChannels(T... xs) {
        int c = 0;
        for (T x : xs) {
            c += x.c;
        }
        T f = xs[0];
        float[] out = new float[f.n * f.h * f.w * c];
        int pixel = 0;
        for (int p = 0; p < f.n * f.h * f.w; p++) {
            for (T x : xs) {
                System.arraycopy(x.v, p * x.c, out, pixel, x.c);
                pixel += x.c;
            }
        }
        return new T(f.n, f.h, f.w, c, out);
    }

    static T add(T a, T b) {
        float[] out = new float[a.v.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.v[i] + b.v[i];
        }
        return new T(a.n, a.h, a.w, a.c, out);
    }

    /** Dense on [n, in] with an [in, units] kernel. */
    static float[] dense(float[] x, int n, int in, float[] kernel, int units, float[] bias) {
        float[] out = new float[n * units];
        for (int b = 0; b < n; b++) {
            for (int u = 0; u < units; u++) {
                double sum = bias == null ? 0 : bias[u];
                for (int i = 0; i < in; i++) {
                    sum += (double) x[b * in + i] * kernel[i * units + u];
                }
                out[b * units + u] = (float) sum;
            }
        }
        return out;
    }

    /** Softmax over the last axis of rows of length {@code k}. */
    static float[] softmax(float[] x, int k) {
        float[] out = new float[x.length];
        for (int r = 0; r < x.length / k; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < k; i++) {
                max = Math.max(max, x[r * k + i]);
            }
            double sum = 0;
            for (int i = 0; i < k; i++) {
                sum += Math.exp(x[r * k + i] - max);
            }
            for (int i = 0; i < k; i++) {
                out[r * k + i] = (float) (Math.exp(x[r * k + i] - max) / sum);
            }
        }
        return out;
    }
}
