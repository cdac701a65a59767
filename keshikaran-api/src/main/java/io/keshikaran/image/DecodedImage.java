package io.keshikaran.image;

import java.util.List;
import java.util.Objects;

/**
 * An image file decoded with {@link DecodeOptions}: one frame for a still image, the sampled frames
 * for an animation. Immutable and thread-safe.
 */
public final class DecodedImage {
    private final String format;
    private final boolean animated;
    private final List<Frame> frames;
    private final int width;
    private final int height;

    /**
     * One sampled frame.
     *
     * @param index the frame's position in the file, from 0
     * @param image its pixels, composited onto the animation's canvas
     */
    public record Frame(int index, RgbImage image) {
        /**
         * Validates the arguments.
         *
         * @param index the frame's position in the file, from 0
         * @param image its pixels, composited onto the animation's canvas
         */
        public Frame {
            if (index < 0) {
                throw new IllegalArgumentException("index must not be negative, got " + index);
            }
            Objects.requireNonNull(image, "image");
        }
    }

    /**
     * @param format   the detected format, such as {@code "JPEG"}
     * @param animated whether the file holds more than one frame
     * @param frames   the sampled frames, at least one, in file order
     */
    public DecodedImage(String format, boolean animated, List<Frame> frames) {
        this(format, animated, frames, 0, 0);
    }

    /**
     * An image decoded at a reduced resolution: its frames are smaller than the file's image.
     *
     * @param format   the detected format, such as {@code "JPEG"}
     * @param animated whether the file holds more than one frame
     * @param frames   the sampled frames, at least one, in file order
     * @param width    the image's width in the file, after orientation; 0 for the first frame's
     * @param height   the image's height in the file, after orientation; 0 for the first frame's
     */
    public DecodedImage(String format, boolean animated, List<Frame> frames, int width, int height) {
        this.format = Objects.requireNonNull(format, "format");
        this.frames = List.copyOf(frames);
        if (this.frames.isEmpty()) {
            throw new IllegalArgumentException("an image has at least one frame");
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + width + "x" + height);
        }
        this.animated = animated;
        this.width = width > 0 ? width : first().width();
        this.height = height > 0 ? height : first().height();
    }

    /**
     * The image's width as stored in the file (after EXIF orientation), which is larger than the
     * frames' when the decoder reduced the resolution.
     *
     * @return the width in pixels
     */
    public int width() {
        return width;
    }

    /**
     * The image's height as stored in the file (after EXIF orientation).
     *
     * @return the height in pixels
     */
    public int height() {
        return height;
    }

    /**
     * The format detected from the content, upper case: {@code JPEG}, {@code PNG}, {@code GIF}, {@code WEBP}, {@code BMP}, ...
     *
     * @return the format detected from the content, upper case: {@code JPEG}, {@code PNG}, {@code GIF}, {@code WEBP}, {@code BMP}, 
     */
    public String format() {
        return format;
    }

    /**
     * Whether the file is an animation (more than one frame), even if only one frame was sampled.
     *
     * @return whether the file is an animation (more than one frame), even if only one frame was sampled
     */
    public boolean isAnimated() {
        return animated;
    }

    /**
     * The sampled frames in file order; one for a still image.
     *
     * @return the sampled frames in file order; one for a still image
     */
    public List<Frame> frames() {
        return frames;
    }

    /**
     * The first sampled frame, which for a still image is the image.
     *
     * @return the first sampled frame, which for a still image is the image
     */
    public RgbImage first() {
        return frames.get(0).image();
    }

    @Override
    public String toString() {
        return "DecodedImage[" + format + (animated ? ", animated, " + frames.size() + " frames sampled" : "")
                + ", " + first().width() + "x" + first().height() + "]";
    }
}
