package io.keshikaran.spring.internal;

import io.keshikaran.Classifier;
import io.keshikaran.EngineUnavailableException;
import io.keshikaran.ModelException;
import io.keshikaran.ScoreFunction;
import io.keshikaran.eval.ThresholdsFile;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.spring.KeshikaranProperties;
import io.keshikaran.spring.ModerationPolicy;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@link KeshikaranProperties} into a classifier and a policy. Every refusal is an
 * {@link InvalidConfigurationPropertyValueException} naming the property, its value and the allowed
 * values, which Spring Boot's failure analysis prints when start-up fails. The four properties a
 * thresholds file also holds are named by {@link ThresholdsFile}'s keys, so that the file
 * {@code keshikaran calibrate --save-thresholds} writes binds here as it is.
 */
public final class PropertiesClassifierFactory {

    private static final String P = KeshikaranProperties.PREFIX + ".";

    private PropertiesClassifierFactory() {
    }

    /** The thresholds, checked. */
    public static ModerationPolicy policy(KeshikaranProperties props) {
        double review = props.getReviewThreshold();
        double reject = props.getRejectThreshold();
        requireUnit(ThresholdsFile.REVIEW_THRESHOLD_KEY, review);
        requireUnit(ThresholdsFile.REJECT_THRESHOLD_KEY, reject);
        if (review > reject) {
            throw new InvalidConfigurationPropertyValueException(ThresholdsFile.REVIEW_THRESHOLD_KEY, review,
                    "must not be above " + ThresholdsFile.REJECT_THRESHOLD_KEY + " (" + reject + ")");
        }
        return new ModerationPolicy(review, reject);
    }

    /**
     * Loads the model the properties describe.
     *
     * @throws InvalidConfigurationPropertyValueException for a bad value, an unknown engine, or a model
     *                                                    that cannot load
     */
    public static Classifier classifier(KeshikaranProperties props) {
        Classifier.Builder builder = Classifier.builder();
        String modelProperty;
        Object modelValue;
        if (props.getModelPath() != null) {
            builder.optModelPath(props.getModelPath());
            modelProperty = P + "model-path";
            modelValue = props.getModelPath();
        } else {
            String model = props.getModel();
            if (model == null || model.isBlank()) {
                throw new InvalidConfigurationPropertyValueException(ThresholdsFile.MODEL_KEY, model,
                        "must name a bundled model, such as " + Classifier.DEFAULT_MODEL + ", or be left unset");
            }
            builder.optModel(model.trim());
            modelProperty = ThresholdsFile.MODEL_KEY;
            modelValue = model;
        }
        if (props.getPreset() != null) {
            builder.optPreset(props.getPreset());
        }
        String engine = props.getEngine();
        if (engine != null && !engine.isBlank()) {
            builder.optEngine(engine.trim().toLowerCase(Locale.ROOT));
        }
        if (props.getPoolSize() != null) {
            set(P + "pool-size", props.getPoolSize(), () -> builder.optPoolSize(props.getPoolSize()));
        }
        if (props.getIntraOpThreads() != null) {
            set(P + "intra-op-threads", props.getIntraOpThreads(),
                    () -> builder.optIntraOpThreads(props.getIntraOpThreads()));
        }
        builder.optImageLimits(limits(props.getImage()));
        builder.optDecodeOptions(decodeOptions(props.getDecode()));
        List<String> scoreLabels = props.getScoreLabels();
        if (scoreLabels != null && !scoreLabels.isEmpty()) {
            set(ThresholdsFile.SCORE_LABELS_KEY, scoreLabels, () -> builder.optScoreFunction(
                    ScoreFunction.sumOf(scoreLabels.stream().map(String::trim).toArray(String[]::new))));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            // The one setting checked against the loaded model: a score label it does not have.
            throw new InvalidConfigurationPropertyValueException(ThresholdsFile.SCORE_LABELS_KEY, scoreLabels, e.getMessage());
        } catch (ModelException e) {
            throw new InvalidConfigurationPropertyValueException(modelProperty, modelValue,
                    "the model cannot be loaded: " + e.getMessage());
        } catch (EngineUnavailableException e) {
            // An engine that was asked for by name is the property's fault; otherwise a jar is missing.
            if (engine != null && !engine.isBlank()) {
                throw new InvalidConfigurationPropertyValueException(P + "engine", engine,
                        e.getMessage() + " (onnxruntime is bundled with the starter; pytorch needs "
                                + "ai.djl.pytorch:pytorch-engine, pytorch-jni and pytorch-native-cpu)");
            }
            throw e;
        }
    }

    private static ImageLimits limits(KeshikaranProperties.Image image) {
        long bytes = image.getMaxFileSize() == null ? -1 : image.getMaxFileSize().toBytes();
        if (bytes < 1) {
            throw new InvalidConfigurationPropertyValueException(P + "image.max-file-size", image.getMaxFileSize(),
                    "must be at least 1 byte, such as 64MB");
        }
        if (image.getMaxPixels() < 1) {
            throw new InvalidConfigurationPropertyValueException(P + "image.max-pixels", image.getMaxPixels(),
                    "must be at least 1, such as 100000000");
        }
        return new ImageLimits(bytes, image.getMaxPixels());
    }

    private static DecodeOptions decodeOptions(KeshikaranProperties.Decode decode) {
        DecodeOptions.Builder b = (decode.isNsfwjsCompatible() ? DecodeOptions.nsfwjsCompatible()
                : DecodeOptions.defaults()).toBuilder();
        if (decode.getOrientation() != null) {
            b.optOrientation(decode.getOrientation());
        }
        if (decode.getTransparency() != null) {
            b.optTransparency(decode.getTransparency());
        }
        if (decode.getBackground() != null) {
            b.optBackground(background(decode.getBackground()));
        }
        if (decode.getMaxFrames() != null) {
            set(P + "decode.max-frames", decode.getMaxFrames(), () -> b.optMaxFrames(decode.getMaxFrames()));
        }
        if (decode.getFrameStep() != null) {
            set(P + "decode.frame-step", decode.getFrameStep(), () -> b.optFrameStep(decode.getFrameStep()));
        }
        if (decode.getFrameAggregate() != null) {
            b.optFrameAggregate(decode.getFrameAggregate());
        }
        if (decode.getResolution() != null) {
            b.optResolution(decode.getResolution());
        }
        return b.build();
    }

    /** {@code #RRGGBB}, {@code RRGGBB}, {@code 0xRRGGBB}, {@code white} or {@code black}. */
    static int background(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("white")) {
            return 0xFFFFFF;
        }
        if (v.equals("black")) {
            return 0x000000;
        }
        String hex = v.startsWith("#") ? v.substring(1) : v.startsWith("0x") ? v.substring(2) : v;
        if (hex.matches("[0-9a-f]{6}")) {
            return Integer.parseInt(hex, 16);
        }
        throw new InvalidConfigurationPropertyValueException(P + "decode.background", value,
                "allowed values are #RRGGBB (such as #FFFFFF), white or black");
    }

    private static void requireUnit(String property, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new InvalidConfigurationPropertyValueException(property, value, "must be within 0..1");
        }
    }

    /** Applies a builder setting whose range the core checks, naming the property on refusal. */
    private static void set(String property, Object value, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }
}
