package io.keshikaran.image;

/**
 * Limits that protect a process from hostile or broken images. Both are checked before decoding
 * allocates any pixel memory: the file size before reading, the pixel count from the image header.
 *
 * <p>Defaults: {@value #DEFAULT_MAX_FILE_BYTES} bytes (64 MiB) and {@value #DEFAULT_MAX_PIXELS}
 * pixels (100 megapixels, about 300 MB of RGB while decoding).
 *
 * @param maxFileBytes the largest encoded image accepted, in bytes
 * @param maxPixels    the largest {@code width * height} accepted
 */
public record ImageLimits(long maxFileBytes, long maxPixels) {
    /** 64 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** 100 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    /**

     * Validates that both limits are positive.

     *

     * @param maxFileBytes the largest encoded image accepted, in bytes

     * @param maxPixels the largest {@code width * height} accepted

     */

    public ImageLimits {
        if (maxFileBytes <= 0) {
            throw new IllegalArgumentException("maxFileBytes must be positive, got " + maxFileBytes);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
    }

    /**
     * The default limits.
     *
     * @return the default limits
     */
    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PIXELS);
    }

    /**
     * A copy with another file-size limit.
     *
     * @param bytes the largest accepted file, in bytes
     * @return a copy with another file-size limit
     */
    public ImageLimits withMaxFileBytes(long bytes) {
        return new ImageLimits(bytes, maxPixels);
    }

    /**
     * A copy with another pixel-count limit.
     *
     * @param pixels the most pixels accepted
     * @return a copy with another pixel-count limit
     */
    public ImageLimits withMaxPixels(long pixels) {
        return new ImageLimits(maxFileBytes, pixels);
    }
}
