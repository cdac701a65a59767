package io.keshikaran.internal.image;

/**
 * The box average that reduced decoding uses wherever keshikaran averages on the heap (PNG rows as
 * they are unfiltered, sampled animation frames): each output pixel the rounded mean of a
 * {@code factor x factor} block, factor 2, 4 or 8, the last partial row and column of blocks
 * dropped, as the native decoder's average does.
 */
final class BoxAverage {
    private BoxAverage() {
    }

    /**
     * Adds each block's {@code factor} pixels of one row to its output pixel's sums: the pixels'
     * samples start at {@code from}, {@code channels} per pixel, R, G and B first. Summing across
     * first keeps the running sums in registers and touches the sums array once per block.
     */
    static void addBlocks(byte[] row, int from, int channels, int factor, int[] sums) {
        for (int s = 0, p = from; s < sums.length; s += 3) {
            int r = 0;
            int g = 0;
            int b = 0;
            for (int j = 0; j < factor; j++, p += channels) {
                r += row[p] & 0xFF;
                g += row[p + 1] & 0xFF;
                b += row[p + 2] & 0xFF;
            }
            sums[s] += r;
            sums[s + 1] += g;
            sums[s + 2] += b;
        }
    }

    /**
     * Writes one row of output pixels, each the rounded mean of its block's sums (a block's area is
     * {@code 1 << areaShift}: 4, 16 or 64), and clears the sums.
     */
    static void averageBlocks(int[] sums, int areaShift, byte[] out, int o) {
        int half = 1 << areaShift >> 1;
        for (int i = 0; i < sums.length; i++) {
            out[o + i] = (byte) ((sums[i] + half) >> areaShift);
            sums[i] = 0;
        }
    }

    /**
     * Interleaved RGB samples averaged over {@code factor x factor} blocks.
     *
     * @param rgb    {@code width * height * 3} samples
     * @param factor 2, 4 or 8, at most the width and the height
     * @return {@code (width / factor) * (height / factor) * 3} samples
     */
    static byte[] reduce(byte[] rgb, int width, int height, int factor) {
        int outWidth = width / factor;
        int outHeight = height / factor;
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(outWidth, outHeight), 3)];
        int[] sums = new int[outWidth * 3];
        int areaShift = Integer.numberOfTrailingZeros(factor * factor);
        for (int y = 0; y < outHeight * factor; y++) {
            addBlocks(rgb, y * width * 3, 3, factor, sums);
            if ((y + 1) % factor == 0) {
                averageBlocks(sums, areaShift, out, (y / factor) * outWidth * 3);
            }
        }
        return out;
    }
}
