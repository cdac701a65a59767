package io.keshikaran.preprocess;

/** How an image is resampled to the model's input size. */
public enum ResizeMethod {
    /**
     * TensorFlow's {@code resizeBilinear(alignCorners = true)}: corner pixels map onto corner
     * pixels, no antialiasing. What nsfwjs uses; reproduced exactly.
     */
    BILINEAR_ALIGN_CORNERS,
    /**
     * Bilinear with half-pixel centres, antialiased when shrinking (a triangle filter widened by
     * the scale factor), like Pillow's {@code Image.resize(BILINEAR)}.
     */
    BILINEAR,
    /** Bicubic (a = -0.5) with half-pixel centres, antialiased when shrinking, like Pillow's BICUBIC. */
    BICUBIC,
    /** Nearest neighbour with half-pixel centres, like Pillow's NEAREST. */
    NEAREST
}
