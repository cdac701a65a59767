package io.keshikaran.preprocess;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * How pixels become a model's input tensor. Immutable and thread-safe.
 *
 * <p>The steps, in order:
 * <ol>
 *   <li>every 8-bit sample {@code v} becomes {@code v / pixelDivisor} (float32);</li>
 *   <li>the image is resized to {@code resizeHeight x resizeWidth} with the {@link ResizeMethod}
 *       (skipped when it already has that size);</li>
 *   <li>with {@link CropMode#CENTER}, the centre {@code height x width} window is cut out;</li>
 *   <li>channels are put in {@link ChannelOrder}, then each becomes {@code (x - mean[c]) / std[c]};</li>
 *   <li>values are laid out as {@link Layout#NHWC} or {@link Layout#NCHW} with a batch axis.</li>
 * </ol>
 * This is the order nsfwjs uses (scale before resize), so its inputs are reproduced exactly.
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
        this.resizeHeight = b.resizeHeight > 0 ? b.resizeHeight : b.height;
        this.resizeWidth = b.resizeWidth > 0 ? b.resizeWidth : b.width;
    }

    /** A new builder. {@link Builder#setSize} is required; everything else has the nsfwjs default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * nsfwjs's preprocessing at the given size: RGB, divided by 255, bilinear align-corners squash
     * resize, NHWC.
     */
    public static PreprocessingSpec nsfwjs(int size) {
        return builder().setSize(size, size).build();
    }

    /** A builder initialised from this spec. */
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
        return b;
    }

    /** The input tensor's height. */
    public int height() {
        return height;
    }

    /** The input tensor's width. */
    public int width() {
        return width;
    }

    /** The input tensor's axis order. */
    public Layout layout() {
        return layout;
    }

    /** The input tensor's channel order. */
    public ChannelOrder channelOrder() {
        return channelOrder;
    }

    /** Each 0..255 sample is divided by this first. */
    public float pixelDivisor() {
        return pixelDivisor;
    }

    /** Per-channel mean, in the model's channel order. A copy. */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-channel standard deviation, in the model's channel order. A copy. */
    public float[] std() {
        return std.clone();
    }

    /** The resampling method. */
    public ResizeMethod resize() {
        return resize;
    }

    /** The height the image is resized to before cropping. */
    public int resizeHeight() {
        return resizeHeight;
    }

    /** The width the image is resized to before cropping. */
    public int resizeWidth() {
        return resizeWidth;
    }

    /** What happens between resizing and the input size. */
    public CropMode crop() {
        return crop;
    }

    /** The shape of one preprocessed image, with a batch axis of 1. */
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
                && resizeHeight == s.resizeHeight && resizeWidth == s.resizeWidth && crop == s.crop;
    }

    @Override
    public int hashCode() {
        return Objects.hash(height, width, layout, channelOrder, pixelDivisor, Arrays.hashCode(mean),
                Arrays.hashCode(std), resize, resizeHeight, resizeWidth, crop);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "PreprocessingSpec[%dx%d %s %s /%s mean=%s std=%s %s resize=%dx%d crop=%s]",
                height, width, layout, channelOrder, pixelDivisor, Arrays.toString(mean),
                Arrays.toString(std), resize, resizeHeight, resizeWidth, crop);
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

        private Builder() {
        }

        /** Required: the input tensor's height and width. */
        public Builder setSize(int height, int width) {
            this.height = height;
            this.width = width;
            return this;
        }

        /** The axis order; default NHWC. */
        public Builder optLayout(Layout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /** The channel order; default RGB. */
        public Builder optChannelOrder(ChannelOrder order) {
            this.channelOrder = Objects.requireNonNull(order, "order");
            return this;
        }

        /** Each 0..255 sample is divided by this first; default 255 (use 1 to keep 0..255). */
        public Builder optPixelDivisor(float divisor) {
            this.pixelDivisor = divisor;
            return this;
        }

        /** Per-channel mean and std, in the model's channel order; default 0 and 1. */
        public Builder optNormalization(float[] mean, float[] std) {
            this.mean = Objects.requireNonNull(mean, "mean").clone();
            this.std = Objects.requireNonNull(std, "std").clone();
            return this;
        }

        /** The resampling method; default {@link ResizeMethod#BILINEAR_ALIGN_CORNERS}. */
        public Builder optResize(ResizeMethod method) {
            this.resize = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * Center-crop: resize to {@code resizeHeight x resizeWidth}, then cut out the centre input
         * size. Without this call the image is squashed straight to the input size.
         */
        public Builder optCenterCrop(int resizeHeight, int resizeWidth) {
            this.resizeHeight = resizeHeight;
            this.resizeWidth = resizeWidth;
            this.crop = CropMode.CENTER;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid field
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
            if (crop == CropMode.CENTER && (resizeHeight < height || resizeWidth < width)) {
                throw new IllegalArgumentException("center crop needs a resize size of at least the input size "
                        + height + "x" + width + ", got " + resizeHeight + "x" + resizeWidth);
            }
            return new PreprocessingSpec(this);
        }
    }
}
