package io.keshikaran.image;

import java.util.Locale;
import java.util.Objects;

/**
 * How the classifier's decoder turns a file into the pixels a model sees: EXIF orientation,
 * transparency, and which frames of an animation are classified. Immutable and thread-safe.
 *
 * <p>The {@linkplain #defaults() defaults} show the model the picture as a viewer would see its
 * content, upright and on a page:
 * <ul>
 *   <li>EXIF orientation applied ({@link Orientation#APPLY});</li>
 *   <li>fully transparent pixels filled with white, semi-transparent ones keeping their colour
 *       ({@link Transparency#FILL_TRANSPARENT}, background {@value #DEFAULT_BACKGROUND_NAME}): of
 *       the choices measured (compositing onto white, gray or black, keeping the stored colour,
 *       filling with white or gray), the one whose output agreed best with the opaque originals
 *       (docs/images.md);</li>
 *   <li>animations: up to {@value #DEFAULT_MAX_FRAMES} frames, every frame from the first
 *       ({@code frameStep} 1), the score being the {@link FrameAggregate#MAX maximum} over
 *       them;</li>
 *   <li>large still images decoded at reduced resolution ({@link Resolution#REDUCED}), when the
 *       decoder knows the model's input size.</li>
 * </ul>
 * nsfwjs itself ignores EXIF orientation, drops alpha keeping the stored colour, looks at the
 * first frame only and decodes every pixel; {@link #nsfwjsCompatible()} reproduces that when
 * fidelity to nsfwjs matters more than what the viewer sees and speed. The two give identical
 * pixels for opaque, un-rotated still images, which is most photos.
 */
public final class DecodeOptions {
    /** Default for {@link Builder#optMaxFrames(int)}: {@value}. */
    public static final int DEFAULT_MAX_FRAMES = 32;
    /** The largest accepted {@code maxFrames}: {@value}. */
    public static final int MAX_FRAMES_LIMIT = 1000;
    /** The largest accepted {@code frameStep}: {@value}. */
    public static final int MAX_FRAME_STEP = 1000;
    /** Default background for compositing, {@code 0xFFFFFF}. */
    public static final int DEFAULT_BACKGROUND = 0xFFFFFF;
    /** The name of {@link #DEFAULT_BACKGROUND}, for documentation. */
    public static final String DEFAULT_BACKGROUND_NAME = "white";

    /** What to do with an EXIF orientation tag (JPEG APP1, PNG eXIf, WebP EXIF). */
    public enum Orientation {
        /** Rotate and flip the pixels as the tag says, as viewers do. */
        APPLY,
        /** Use the stored pixels as they are, as nsfwjs does. */
        IGNORE
    }

    /** What to do with transparent and semi-transparent pixels. */
    public enum Transparency {
        /** Blend every pixel onto the {@linkplain DecodeOptions#background() background colour}. */
        COMPOSITE,
        /**
         * Drop the alpha channel and keep whatever colour the file stores under transparent pixels,
         * as nsfwjs does. That colour is invisible to viewers and depends on the tool that wrote
         * the file (often black).
         */
        KEEP_STORED_COLOR,
        /**
         * Fully transparent pixels (alpha 0) take the {@linkplain DecodeOptions#background()
         * background colour}; every other pixel keeps its stored colour as if it were opaque. The
         * colour of a semi-transparent pixel is real picture content (a fade or a soft edge only
         * dims it), while the colour under an invisible pixel is whatever the encoder left.
         */
        FILL_TRANSPARENT
    }

    /**
     * How much of a large still image is decoded. The model sees a few hundred pixels square, so a
     * 20-megapixel photo decoded in full is mostly wasted work and memory.
     */
    public enum Resolution {
        /**
         * Decode at 1/2, 1/4 or 1/8 of the size, the smallest that keeps the image at least twice
         * the model's input size in both dimensions; images smaller than that are decoded in full.
         * JPEG is scaled in its DCT (native decoder), an opaque WebP still by libwebp's scaler
         * (an area average); PNG, other WebPs and the sampled frames of animations are
         * box-averaged (each pixel the mean of its block); what ImageIO decodes
         * keeps every n-th pixel of every n-th row. Only when the decoder knows the input size
         * (classifiers always tell it). Probabilities differ slightly from {@link #FULL}:
         * docs/performance.md measures by how much.
         */
        REDUCED,
        /** Decode every pixel, as nsfwjs does: its inputs are reproduced exactly. */
        FULL
    }

    /**
     * Which decoder turns a still JPEG, PNG or WebP, or a GIF, into pixels. An RGB ICC profile
     * other than sRGB (Display P3, Adobe RGB) is applied to the decoded pixels whichever decodes
     * them. Whatever the choice, CMYK/YCCK JPEGs, gray or malformed ICC profiles and BMP are
     * decoded by ImageIO, and so are GIFs, PNGs with an ICC profile to apply and
     * 16-bit PNGs except with {@link #AUTO}; and the frames of an animated PNG (APNG) are decoded
     * by keshikaran's own PNG decoder, since ImageIO and the native decoder read only its default
     * image, which would leave a later frame unseen.
     */
    public enum Decoder {
        /**
         * The system property {@value #PROPERTY} ({@code auto}, {@code java} or {@code native})
         * when set; otherwise keshikaran's own streaming PNG decoder (pure Java) for PNGs without a
         * colour key on gray below 8 bits (any bit depth, interlaced or not): stills (their RGB ICC
         * profile applied) except gray ones with an RGB profile, and every frame of animated ones
         * (APNG, with any choice); its own GIF decoder (pure Java, ImageIO's pixels;
         * ImageIO for the files it declines), then the native decoder (keshikaran-leptonica) when
         * it is on the classpath and loads on this platform, else ImageIO.
         */
        AUTO,
        /** ImageIO (with the TwelveMonkeys plugins keshikaran-djl brings) only: pure Java. */
        JAVA,
        /**
         * The native decoder for the images it handles; an {@link IllegalStateException} when it is
         * missing or cannot load.
         */
        NATIVE;

        /** The system property that {@link #AUTO} follows: {@value}. */
        public static final String PROPERTY = "keshikaran.decoder";
    }

    /** How the scores of an animation's sampled frames become its score. */
    public enum FrameAggregate {
        /** The highest frame score, with that frame's probabilities: one explicit frame flags the file. */
        MAX,
        /** The mean of the frame scores, with each label's probability averaged. */
        MEAN
    }

    private static final DecodeOptions DEFAULTS = builder().build();

    private final Orientation orientation;
    private final Transparency transparency;
    private final int background;
    private final int maxFrames;
    private final int frameStep;
    private final FrameAggregate frameAggregate;
    private final Resolution resolution;
    private final Decoder decoder;

    private DecodeOptions(Builder b) {
        this.orientation = b.orientation;
        this.transparency = b.transparency;
        this.background = b.background;
        this.maxFrames = b.maxFrames;
        this.frameStep = b.frameStep;
        this.frameAggregate = b.frameAggregate;
        this.resolution = b.resolution;
        this.decoder = b.decoder;
    }

    /**
     * The defaults described in the class documentation.
     *
     * @return the defaults described in the class documentation
     */
    public static DecodeOptions defaults() {
        return DEFAULTS;
    }

    /**
     * nsfwjs 4.4.0's pixel semantics: EXIF orientation ignored, alpha dropped keeping the stored
     * colour, the first frame of an animation only, every pixel decoded ({@link Resolution#FULL}).
     *
     * @return nsfwjs 4.4.0's pixel semantics: EXIF orientation ignored, alpha dropped keeping the stored colour, the first frame of an animation only, every pixel decoded ({@link Resolution#FULL})
     */
    public static DecodeOptions nsfwjsCompatible() {
        return builder()
                .optOrientation(Orientation.IGNORE)
                .optTransparency(Transparency.KEEP_STORED_COLOR)
                .optMaxFrames(1)
                .optResolution(Resolution.FULL)
                .build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these options.
     *
     * @return this builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.orientation = orientation;
        b.transparency = transparency;
        b.background = background;
        b.maxFrames = maxFrames;
        b.frameStep = frameStep;
        b.frameAggregate = frameAggregate;
        b.resolution = resolution;
        b.decoder = decoder;
        return b;
    }

    /**
     * What is done with EXIF orientation.
     *
     * @return what is done with EXIF orientation
     */
    public Orientation orientation() {
        return orientation;
    }

    /**
     * What is done with transparency.
     *
     * @return what is done with transparency
     */
    public Transparency transparency() {
        return transparency;
    }

    /**
     * The background for {@link Transparency#COMPOSITE} and {@link Transparency#FILL_TRANSPARENT}, as {@code 0xRRGGBB}.
     *
     * @return the background for {@link Transparency#COMPOSITE} and {@link Transparency#FILL_TRANSPARENT}, as {@code 0xRRGGBB}
     */
    public int background() {
        return background;
    }

    /**
     * The most frames of an animation that are decoded and classified.
     *
     * @return the most frames of an animation that are decoded and classified
     */
    public int maxFrames() {
        return maxFrames;
    }

    /**
     * Every how many frames one is sampled: frames 0, step, 2·step, ...
     *
     * @return every how many frames one is sampled: frames 0, step, 2·step, 
     */
    public int frameStep() {
        return frameStep;
    }

    /**
     * How frame scores become the animation's score.
     *
     * @return how frame scores become the animation's score
     */
    public FrameAggregate frameAggregate() {
        return frameAggregate;
    }

    /**
     * How much of a large still image is decoded.
     *
     * @return how much of a large still image is decoded
     */
    public Resolution resolution() {
        return resolution;
    }

    /**
     * Which decoder decodes still JPEG, PNG and WebP images.
     *
     * @return the decoder choice
     */
    public Decoder decoder() {
        return decoder;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodeOptions d && d.orientation == orientation && d.transparency == transparency
                && d.background == background && d.maxFrames == maxFrames && d.frameStep == frameStep
                && d.frameAggregate == frameAggregate && d.resolution == resolution && d.decoder == decoder;
    }

    @Override
    public int hashCode() {
        return Objects.hash(orientation, transparency, background, maxFrames, frameStep, frameAggregate, resolution, decoder);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "DecodeOptions[orientation=%s, transparency=%s, background=#%06X, maxFrames=%d, frameStep=%d, frameAggregate=%s, resolution=%s]",
                orientation, transparency, background, maxFrames, frameStep, frameAggregate, resolution, decoder);
    }

    /** Builds {@link DecodeOptions}; every setting is optional and starts at its default. */
    public static final class Builder {
        private Orientation orientation = Orientation.APPLY;
        private Transparency transparency = Transparency.FILL_TRANSPARENT;
        private int background = DEFAULT_BACKGROUND;
        private int maxFrames = DEFAULT_MAX_FRAMES;
        private int frameStep = 1;
        private FrameAggregate frameAggregate = FrameAggregate.MAX;
        private Resolution resolution = Resolution.REDUCED;
        private Decoder decoder = Decoder.AUTO;

        private Builder() {
        }

        /**
         * What to do with EXIF orientation; default {@link Orientation#APPLY}.
         *
         * @param orientation what to do with EXIF orientation
         * @return this builder
         */
        public Builder optOrientation(Orientation orientation) {
            this.orientation = Objects.requireNonNull(orientation, "orientation");
            return this;
        }

        /**
         * What to do with transparency; default {@link Transparency#FILL_TRANSPARENT}.
         *
         * @param transparency what to do with transparency
         * @return this builder
         */
        public Builder optTransparency(Transparency transparency) {
            this.transparency = Objects.requireNonNull(transparency, "transparency");
            return this;
        }

        /**
         * The background colour for {@link Transparency#COMPOSITE} and
         * {@link Transparency#FILL_TRANSPARENT}, as {@code 0xRRGGBB}; default white.
         *
         * @param rgb the colour, as {@code 0xRRGGBB}
         * @return this builder
         */
        public Builder optBackground(int rgb) {
            if ((rgb & ~0xFFFFFF) != 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "background must be 0xRRGGBB, got 0x%X", rgb));
            }
            this.background = rgb;
            return this;
        }

        /**
         * The most frames of an animation to decode and classify, 1 to {@value #MAX_FRAMES_LIMIT};
         * default {@value #DEFAULT_MAX_FRAMES}. 1 classifies the first frame only.
         *
         * @param maxFrames at least 1
         * @return this builder
         */
        public Builder optMaxFrames(int maxFrames) {
            if (maxFrames < 1 || maxFrames > MAX_FRAMES_LIMIT) {
                throw new IllegalArgumentException("maxFrames must be within 1.." + MAX_FRAMES_LIMIT + ", got " + maxFrames);
            }
            this.maxFrames = maxFrames;
            return this;
        }

        /**
         * Sample every n-th frame (frames 0, n, 2n, ...), 1 to {@value #MAX_FRAME_STEP}; default 1,
         * every frame.
         *
         * @param frameStep at least 1
         * @return this builder
         */
        public Builder optFrameStep(int frameStep) {
            if (frameStep < 1 || frameStep > MAX_FRAME_STEP) {
                throw new IllegalArgumentException("frameStep must be within 1.." + MAX_FRAME_STEP + ", got " + frameStep);
            }
            this.frameStep = frameStep;
            return this;
        }

        /**
         * How frame scores become the animation's score; default {@link FrameAggregate#MAX}.
         *
         * @param aggregate how frame scores are combined
         * @return this builder
         */
        public Builder optFrameAggregate(FrameAggregate aggregate) {
            this.frameAggregate = Objects.requireNonNull(aggregate, "aggregate");
            return this;
        }

        /**
         * How much of a large still image is decoded; default {@link Resolution#REDUCED}, the fast
         * choice. {@link Resolution#FULL} decodes every pixel, as nsfwjs does.
         *
         * @param resolution how much of a large image to decode
         * @return this builder
         */
        public Builder optResolution(Resolution resolution) {
            this.resolution = Objects.requireNonNull(resolution, "resolution");
            return this;
        }

        /**
         * Which decoder decodes still JPEG, PNG and WebP images; default {@link Decoder#AUTO}
         * (native when available). Both give the same pixels for JPEG and PNG at full resolution.
         *
         * @param decoder which decoder to use
         * @return this builder
         */
        public Builder optDecoder(Decoder decoder) {
            this.decoder = Objects.requireNonNull(decoder, "decoder");
            return this;
        }

        /**
         * The options.
         *
         * @return the options
         */
        public DecodeOptions build() {
            return new DecodeOptions(this);
        }
    }
}
