package io.keshikaran;

import java.util.Objects;

/**
 * What the decoder found in an encoded image, reported with its {@link Classification}: the
 * format, the size in the file and the size the model's preprocessing started from. Immutable.
 *
 * @param format        the format detected from the content, upper case: {@code JPEG}, {@code PNG},
 *                      {@code GIF}, {@code WEBP}, {@code BMP}
 * @param width         the image's width as stored (after EXIF orientation)
 * @param height        the image's height as stored (after EXIF orientation)
 * @param decodedWidth  the width of the pixels handed to the preprocessor; smaller than
 *                      {@code width} when the decoder reduced the resolution
 * @param decodedHeight the height of the pixels handed to the preprocessor
 * @param animated      whether the file holds more than one frame
 */
public record ImageInfo(String format, int width, int height, int decodedWidth, int decodedHeight, boolean animated) {

    /**

     * Validates the values.

     *

     * @param format the format detected from the content, upper case: {@code JPEG}, {@code PNG}, {@code GIF}, {@code WEBP}, {@code BMP}

     * @param width the image's width as stored (after EXIF orientation)

     * @param height the image's height as stored (after EXIF orientation)

     * @param decodedWidth the width of the pixels handed to the preprocessor; smaller than {@code width} when the decoder reduced the resolution

     * @param decodedHeight the height of the pixels handed to the preprocessor

     * @param animated whether the file holds more than one frame

     */

    public ImageInfo {
        Objects.requireNonNull(format, "format");
        if (width <= 0 || height <= 0 || decodedWidth <= 0 || decodedHeight <= 0) {
            throw new IllegalArgumentException("sizes must be positive, got " + width + "x" + height
                    + " decoded as " + decodedWidth + "x" + decodedHeight);
        }
    }
}
