package io.keshikaran.preprocess;

/** How an image is resampled to the model's input size. */
public enum ResizeMethod {
    /**
     * TensorFlow's {@code resizeBilinear(alignCorners = true)}: corner pixels map onto corner
     * pixels, no antialiasing, computed in float on already scaled samples. What nsfwjs uses;
     * reproduced exactly.
     */
    BILINEAR_ALIGN_CORNERS,
    /**
     * Pillow's {@code Image.resize(size, BILINEAR)}, to the bit: half-pixel centres, a triangle filter
     * widened by the scale factor when shrinking (so it is antialiased), 8-bit fixed-point arithmetic
     * with rounding. What Yahoo open_nsfw's and Hugging Face's (Falconsai) reference code use.
     */
    BILINEAR,
    /**
     * Pillow's {@code Image.resize(size, BICUBIC)} (a = -0.5), to the bit: antialiased when shrinking,
     * rounded and clamped to 8 bits. What kleamp1e's reference code uses.
     */
    BICUBIC,
    /** Pillow's {@code Image.resize(size, NEAREST)}: the pixel under each output pixel's centre. */
    NEAREST
}
