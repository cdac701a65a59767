package io.keshikaran.image;

/**
 * Limits that protect a process from hostile or broken images. Both are checked before decoding
 * allocates any pixel memory: the file size before reading, the pixel count from the image header
 * (after the decoder has checked that the header agrees with the file's structure).
 *
 * <p><b>Memory bound.</b> With {@code F = maxFileBytes} and {@code P = maxPixels}, one decode holds
 * at most about
 * <pre>  2 F + 55 P bytes of heap</pre>
 * (the input and a copy, plus the decoder's cost model, docs/images.md: 40 bytes per pixel for a
 * lossy WebP frame, whose pure-Java decoder needs about 30, 24 for a lossless one, 22 for the other
 * formats' stills, and for animations 15 per canvas pixel for the canvas and the sampled frames,
 * whose pixels the animation budget also bounds by {@code P}). Before a decoder allocates, the decode reserves its
 * estimate from a budget of half the JVM's maximum heap shared by all decodes: decodes wait while
 * others hold it, and one whose estimate exceeds it is refused with an
 * InvalidImageException. So for a server, size the heap so that
 * {@code 2 x (2 F + 55 P)} fits, or accept that the largest images are refused: with the defaults
 * one decode may need 5.6 GB (an 11 GB heap); with {@code P} = 40 megapixels and {@code F} = 20 MB,
 * 2.2 GB (a 4.5 GB heap). These worst cases are lossy WebP (a 256 MB heap decodes lossy WebPs up
 * to about 3 megapixels); JPEG and PNG stills are decoded at reduced resolution when a classifier
 * sets the target size, and need far less. A native decoder (keshikaran-leptonica) allocates outside
 * the heap instead, about {@code F + 8 P} bytes for PNG and WebP (plus {@code 6 P} for a progressive
 * JPEG), reserved from a separate budget of 192 MiB (system property
 * {@code keshikaran.decoder.nativeMemory}): an image larger than that budget decodes alone.
 *
 * <p>Defaults: {@value #DEFAULT_MAX_FILE_BYTES} bytes (64 MiB) and {@value #DEFAULT_MAX_PIXELS}
 * pixels (100 megapixels).
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
