package io.keshikaran.video;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits that bound the work and memory one video may cost. Immutable.
 *
 * <p>The file size is checked before the file is opened; the frame size and the duration the
 * container declares are checked after its header is read and before a decoder is opened, so a
 * hostile header (huge dimensions, an absurd duration) is refused before any large allocation.
 * The decoder itself is also told the pixel limit, so a stream whose coded size differs from the
 * header's is refused by FFmpeg before it allocates frames. The decoded-frame count and the time
 * budget are checked while decoding. Exceeding any limit throws {@link InvalidVideoException}
 * of kind {@link InvalidVideoException.VideoKind#LIMIT_EXCEEDED} or
 * {@link InvalidVideoException.VideoKind#TIME_BUDGET_EXCEEDED}; frames already handed to the callback
 * stay delivered.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>limit</th><th>default</th></tr>
 *   <tr><td>file size</td><td>4 GiB</td></tr>
 *   <tr><td>pixels per frame</td><td>8192 × 4320 (8K)</td></tr>
 *   <tr><td>width or height</td><td>16384</td></tr>
 *   <tr><td>declared duration</td><td>6 hours</td></tr>
 *   <tr><td>frames decoded</td><td>1,000,000</td></tr>
 *   <tr><td>time budget</td><td>10 minutes of wall-clock time</td></tr>
 * </table>
 */
public final class VideoLimits {
    private static final VideoLimits DEFAULTS = builder().build();

    private final long maxFileBytes;
    private final long maxPixels;
    private final int maxDimension;
    private final Duration maxDuration;
    private final long maxFramesDecoded;
    private final Duration timeBudget;

    private VideoLimits(Builder b) {
        this.maxFileBytes = b.maxFileBytes;
        this.maxPixels = b.maxPixels;
        this.maxDimension = b.maxDimension;
        this.maxDuration = b.maxDuration;
        this.maxFramesDecoded = b.maxFramesDecoded;
        this.timeBudget = b.timeBudget;
    }

    /** The defaults in the class documentation. */
    public static VideoLimits defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The largest accepted file, in bytes. */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    /** The largest accepted frame, in pixels (width × height). */
    public long maxPixels() {
        return maxPixels;
    }

    /** The largest accepted width or height. */
    public int maxDimension() {
        return maxDimension;
    }

    /** The longest accepted duration, as the container declares it. */
    public Duration maxDuration() {
        return maxDuration;
    }

    /** How many frames may be decoded (sampled or not) before the video is refused. */
    public long maxFramesDecoded() {
        return maxFramesDecoded;
    }

    /** The wall-clock time one video may take, decoding and classifying. */
    public Duration timeBudget() {
        return timeBudget;
    }

    @Override
    public String toString() {
        return "VideoLimits[maxFileBytes=" + maxFileBytes + ", maxPixels=" + maxPixels + ", maxDimension="
                + maxDimension + ", maxDuration=" + maxDuration + ", maxFramesDecoded=" + maxFramesDecoded
                + ", timeBudget=" + timeBudget + "]";
    }

    /** Builds {@link VideoLimits}; every option starts at its default. */
    public static final class Builder {
        private long maxFileBytes = 4L << 30;
        private long maxPixels = 8192L * 4320;
        private int maxDimension = 16384;
        private Duration maxDuration = Duration.ofHours(6);
        private long maxFramesDecoded = 1_000_000;
        private Duration timeBudget = Duration.ofMinutes(10);

        private Builder() {
        }

        /**
         * @param bytes the largest accepted file, at least 1
         * @return this builder
         */
        public Builder optMaxFileBytes(long bytes) {
            this.maxFileBytes = positive(bytes, "maxFileBytes");
            return this;
        }

        /**
         * @param pixels the largest accepted frame (width × height), at least 1
         * @return this builder
         */
        public Builder optMaxPixels(long pixels) {
            this.maxPixels = positive(pixels, "maxPixels");
            return this;
        }

        /**
         * @param dimension the largest accepted width or height, at least 1
         * @return this builder
         */
        public Builder optMaxDimension(int dimension) {
            this.maxDimension = (int) positive(dimension, "maxDimension");
            return this;
        }

        /**
         * @param duration the longest accepted declared duration, positive
         * @return this builder
         */
        public Builder optMaxDuration(Duration duration) {
            this.maxDuration = positive(duration, "maxDuration");
            return this;
        }

        /**
         * @param frames how many frames may be decoded, at least 1
         * @return this builder
         */
        public Builder optMaxFramesDecoded(long frames) {
            this.maxFramesDecoded = positive(frames, "maxFramesDecoded");
            return this;
        }

        /**
         * @param budget the wall-clock time one video may take, positive
         * @return this builder
         */
        public Builder optTimeBudget(Duration budget) {
            this.timeBudget = positive(budget, "timeBudget");
            return this;
        }

        /** @return the limits */
        public VideoLimits build() {
            return new VideoLimits(this);
        }

        private static long positive(long value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
