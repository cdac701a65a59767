package io.keshikaran.spring;

import io.keshikaran.Classifier;
import io.keshikaran.ModelPreset;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code keshikaran.*} properties the auto-configured {@link Classifier} and
 * {@link ModerationPolicy} are built from. Unset optional values keep the library's defaults.
 */
@ConfigurationProperties(prefix = KeshikaranProperties.PREFIX)
public class KeshikaranProperties {

    /** The prefix of every property: {@value}. */
    public static final String PREFIX = "keshikaran";

    /** Whether to auto-configure the classifier; false leaves keshikaran out of the context. */
    private boolean enabled = true;

    /** Bundled model: mobilenet_v2_mid (default), mobilenet_v2 (fastest) or inception_v3 (largest). Ignored when model-path is set. */
    private String model = Classifier.DEFAULT_MODEL;

    /** A model file of your own (.onnx, or TorchScript .pt); described by keshikaran-model.json beside it or by preset. */
    private Path modelPath;

    /** Preprocessing and labels of a public model family, for a model file of your own. */
    private ModelPreset preset;

    /** Engine: onnxruntime or pytorch. Unset: the preferred engine on the classpath. */
    private String engine;

    /** How many inferences may run at once. Unset: the number of cores. */
    private Integer poolSize;

    /** Threads one inference may use inside the engine. Unset: chosen by the engine. */
    private Integer intraOpThreads;

    /**
     * The labels whose probabilities add up to the score, such as Porn,Hentai. Unset: the model's own
     * (Porn, Hentai and Sexy for the bundled models). keshikaran calibrate writes this with the thresholds.
     */
    private java.util.List<String> scoreLabels;

    /** Scores at or above this, and below reject-threshold, need a human look. */
    private double reviewThreshold = ModerationPolicy.DEFAULT_REVIEW_THRESHOLD;

    /** Scores at or above this are refused; the default maximum score of @SafeImage. */
    private double rejectThreshold = ModerationPolicy.DEFAULT_REJECT_THRESHOLD;

    private final Image image = new Image();

    private final Decode decode = new Decode();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public Path getModelPath() {
        return modelPath;
    }

    public void setModelPath(Path modelPath) {
        this.modelPath = modelPath;
    }

    public ModelPreset getPreset() {
        return preset;
    }

    public void setPreset(ModelPreset preset) {
        this.preset = preset;
    }

    public java.util.List<String> getScoreLabels() {
        return scoreLabels;
    }

    public void setScoreLabels(java.util.List<String> scoreLabels) {
        this.scoreLabels = scoreLabels;
    }

    public String getEngine() {
        return engine;
    }

    public void setEngine(String engine) {
        this.engine = engine;
    }

    public Integer getPoolSize() {
        return poolSize;
    }

    public void setPoolSize(Integer poolSize) {
        this.poolSize = poolSize;
    }

    public Integer getIntraOpThreads() {
        return intraOpThreads;
    }

    public void setIntraOpThreads(Integer intraOpThreads) {
        this.intraOpThreads = intraOpThreads;
    }

    public double getReviewThreshold() {
        return reviewThreshold;
    }

    public void setReviewThreshold(double reviewThreshold) {
        this.reviewThreshold = reviewThreshold;
    }

    public double getRejectThreshold() {
        return rejectThreshold;
    }

    public void setRejectThreshold(double rejectThreshold) {
        this.rejectThreshold = rejectThreshold;
    }

    public Image getImage() {
        return image;
    }

    public Decode getDecode() {
        return decode;
    }

    /** Limits checked before any pixel is allocated ({@link ImageLimits}). */
    public static class Image {

        /** Largest encoded image accepted. */
        private DataSize maxFileSize = DataSize.ofBytes(ImageLimits.DEFAULT_MAX_FILE_BYTES);

        /** Largest pixel count (width x height) accepted. */
        private long maxPixels = ImageLimits.DEFAULT_MAX_PIXELS;

        public DataSize getMaxFileSize() {
            return maxFileSize;
        }

        public void setMaxFileSize(DataSize maxFileSize) {
            this.maxFileSize = maxFileSize;
        }

        public long getMaxPixels() {
            return maxPixels;
        }

        public void setMaxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
        }
    }

    /** How images are decoded ({@link DecodeOptions}); unset values keep the defaults of the chosen base. */
    public static class Decode {

        /** Start from nsfwjs's pixel semantics (DecodeOptions.nsfwjsCompatible()) instead of the defaults. */
        private boolean nsfwjsCompatible;

        /** What to do with an EXIF orientation tag. Default: apply. */
        private DecodeOptions.Orientation orientation;

        /** What to do with transparent pixels. Default: fill-transparent. */
        private DecodeOptions.Transparency transparency;

        /** Background colour for transparent pixels: #RRGGBB, white or black. Default: white. */
        private String background;

        /** Most frames of an animation to classify, 1 to 1000. Default: 32. */
        private Integer maxFrames;

        /** Classify every n-th frame of an animation, 1 to 1000. Default: 1. */
        private Integer frameStep;

        /** How frame scores become an animation's score. Default: max. */
        private DecodeOptions.FrameAggregate frameAggregate;

        /** How much of a large still image is decoded. Default: reduced. */
        private DecodeOptions.Resolution resolution;

        public boolean isNsfwjsCompatible() {
            return nsfwjsCompatible;
        }

        public void setNsfwjsCompatible(boolean nsfwjsCompatible) {
            this.nsfwjsCompatible = nsfwjsCompatible;
        }

        public DecodeOptions.Orientation getOrientation() {
            return orientation;
        }

        public void setOrientation(DecodeOptions.Orientation orientation) {
            this.orientation = orientation;
        }

        public DecodeOptions.Transparency getTransparency() {
            return transparency;
        }

        public void setTransparency(DecodeOptions.Transparency transparency) {
            this.transparency = transparency;
        }

        public String getBackground() {
            return background;
        }

        public void setBackground(String background) {
            this.background = background;
        }

        public Integer getMaxFrames() {
            return maxFrames;
        }

        public void setMaxFrames(Integer maxFrames) {
            this.maxFrames = maxFrames;
        }

        public Integer getFrameStep() {
            return frameStep;
        }

        public void setFrameStep(Integer frameStep) {
            this.frameStep = frameStep;
        }

        public DecodeOptions.FrameAggregate getFrameAggregate() {
            return frameAggregate;
        }

        public void setFrameAggregate(DecodeOptions.FrameAggregate frameAggregate) {
            this.frameAggregate = frameAggregate;
        }

        public DecodeOptions.Resolution getResolution() {
            return resolution;
        }

        public void setResolution(DecodeOptions.Resolution resolution) {
            this.resolution = resolution;
        }
    }
}
