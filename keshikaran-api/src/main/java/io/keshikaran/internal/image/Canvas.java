package io.keshikaran.internal.image;

import java.util.Arrays;

/**
 * The canvas an animation's frames are drawn onto, as browsers do: GIF, animated WebP and APNG store
 * most frames as changed rectangles over the previous picture, so a frame on its own is not what a
 * viewer sees. Starts fully transparent (stored colour black), like libwebp's and browsers'
 * decoders. Not thread-safe; one per decode.
 */
final class Canvas {
    final int width;
    final int height;
    private byte[] rgb;
    private byte[] alpha;

    Canvas(int width, int height) {
        this.width = width;
        this.height = height;
        int pixels = Math.multiplyExact(width, height);
        this.rgb = new byte[Math.multiplyExact(pixels, 3)];
        this.alpha = new byte[pixels];
    }

    /**
     * Draws a frame with its top-left corner at (x, y); whatever falls outside the canvas is
     * clipped.
     *
     * @param blend true: alpha-blend over the canvas (GIF, WebP's default); false: replace the
     *              rectangle including its alpha (WebP's "do not blend")
     */
    void draw(Pixels frame, int x, int y, boolean blend) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = (int) Math.min(width, (long) x + frame.width);
        int y1 = (int) Math.min(height, (long) y + frame.height);
        int n = x1 - x0;
        if (n <= 0) {
            return;
        }
        for (int cy = y0; cy < y1; cy++) {
            int s0 = (cy - y) * frame.width + (x0 - x);
            int d0 = cy * width + x0;
            if (frame.alpha == null || !blend) {
                // Whole rows replace what is there: copied in one go (a call per pixel cost more
                // than the rest of an animated WebP's compositing).
                System.arraycopy(frame.rgb, s0 * 3, rgb, d0 * 3, n * 3);
                if (frame.alpha == null) {
                    Arrays.fill(alpha, d0, d0 + n, (byte) 0xFF);
                } else {
                    System.arraycopy(frame.alpha, s0, alpha, d0, n);
                }
                continue;
            }
            for (int s = s0, d = d0; s < s0 + n; s++, d++) {
                int sa = frame.alpha[s] & 0xFF;
                if (sa == 255) {
                    alpha[d] = (byte) 0xFF;
                    rgb[d * 3] = frame.rgb[s * 3];
                    rgb[d * 3 + 1] = frame.rgb[s * 3 + 1];
                    rgb[d * 3 + 2] = frame.rgb[s * 3 + 2];
                } else if (sa != 0) {
                    // WebP's non-premultiplied "over": out.a = s.a + d.a * (1 - s.a).
                    int da = alpha[d] & 0xFF;
                    int dw = da * (255 - sa) / 255;
                    int oa = sa + dw;
                    for (int c = 0; c < 3; c++) {
                        int sc = frame.rgb[s * 3 + c] & 0xFF;
                        int dc = rgb[d * 3 + c] & 0xFF;
                        rgb[d * 3 + c] = (byte) ((sc * sa + dc * dw + oa / 2) / oa);
                    }
                    alpha[d] = (byte) oa;
                }
            }
        }
    }

    /**
     * Draws one row of palette indexes with its first pixel at (x, y), clipped like {@link #draw}:
     * what a GIF frame decoded to indexes gives through {@link #draw} with blending, without the
     * frame's RGB and alpha planes in between.
     *
     * @param palette     RGB triplets, {@code mask + 1} of them
     * @param mask        the bits of each index that count (ImageIO's raster keeps only those)
     * @param transparent the index that leaves the canvas as it is, or -1
     */
    void drawIndexed(byte[] indexes, int from, int count, int x, int y, byte[] palette, int mask, int transparent) {
        if (y < 0 || y >= height) {
            return;
        }
        int x0 = Math.max(0, x);
        int x1 = (int) Math.min(width, (long) x + count);
        byte[] rgb = this.rgb;
        byte[] alpha = this.alpha;
        for (int s = from + x0 - x, d = y * width + x0, end = y * width + x1; d < end; s++, d++) {
            int i = indexes[s] & mask;
            if (i != transparent) {
                int p = 3 * i;
                int o = 3 * d;
                rgb[o] = palette[p];
                rgb[o + 1] = palette[p + 1];
                rgb[o + 2] = palette[p + 2];
                alpha[d] = (byte) 0xFF;
            }
        }
    }

    /** Makes a rectangle fully transparent again (disposal to background). */
    void clear(int x, int y, int w, int h) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = (int) Math.min(width, (long) x + w);
        int y1 = (int) Math.min(height, (long) y + h);
        if (x1 <= x0) {
            return;
        }
        for (int cy = y0; cy < y1; cy++) {
            int d = cy * width + x0;
            Arrays.fill(alpha, d, d + x1 - x0, (byte) 0);
            Arrays.fill(rgb, d * 3, (d + x1 - x0) * 3, (byte) 0);
        }
    }

    /** Puts back content taken with {@link #snapshot()}, for GIF's "restore to previous" disposal. */
    void restore(Pixels saved) {
        rgb = saved.rgb.clone();
        alpha = saved.alpha.clone();
    }

    /** A copy of what the canvas shows now. */
    Pixels snapshot() {
        return new Pixels(width, height, rgb.clone(), alpha.clone());
    }
}
