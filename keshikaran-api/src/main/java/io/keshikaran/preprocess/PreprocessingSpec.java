package io.keshikaran.preprocess;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * How pixels become a model's input tensor. Immutable and thread-safe.
 *
 * <p>The steps, in order:
 * <ol>
 *   <li>the image is resized to {@code resizeHeight x resizeWidth} with the {@link ResizeMethod}
 *       (skipped when it already has that size). {@link ResizeMethod#BILINEAR_ALIGN_CORNERS} works like
 *       TensorFlow.js, in float on samples already divided by {@code pixelDivisor}, as nsfwjs does; the
 *       other methods work like Pillow, on the 8-bit samples, rounding to 8 bits;</li>
 *   <li>optionally ({@link Builder#optJpegRoundTrip}) the resized 8-bit image is encoded as JPEG and
 *       decoded again, as Yahoo open_nsfw's reference code does;</li>
 *   <li>with {@link CropMode#CENTER}, the centre {@code height x width} window is cut out, at offset
 *       {@code ((resizeHeight - height) / 2, (resizeWidth - width) / 2)} rounded down;</li>
 *   <li>every sample {@code v} (0..255) becomes {@code v / pixelDivisor} in float32 (already done for
 *       align-corners);</li>
 *   <li>channels are put in {@link ChannelOrder}, then each becomes {@code (x - mean[c]) / std[c]};</li>
 *   <li>values are laid out as {@link Layout#NHWC} or {@link Layout#NCHW} with a batch axis.</li>
 * </ol>
 * This reproduces nsfwjs's inputs exactly (scale before an align-corners resize) and, for the other
 * methods, the inputs of reference code that resizes with Pillow and then scales.
 */
public final class PreprocessingSpec {
    private final int height;
    private final int width;
    private final Layout layout;
    private final ChannelOrder channelOrder;
    private final float pixelDivisor;
    private final float[] mean;
    private final float[] std;
    private final ResizeMethod resize;
    private final int resizeHeight;
    private final int resizeWidth;
    private final CropMode crop;
    private final int jpegQuality;

    private PreprocessingSpec(Builder b) {
        this.height = b.height;
        this.width = b.width;
        this.layout = b.layout;
        this.channelOrder = b.channelOrder;
        this.pixelDivisor = b.pixelDivisor;
        this.mean = b.mean.clone();
        this.std = b.std.clone();
        this.resize = b.resize;
        this.crop = b.crop;
        this.jpegQuality = b.jpegQuality;
        this.resizeHeight = b.resizeHeight > 0 ? b.resizeHeight : b.height;
        this.resizeWidth = b.resizeWidth > 0 ? b.resizeWidth : b.width;
    }

    /**
     * A new builder. {@link Builder#setSize} is required; everything else has the nsfwjs default.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * nsfwjs's preprocessing at the given size: RGB, divided by 255, bilinear align-corners squash
     * resize, NHWC.
     *
     * @param size the input height and width, in pixels
     * @return nsfwjs's preprocessing at the given size: RGB, divided by 255, bilinear align-corners squash resize, NHWC
     */
    public static PreprocessingSpec nsfwjs(int size) {
        return builder().setSize(size, size).build();
    }

    /**
     * A builder initialised from this spec.
     *
     * @return this builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.height = height;
        b.width = width;
        b.layout = layout;
        b.channelOrder = channelOrder;
        b.pixelDivisor = pixelDivisor;
        b.mean = mean.clone();
        b.std = std.clone();
        b.resize = resize;
        b.resizeHeight = resizeHeight;
        b.resizeWidth = resizeWidth;
        b.crop = crop;
        b.jpegQuality = jpegQuality;
        return b;
    }

    /**
     * The input tensor's height.
     *
     * @return the input tensor's height
     */
    public int height() {
        return height;
    }

    /**
     * The input tensor's width.
     *
     * @return the input tensor's width
     */
    public int width() {
        return width;
    }

    /**
     * The input tensor's axis order.
     *
     * @return the input tensor's axis order
     */
    public Layout layout() {
        return layout;
    }

    /**
     * The input tensor's channel order.
     *
     * @return the input tensor's channel order
     */
    public ChannelOrder channelOrder() {
        return channelOrder;
    }

    /**
     * Each 0..255 sample is divided by this first.
     *
     * @return each 0..255 sample is divided by this first
     */
    public float pixelDivisor() {
        return pixelDivisor;
    }

    /**
     * Per-channel mean, in the model's channel order. A copy.
     *
     * @return per-channel mean, in the model's channel order
     */
    public float[] mean() {
        return mean.clone();
    }

    /**
     * Per-channel standard deviation, in the model's channel order. A copy.
     *
     * @return per-channel standard deviation, in the model's channel order
     */
    public float[] std() {
        return std.clone();
    }

    /**
     * The resampling method.
     *
     * @return the resampling method
     */
    public ResizeMethod resize() {
        return resize;
    }

    /**
     * The height the image is resized to before cropping.
     *
     * @return the height the image is resized to before cropping
     */
    public int resizeHeight() {
        return resizeHeight;
    }

    /**
     * The width the image is resized to before cropping.
     *
     * @return the width the image is resized to before cropping
     */
    public int resizeWidth() {
        return resizeWidth;
    }

    /**
     * What happens between resizing and the input size.
     *
     * @return what happens between resizing and the input size
     */
    public CropMode crop() {
        return crop;
    }

    /**
     * The JPEG quality of the round trip after resizing, or 0 when there is none.
     *
     * @return the JPEG quality of the round trip after resizing, or 0 when there is none
     */
    public int jpegRoundTripQuality() {
        return jpegQuality;
    }

    /**
     * The shape of one preprocessed image, with a batch axis of 1.
     *
     * @return the shape of one preprocessed image, with a batch axis of 1
     */
    public long[] inputShape() {
        return layout == Layout.NHWC
                ? new long[] {1, height, width, 3}
                : new long[] {1, 3, height, width};
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PreprocessingSpec s)) {
            return false;
        }
        return height == s.height && width == s.width && layout == s.layout
                && channelOrder == s.channelOrder && Float.compare(pixelDivisor, s.pixelDivisor) == 0
                && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std) && resize == s.resize
                && resizeHeight == s.resizeHeight && resizeWidth == s.resizeWidth && crop == s.crop
                && jpegQuality == s.jpegQuality;
    }

    @Override
    public int hashCode() {
        return Objects.hash(height, width, layout, channelOrder, pixelDivisor, Arrays.hashCode(mean),
                Arrays.hashCode(std), resize, resizeHeight, resizeWidth, crop, jpegQuality);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "PreprocessingSpec[%dx%d %s %s /%s mean=%s std=%s %s resize=%dx%d crop=%s%s]",
                height, width, layout, channelOrder, pixelDivisor, Arrays.toString(mean),
                Arrays.toString(std), resize, resizeHeight, resizeWidth, crop,
                jpegQuality > 0 ? " jpeg=" + jpegQuality : "");
    }

    /** Builds a {@link PreprocessingSpec}; defaults are nsfwjs's choices. */
    public static final class Builder {
        private int height;
        private int width;
        private Layout layout = Layout.NHWC;
        private ChannelOrder channelOrder = ChannelOrder.RGB;
        private float pixelDivisor = 255f;
        private float[] mean = {0f, 0f, 0f};
        private float[] std = {1f, 1f, 1f};
        private ResizeMethod resize = ResizeMethod.BILINEAR_ALIGN_CORNERS;
        private int resizeHeight;
        private int resizeWidth;
        private CropMode crop = CropMode.NONE;
        private int jpegQuality;

        private Builder() {
        }

        /**
         * Required: the input tensor's height and width.
         *
         * @param height in pixels
         * @param width in pixels
         * @return this builder
         */
        public Builder setSize(int height, int width) {
            this.height = height;
            this.width = width;
            return this;
        }

        /**
         * The axis order; default NHWC.
         *
         * @param layout the axis order
         * @return this builder
         */
        public Builder optLayout(Layout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /**
         * The channel order; default RGB.
         *
         * @param order the channel order
         * @return this builder
         */
        public Builder optChannelOrder(ChannelOrder order) {
            this.channelOrder = Objects.requireNonNull(order, "order");
            return this;
        }

        /**
         * Each 0..255 sample is divided by this first; default 255 (use 1 to keep 0..255).
         *
         * @param divisor each 0..255 sample is divided by this first
         * @return this builder
         */
        public Builder optPixelDivisor(float divisor) {
            this.pixelDivisor = divisor;
            return this;
        }

        /**
         * Per-channel mean and std, in the model's channel order; default 0 and 1.
         *
         * @param mean per-channel mean, in the model's channel order
         * @param std per-channel standard deviation, in the model's channel order
         * @return this builder
         */
        public Builder optNormalization(float[] mean, float[] std) {
            this.mean = Objects.requireNonNull(mean, "mean").clone();
            this.std = Objects.requireNonNull(std, "std").clone();
            return this;
        }

        /**
         * The resampling method; default {@link ResizeMethod#BILINEAR_ALIGN_CORNERS}.
         *
         * @param method the resampling method
         * @return this builder
         */
        public Builder optResize(ResizeMethod method) {
            this.resize = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * Center-crop: resize to {@code resizeHeight x resizeWidth}, then cut out the centre input
         * size. Without this call the image is squashed straight to the input size.
         *
         * @param resizeHeight the height before cropping
         * @param resizeWidth the width before cropping
         * @return this builder
         */
        public Builder optCenterCrop(int resizeHeight, int resizeWidth) {
            this.resizeHeight = resizeHeight;
            this.resizeWidth = resizeWidth;
            this.crop = CropMode.CENTER;
            return this;
        }

        /**
         * Squash: resize straight to the input size, without cropping (the default). Undoes
         * {@link #optCenterCrop}.
         *
         * @return this builder
         */
        public Builder optSquash() {
            this.resizeHeight = 0;
            this.resizeWidth = 0;
            this.crop = CropMode.NONE;
            return this;
        }

        /**
         * After resizing, encode the image as a baseline JPEG of this quality (1..100; 4:2:0) and decode
         * it again, like Yahoo open_nsfw's reference preprocessing (Pillow's default quality is 75).
         * Needs a Pillow-style {@link ResizeMethod}. 0, the default, turns it off.
         *
         * @param quality JPEG quality 1..100, or 0 for none
         * @return this builder
         */
        public Builder optJpegRoundTrip(int quality) {
            this.jpegQuality = quality;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid field
         * @return the validated value
         */
        public PreprocessingSpec build() {
            if (height <= 0 || width <= 0) {
                throw new IllegalArgumentException("input size must be set and positive, got " + height + "x" + width);
            }
            if (!(pixelDivisor > 0) || Float.isInfinite(pixelDivisor)) {
                throw new IllegalArgumentException("pixelDivisor must be a positive number, got " + pixelDivisor);
            }
            if (mean.length != 3 || std.length != 3) {
                throw new IllegalArgumentException("mean and std need 3 values each, got " + mean.length + " and " + std.length);
            }
            for (int c = 0; c < 3; c++) {
                if (!Float.isFinite(mean[c])) {
                    throw new IllegalArgumentException("mean[" + c + "] must be finite, got " + mean[c]);
                }
                if (!(std[c] > 0) || Float.isInfinite(std[c])) {
                    throw new IllegalArgumentException("std[" + c + "] must be positive, got " + std[c]);
                }
            }
            if (jpegQuality < 0 || jpegQuality > 100) {
                throw new IllegalArgumentException("JPEG round-trip quality must be 1..100 (0 for none), got " + jpegQuality);
            }
            if (jpegQuality > 0 && resize == ResizeMethod.BILINEAR_ALIGN_CORNERS) {
                throw new IllegalArgumentException("a JPEG round trip needs an 8-bit resize (BILINEAR, BICUBIC or NEAREST), "
                        + "not " + resize);
            }
            if (crop == CropMode.CENTER && (resizeHeight < height || resizeWidth < width)) {
                throw new IllegalArgumentException("center crop needs a resize size of at least the input size "
                        + height + "x" + width + ", got " + resizeHeight + "x" + resizeWidth);
            }
            return new PreprocessingSpec(this);
        }
    }
}
