package io.keshikaran.testkit;

import io.keshikaran.spi.NativeImageDecoder;

/**
 * The reference the native decoders' reduced output is checked against: the mean of each
 * {@code factor x factor} block of a full decode, rounded, the last partial row and column of
 * blocks dropped. Lent to the native modules' tests (Leptonica, FFmpeg) through keshikaran-api's
 * test jar.
 */
public final class BoxAverage {
    private BoxAverage() {
    }

    /**
     * Averages a full decode's RGB samples over blocks.
     *
     * @param full   a full-size decode
     * @param factor the block side
     * @return {@code (width / factor) x (height / factor)} interleaved RGB samples
     */
    public static byte[] of(NativeImageDecoder.Pixels full, int factor) {
        int width = full.width() / factor;
        int height = full.height() / factor;
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        for (int dx = 0; dx < factor; dx++) {
                            sum += full.rgb()[((y * factor + dy) * full.width() + x * factor + dx) * 3 + c] & 0xFF;
                        }
                    }
                    out[(y * width + x) * 3 + c] = (byte) Math.round(sum / (double) (factor * factor));
                }
            }
        }
        return out;
    }
}
