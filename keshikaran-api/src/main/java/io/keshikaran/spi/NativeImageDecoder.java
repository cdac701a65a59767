package io.keshikaran.spi;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;

/**
 * A decoder backed by native code (such as keshikaran-leptonica's libjpeg-turbo, libwebp and libpng,
 * or keshikaran-video's FFmpeg for HEIF and AVIF) that keshikaran's image decoder uses, when found
 * with {@link java.util.ServiceLoader}, for the still images it can decode exactly as the Java path
 * would (or, for lossy WebP, as libwebp does). Several may be present: each input goes to the first,
 * in {@code ServiceLoader} order, whose {@link #probe} returns a header, and is decoded by that one.
 * Everything else (CMYK/YCCK, ICC conversion, 16-bit, animations, other formats) and every input
 * they decline or fail on goes to ImageIO; except that an animated WebP's frames are handed over one
 * by one, each as a still WebP file, and that formats ImageIO does not read ({@code HEIF},
 * {@code AVIF}) are never handed to it: their failures are the input's errors, with the decoder's
 * reason.
 *
 * <p>The caller, not the implementation, enforces {@link io.keshikaran.image.ImageLimits} (from
 * {@link #probe}'s header, before {@link #decode}), applies EXIF orientation and transparency, and
 * applies an embedded ICC profile: implementations ignore EXIF orientation and
 * return stored colours plus alpha. Implementations must be thread-safe and hold no native memory
 * between calls.
 */
public interface NativeImageDecoder {
    /**
     * A short name for logs.
     *
     * @return the name, such as {@code "leptonica"}
     */
    String name();

    /**
     * The formats this decoder reads that ImageIO does not, named in the list of supported formats
     * that an unrecognised input's error gives.
     *
     * @return lower-case names, such as {@code heif} and {@code avif}; empty by default
     */
    default Set<String> formatsBeyondImageIo() {
        return Set.of();
    }

    /**
     * Loads the native code if not done yet.
     *
     * @return {@code null} when the decoder can be used, else why not (such as an unsupported
     *         platform); never throws
     */
    String unavailableReason();

    /**
     * Reads the header of an encoded image, without decoding pixels.
     *
     * @param encoded the whole file
     * @return the header, or {@code null} when this decoder does not handle this input (another
     *         format, CMYK, 16-bit, an animation, a truncated-looking file...)
     * @throws IOException when the input is in a format only this decoder reads but is damaged;
     *                     its message is the reason reported for the input (an
     *                     {@link UnsupportedImageException} says instead that it is of a kind this
     *                     decoder does not decode, reported as an unsupported format)
     */
    Header probe(byte[] encoded) throws IOException;

    /**
     * Decodes a probed image, reduced by {@code reduction} in each dimension when that is cheaper
     * than decoding every pixel (JPEG's DCT scaling) or when it saves memory (area averaging).
     *
     * @param encoded   the whole file, as given to {@link #probe}
     * @param header    what {@link #probe} returned for it
     * @param reduction 1, 2, 4 or 8; the result may be larger than {@code size / reduction} (a
     *                  decoder may ignore it), never smaller than {@code ceil(size / reduction) - 1}
     * @return the stored pixels
     * @throws IOException when the data cannot be decoded; the caller then tries ImageIO, which
     *                     reports the error (for {@code HEIF} and {@code AVIF}, which ImageIO does
     *                     not read, the caller reports this exception's message as the reason)
     */
    Pixels decode(byte[] encoded, Header header, int reduction) throws IOException;

    /**
     * The most native memory that decoding this image holds at once for its pixels (decoded
     * images, the codec's per-image state such as frames and row caches), when this decoder knows
     * it better than keshikaran's estimate for the format (docs/performance.md, "Memory"). The
     * caller adds a copy of the file and 4 MiB for the codec's fixed buffers, and reserves the sum
     * from the native decodes' shared budget before {@link #decode}, so an estimate too low lets
     * more large images decode at once than the budget allows, and one too high makes them take
     * turns.
     *
     * @param encoded   the whole file, as given to {@link #probe}
     * @param header    what {@link #probe} returned for it
     * @param reduction what will be passed to {@link #decode}
     * @return bytes, or a negative number (the default) for keshikaran's estimate for the format
     */
    default long nativeMemory(byte[] encoded, Header header, int reduction) {
        return -1;
    }

    /**
     * What {@link #probe} learns from the header.
     *
     * @param format     the format as ImageIO names it, upper case: {@code JPEG}, {@code PNG} or
     *                   {@code WEBP}; {@code HEIF} or {@code AVIF} for HEIF files (HEVC) and AVIF files
     * @param width      stored width (EXIF orientation not applied); for HEIF and AVIF the width
     *                   after the file's own rotation and mirror properties ({@code irot},
     *                   {@code imir}), which {@link #decode} applies
     * @param height     stored height, likewise
     * @param iccProfile the embedded ICC profile, or {@code null}; the caller converts the decoded
     *                   colours from an RGB profile and leaves a gray or malformed one to ImageIO
     */
    record Header(String format, int width, int height, byte[] iccProfile) {
        /**
         * Validates the header.
         *
         * @param format     the format as ImageIO names it, upper case
         * @param width      stored width
         * @param height     stored height
         * @param iccProfile the embedded ICC profile, or {@code null}
         */
        public Header {
            Objects.requireNonNull(format, "format");
        }
    }

    /**
     * Decoded 8-bit pixels.
     *
     * @param width  width in pixels
     * @param height height in pixels
     * @param rgb    interleaved R, G, B samples, {@code width * height * 3}
     * @param alpha  one alpha sample per pixel, or {@code null} when the image has no alpha
     */
    record Pixels(int width, int height, byte[] rgb, byte[] alpha) {
        /**
         * Validates that the arrays match the size.
         *
         * @param width  width in pixels
         * @param height height in pixels
         * @param rgb    interleaved R, G, B samples, {@code width * height * 3}
         * @param alpha  one alpha sample per pixel, or {@code null}
         * @throws IllegalArgumentException when a size is not positive or an array's length does not match it
         */
        public Pixels {
            Objects.requireNonNull(rgb, "rgb");
            if (width <= 0 || height <= 0 || rgb.length != (long) width * height * 3
                    || (alpha != null && alpha.length != (long) width * height)) {
                throw new IllegalArgumentException("inconsistent pixels: " + width + "x" + height
                        + ", rgb " + rgb.length + (alpha != null ? ", alpha " + alpha.length : ""));
            }
        }
    }
}
