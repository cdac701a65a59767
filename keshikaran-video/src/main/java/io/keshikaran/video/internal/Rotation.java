package io.keshikaran.video.internal;

import io.keshikaran.image.RgbImage;

/**
 * Turns frames as a player does for a video with a display-matrix rotation (portrait phone clips),
 * and HEIF images as their rotation and mirror properties say.
 */
final class Rotation {
    private Rotation() {
    }

    /**
     * @param image     the frame as stored
     * @param clockwise 0, 90, 180 or 270
     * @return the frame as shown
     */
    static RgbImage rotate(RgbImage image, int clockwise) {
        if (clockwise == 0) {
            return image;
        }
        boolean swap = clockwise != 180;
        byte[] out = rotate(image.toByteArray(), image.width(), image.height(), clockwise);
        return new RgbImage(swap ? image.height() : image.width(), swap ? image.width() : image.height(), out);
    }

    /**
     * @param rgb       interleaved RGB samples of a {@code w x h} image
     * @param clockwise 0, 90, 180 or 270
     * @return the samples turned; {@code w} and {@code h} swap for 90 and 270
     */
    static byte[] rotate(byte[] rgb, int w, int h, int clockwise) {
        return rotate(rgb, w, h, 3, clockwise);
    }

    /**
     * @param samples   {@code channels} interleaved samples per pixel of a {@code w x h} image
     * @param clockwise 0, 90, 180 or 270
     * @return the samples turned; {@code w} and {@code h} swap for 90 and 270
     */
    static byte[] rotate(byte[] samples, int w, int h, int channels, int clockwise) {
        if (clockwise == 0) {
            return samples;
        }
        int ow = clockwise != 180 ? h : w;
        byte[] out = new byte[w * h * channels];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                switch (clockwise) {
                    case 90 -> { dx = h - 1 - y; dy = x; }
                    case 180 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    default -> { dx = y; dy = w - 1 - x; } // 270
                }
                System.arraycopy(samples, (y * w + x) * channels, out, (dy * ow + dx) * channels, channels);
            }
        }
        return out;
    }

    /**
     * @param rgb       interleaved RGB samples of a {@code w x h} image
     * @param topBottom exchange the top and bottom (else left and right)
     * @return the samples mirrored
     */
    static byte[] mirror(byte[] rgb, int w, int h, boolean topBottom) {
        return mirror(rgb, w, h, 3, topBottom);
    }

    /**
     * @param samples   {@code channels} interleaved samples per pixel of a {@code w x h} image
     * @param topBottom exchange the top and bottom (else left and right)
     * @return the samples mirrored
     */
    static byte[] mirror(byte[] samples, int w, int h, int channels, boolean topBottom) {
        byte[] out = new byte[samples.length];
        int row = w * channels;
        for (int y = 0; y < h; y++) {
            if (topBottom) {
                System.arraycopy(samples, y * row, out, (h - 1 - y) * row, row);
            } else {
                for (int x = 0; x < w; x++) {
                    System.arraycopy(samples, y * row + x * channels, out, y * row + (w - 1 - x) * channels, channels);
                }
            }
        }
        return out;
    }
}
