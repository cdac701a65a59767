package io.keshikaran.djl;

import io.keshikaran.image.RgbImage;

/** Known-pixel images. */
final class ModelPresetTestImages {
    private ModelPresetTestImages() {
    }

    /** A flat grey image. */
    static RgbImage solid(int w, int h, int grey) {
        byte[] rgb = new byte[w * h * 3];
        java.util.Arrays.fill(rgb, (byte) grey);
        return new RgbImage(w, h, rgb);
    }
}
