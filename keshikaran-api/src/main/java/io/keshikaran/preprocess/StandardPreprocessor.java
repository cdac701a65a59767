package io.keshikaran.preprocess;

import io.keshikaran.image.RgbImage;

import java.util.Objects;

/** The {@link Preprocessor} for any {@link PreprocessingSpec}. Stateless, thread-safe. */
final class StandardPreprocessor implements Preprocessor {
    private final PreprocessingSpec spec;
    /** {@code v / pixelDivisor} for every 8-bit sample, rounded to float32 as nsfwjs does. */
    private final float[] scaled = new float[256];
    private final int[] sourceChannel = new int[3];
    private final float[] mean;
    private final float[] std;

    StandardPreprocessor(PreprocessingSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        for (int v = 0; v < 256; v++) {
            scaled[v] = (float) (v / (double) spec.pixelDivisor());
        }
        boolean bgr = spec.channelOrder() == ChannelOrder.BGR;
        for (int c = 0; c < 3; c++) {
            sourceChannel[c] = bgr ? 2 - c : c;
        }
        this.mean = spec.mean();
        this.std = spec.std();
    }

    @Override
    public PreprocessingSpec spec() {
        return spec;
    }

    @Override
    public FloatTensor preprocess(RgbImage image) {
        int rh = spec.resizeHeight();
        int rw = spec.resizeWidth();
        float[] resized;
        if (spec.jpegRoundTripQuality() > 0) {
            byte[] pixels = JpegRoundTrip.apply(Resampler.resizePillow(image, rh, rw, spec.resize()), rw, rh,
                    spec.jpegRoundTripQuality());
            resized = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                resized[i] = scaled[pixels[i] & 0xFF];
            }
        } else {
            resized = Resampler.resample(image, scaled, rh, rw, spec.resize());
        }
        int h = spec.height();
        int w = spec.width();
        int top = (rh - h) / 2;
        int left = (rw - w) / 2;
        float[] out = new float[h * w * 3];
        boolean nhwc = spec.layout() == Layout.NHWC;
        boolean identity = mean[0] == 0f && mean[1] == 0f && mean[2] == 0f
                && std[0] == 1f && std[1] == 1f && std[2] == 1f;
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            int srcRow = ((y + top) * rw + left) * 3;
            for (int x = 0; x < w; x++) {
                int src = srcRow + x * 3;
                for (int c = 0; c < 3; c++) {
                    float v = resized[src + sourceChannel[c]];
                    // Skipping the no-op arithmetic keeps nsfwjs's values bit-identical.
                    if (!identity) {
                        v = (v - mean[c]) / std[c];
                    }
                    int dst = nhwc ? (y * w + x) * 3 + c : c * plane + y * w + x;
                    out[dst] = v;
                }
            }
        }
        return new FloatTensor(out, spec.inputShape());
    }

    @Override
    public String toString() {
        return "StandardPreprocessor[" + spec + "]";
    }
}
