package io.keshikaran.video.internal;

import io.keshikaran.image.RgbImage;

/** Turns frames as a player does for a video with a display-matrix rotation (portrait phone clips). */
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
        int w = image.width();
        int h = image.height();
        boolean swap = clockwise != 180;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                switch (clockwise) {
                    case 90 -> { dx = h - 1 - y; dy = x; }
                    case 180 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    default -> { dx = y; dy = w - 1 - x; } // 270
                }
                int s = (y * w + x) * 3;
                int d = (dy * ow + dx) * 3;
                out[d] = (byte) image.sampleAt(s);
                out[d + 1] = (byte) image.sampleAt(s + 1);
                out[d + 2] = (byte) image.sampleAt(s + 2);
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
