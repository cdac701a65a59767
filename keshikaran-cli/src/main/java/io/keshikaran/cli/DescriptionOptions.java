package io.keshikaran.cli;

import io.keshikaran.ModelDescription;
import io.keshikaran.ModelException;
import io.keshikaran.ModelPreset;
import io.keshikaran.OutputActivation;
import io.keshikaran.preprocess.ChannelOrder;
import io.keshikaran.preprocess.Layout;
import io.keshikaran.preprocess.PreprocessingSpec;
import io.keshikaran.preprocess.ResizeMethod;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Describes the model on the command line instead of (or on top of) a {@code keshikaran-model.json}:
 * a preset for a public model family, and any field of the description. Options apply over the
 * preset if one is given, else over the description beside the model file (or the bundled model's).
 */
final class DescriptionOptions {

    @Option(names = "--preset", paramLabel = "FAMILY", order = 100,
            description = "Describe the model as a public model family does: nsfwjs, yahoo_open_nsfw, kleamp1e_2022 "
                    + "or falconsai_vit (preprocessing, labels, score). The options below override parts of it.")
    String preset;

    @Option(names = "--input-size", paramLabel = "HxW", order = 101,
            description = "The model's input height and width, such as 224 or 384x384.")
    String inputSize;

    @Option(names = "--layout", paramLabel = "LAYOUT", order = 102, description = "The input's axis order: NHWC or NCHW.")
    Layout layout;

    @Option(names = "--channel-order", paramLabel = "ORDER", order = 103, description = "RGB or BGR.")
    ChannelOrder channelOrder;

    @Option(names = "--pixel-divisor", paramLabel = "D", order = 104,
            description = "Each 0..255 value is divided by D first (255 for 0..1, 1 to keep 0..255).")
    Float pixelDivisor;

    @Option(names = "--mean", paramLabel = "M,M,M", order = 105,
            description = "Per-channel mean subtracted after scaling, in the model's channel order.")
    String mean;

    @Option(names = "--std", paramLabel = "S,S,S", order = 106,
            description = "Per-channel standard deviation divided by after the mean, in the model's channel order.")
    String std;

    @Option(names = "--resize", paramLabel = "METHOD", order = 107,
            description = "bilinear_align_corners (TensorFlow, nsfwjs), bilinear, bicubic or nearest (Pillow).")
    ResizeMethod resize;

    @Option(names = "--crop", paramLabel = "HxW|none", order = 108,
            description = "Resize to HxW, then cut out the centre input-size window; 'none' squashes the image "
                    + "straight to the input size.")
    String crop;

    @Option(names = "--jpeg-round-trip", paramLabel = "Q", order = 109,
            description = "After resizing, encode as JPEG of quality Q and decode again (Yahoo's reference); 0 for none.")
    Integer jpegQuality;

    @Option(names = "--labels", paramLabel = "L,L,...", split = ",", order = 110,
            description = "One label per model output, in output order.")
    List<String> labels;

    @Option(names = "--activation", paramLabel = "KIND", order = 111,
            description = "What turns outputs into probabilities: none (already probabilities), softmax or sigmoid.")
    OutputActivation activation;

    @Option(names = "--score-labels", paramLabel = "L,...", split = ",", order = 112,
            description = "The score is the sum of these labels' probabilities.")
    List<String> scoreLabels;

    private boolean anyOverride() {
        return inputSize != null || layout != null || channelOrder != null || pixelDivisor != null || mean != null
                || std != null || resize != null || crop != null || jpegQuality != null || labels != null
                || activation != null || scoreLabels != null;
    }

    /**
     * The description these options give, or empty when they give none (the library then reads the
     * model's own description). A description file that cannot be read is left to the library, which
     * reports it with the model.
     *
     * @param model      the --model value
     * @param modelFile  the model file, or null for a bundled model
     * @throws CommandLine.ParameterException if the options are invalid or do not describe the model fully
     */
    Optional<ModelDescription> describe(CommandLine commandLine, String model, Path modelFile) {
        if (preset == null && !anyOverride()) {
            return Optional.empty();
        }
        try {
            ModelDescription base;
            if (preset != null) {
                base = ModelPreset.fromId(preset).description();
                if (modelFile != null) {
                    base = base.toBuilder().setName(stem(modelFile)).optVersion(base.name()).build();
                }
            } else {
                Optional<ModelDescription> own;
                try {
                    own = modelFile != null ? ModelDescription.besideModelFile(modelFile) : ModelDescription.bundled(model);
                } catch (ModelException e) {
                    return Optional.empty();
                }
                if (own.isEmpty() && modelFile == null) {
                    return Optional.empty();
                }
                base = own.orElse(null);
            }
            return Optional.of(apply(base, modelFile));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
        }
    }

    private ModelDescription apply(ModelDescription base, Path modelFile) {
        if (base == null && (inputSize == null || labels == null)) {
            throw new IllegalArgumentException(modelFile + " has no keshikaran-model.json beside it: describe it with "
                    + "--preset FAMILY, or at least --input-size and --labels");
        }
        PreprocessingSpec.Builder spec = base != null ? base.preprocessing().toBuilder() : PreprocessingSpec.builder();
        if (inputSize != null) {
            int[] hw = size(inputSize, "--input-size");
            spec.setSize(hw[0], hw[1]);
        }
        if (layout != null) {
            spec.optLayout(layout);
        }
        if (channelOrder != null) {
            spec.optChannelOrder(channelOrder);
        }
        if (pixelDivisor != null) {
            spec.optPixelDivisor(pixelDivisor);
        }
        if (mean != null || std != null) {
            float[] m = mean != null ? floats(mean, "--mean") : base != null ? base.preprocessing().mean() : new float[] {0, 0, 0};
            float[] s = std != null ? floats(std, "--std") : base != null ? base.preprocessing().std() : new float[] {1, 1, 1};
            spec.optNormalization(m, s);
        }
        if (resize != null) {
            spec.optResize(resize);
        }
        if (crop != null) {
            if (crop.equalsIgnoreCase("none")) {
                spec.optSquash();
            } else {
                int[] hw = size(crop, "--crop");
                spec.optCenterCrop(hw[0], hw[1]);
            }
        }
        if (jpegQuality != null) {
            spec.optJpegRoundTrip(jpegQuality);
        }
        ModelDescription.Builder d = base != null ? base.toBuilder()
                : ModelDescription.builder().setName(stem(modelFile)).optSource(modelFile.toString());
        d.setPreprocessing(spec.build());
        List<String> newLabels = labels != null ? labels : base.labels();
        d.setLabels(newLabels);
        if (activation != null) {
            d.optActivation(activation);
        }
        if (scoreLabels != null) {
            d.setScoreLabels(scoreLabels);
        } else if (base == null || !newLabels.containsAll(base.scoreLabels())) {
            if (newLabels.size() != 1) {
                throw new IllegalArgumentException("--score-labels is needed: which of " + newLabels + " make up the score?");
            }
            d.setScoreLabels(newLabels);
        }
        return d.build();
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static int[] size(String value, String option) {
        String[] parts = value.toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 1) {
                int s = Integer.parseInt(parts[0].strip());
                return new int[] {s, s};
            }
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a size like 224 or 256x256, got '" + value + "'");
    }

    private static float[] floats(String value, String option) {
        String[] parts = value.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException(option + " needs three comma-separated numbers, got '" + value + "'");
        }
        float[] out = new float[3];
        try {
            for (int i = 0; i < 3; i++) {
                out[i] = Float.parseFloat(parts[i].strip());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs three comma-separated numbers, got '" + value + "'");
        }
        return out;
    }
}
