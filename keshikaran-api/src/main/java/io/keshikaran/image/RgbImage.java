package io.keshikaran.image;

import io.keshikaran.internal.image.ImageAccess;
import io.keshikaran.internal.image.Pixels;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.InputStream;
import java.util.Objects;

/**
 * A decoded image as 8-bit RGB samples, interleaved row by row ({@code R,G,B,R,G,B,...}).
 * Immutable and thread-safe.
 *
 * <p>This is the one pixel format every {@link io.keshikaran.preprocess.Preprocessor} consumes, so
 * the choices that decide the pixel values (how gray, 16-bit, palette and colour-managed images
 * become RGB) are made in one place, shared by {@link #from(BufferedImage)} and
 * the classifier's decoder; transparency, orientation and animation frames follow the decoder's
 * {@link DecodeOptions}.
 */
public final class RgbImage {
    // The decoder (io.keshikaran.internal.image) takes ownership of its buffers and reads inputs
    // through this bridge, so that neither becomes public API.
    static {
        ImageAccess.register(new ImageAccess.Bridge() {
            @Override
            public RgbImage wrap(int width, int height, byte[] rgb) {
                return new RgbImage(rgb, width, height);
            }

            @Override
            public RgbImage oriented(RgbImage image, int orientation) {
                return image.oriented(orientation);
            }

            @Override
            public byte[] bytes(ImageInput input) {
                return input.bytes();
            }

            @Override
            public InputStream stream(ImageInput input) {
                return input.stream();
            }
        });
    }

    private final int width;
    private final int height;
    private final byte[] rgb;

    /**
     * Creates an image from interleaved RGB samples.
     *
     * @param rgb {@code width * height * 3} bytes; copied
     * @param width width in pixels
     * @param height height in pixels
     */
    public RgbImage(int width, int height, byte[] rgb) {
        this(Objects.requireNonNull(rgb, "rgb").clone(), width, height);
    }

    // Takes ownership of the array: the decoders hand over buffers nobody else references, and
    // copying a 60 MB buffer per photo would be pure waste.
    private RgbImage(byte[] rgb, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("expected " + ((long) width * height * 3)
                    + " RGB bytes for " + width + "x" + height + ", got " + rgb.length);
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    /**
     * Width in pixels.
     *
     * @return width in pixels
     */
    public int width() {
        return width;
    }

    /**
     * Height in pixels.
     *
     * @return height in pixels
     */
    public int height() {
        return height;
    }

    /**
     * {@code width * height}.
     *
     * @return {@code width * height}
     */
    public long pixelCount() {
        return (long) width * height;
    }

    /**
     * The red, green or blue sample (channel 0, 1 or 2) of pixel (x, y), 0..255.
     *
     * @param x column, from 0
     * @param y row, from 0
     * @param channel 0 red, 1 green, 2 blue
     * @return the red, green or blue sample (channel 0, 1 or 2) of pixel (x, y), 0..255
     */
    public int sample(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }

    /**
     * A copy of the interleaved RGB samples.
     *
     * @return a copy of the interleaved RGB samples
     */
    public byte[] toByteArray() {
        return rgb.clone();
    }

    /**
     * Reads the sample of index {@code i} of the interleaved buffer without copying it. Intended
     * for preprocessors that walk the whole image.
     *
     * @param i index into the interleaved samples
     * @return the sample, 0..255
     */
    public int sampleAt(int i) {
        return rgb[i] & 0xFF;
    }

    /**
     * Converts a {@link BufferedImage} to RGB with nsfwjs's decoder's rules.
     *
     * <p>The rules, chosen to give the same pixels as nsfwjs's decoder (libjpeg-turbo/libpng):
     * <ul>
     *   <li>sRGB images: the stored samples, untouched (no colour management round trip);</li>
     *   <li>gray images: R = G = B = the stored gray sample (not {@code getRGB()}, which would apply
     *       a linear-to-sRGB curve);</li>
     *   <li>16-bit samples: the high byte, {@code v >> 8};</li>
     *   <li>palette images: the palette colour of each index;</li>
     *   <li>alpha: dropped, keeping the stored colour under transparent pixels (the classifier's
     *       decoder applies {@link DecodeOptions} instead);</li>
     *   <li>any other colour space (an embedded ICC profile, CMYK converted by a plugin): converted
     *       to sRGB by Java2D.</li>
     * </ul>
     *
     * @param image the image
     * @return the RGB image
     */
    public static RgbImage from(BufferedImage image) {
        return Pixels.ignoringAlpha(image);
    }

    /**
     * This image as a viewer shows it given an EXIF orientation tag value (1 to 8): rotated and/or
     * mirrored. Values outside 1..8 are treated as 1.
     *
     * @param orientation the EXIF orientation tag value, 1 to 8
     * @return this image as a viewer shows it given an EXIF orientation tag value (1 to 8): rotated and/or mirrored
     */
    private RgbImage oriented(int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return this;
        }
        boolean swap = orientation >= 5;
        int ow = swap ? height : width;
        int oh = swap ? width : height;
        byte[] out = new byte[rgb.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int dx;
                int dy;
                switch (orientation) {
                    case 2 -> { dx = width - 1 - x; dy = y; }
                    case 3 -> { dx = width - 1 - x; dy = height - 1 - y; }
                    case 4 -> { dx = x; dy = height - 1 - y; }
                    case 5 -> { dx = y; dy = x; }
                    case 6 -> { dx = height - 1 - y; dy = x; }
                    case 7 -> { dx = height - 1 - y; dy = width - 1 - x; }
                    default -> { dx = y; dy = width - 1 - x; } // 8
                }
                int s = (y * width + x) * 3;
                int d = (dy * ow + dx) * 3;
                out[d] = rgb[s];
                out[d + 1] = rgb[s + 1];
                out[d + 2] = rgb[s + 2];
            }
        }
        return new RgbImage(out, ow, oh);
    }

    /**
     * A small copy for display (a review queue's or a report's thumbnail): scaled down to fit a
     * {@code maxSide} square, keeping the aspect ratio, by averaging every source pixel that falls
     * in each target pixel, so nothing is skipped or aliased. An image that already fits is
     * returned as is.
     *
     * @param maxSide the longest side of the result, in pixels; at least 1
     * @return this image, or a scaled-down copy
     */
    public RgbImage scaledToFit(int maxSide) {
        if (maxSide < 1) {
            throw new IllegalArgumentException("maxSide must be at least 1, got " + maxSide);
        }
        if (width <= maxSide && height <= maxSide) {
            return this;
        }
        double factor = (double) maxSide / Math.max(width, height);
        int ow = Math.max(1, (int) Math.round(width * factor));
        int oh = Math.max(1, (int) Math.round(height * factor));
        long[] sums = new long[ow * 3];
        int[] counts = new int[ow];
        byte[] out = new byte[ow * oh * 3];
        int sy = 0;
        for (int oy = 0; oy < oh; oy++) {
            int syEnd = (int) ((long) (oy + 1) * height / oh);
            java.util.Arrays.fill(sums, 0);
            java.util.Arrays.fill(counts, 0);
            for (; sy < syEnd; sy++) {
                int row = sy * width * 3;
                for (int sx = 0; sx < width; sx++) {
                    int ox = (int) ((long) sx * ow / width);
                    int s = row + sx * 3;
                    sums[ox * 3] += rgb[s] & 0xFF;
                    sums[ox * 3 + 1] += rgb[s + 1] & 0xFF;
                    sums[ox * 3 + 2] += rgb[s + 2] & 0xFF;
                    counts[ox]++;
                }
            }
            for (int ox = 0; ox < ow; ox++) {
                int n = Math.max(1, counts[ox]);
                int d = (oy * ow + ox) * 3;
                out[d] = (byte) ((sums[ox * 3] + n / 2) / n);
                out[d + 1] = (byte) ((sums[ox * 3 + 1] + n / 2) / n);
                out[d + 2] = (byte) ((sums[ox * 3 + 2] + n / 2) / n);
            }
        }
        return new RgbImage(out, ow, oh);
    }

    /**
     * Converts to a {@link BufferedImage#TYPE_3BYTE_BGR} image, for display or re-encoding.
     *
     * @return a new image
     */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            data[i] = rgb[i + 2];
            data[i + 1] = rgb[i + 1];
            data[i + 2] = rgb[i];
        }
        return img;
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
