package io.keshikaran;

import io.keshikaran.preprocess.ChannelOrder;
import io.keshikaran.preprocess.Layout;
import io.keshikaran.preprocess.PreprocessingSpec;
import io.keshikaran.preprocess.ResizeMethod;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Descriptions of the public NSFW model families, for a model file you bring yourself: each
 * reproduces the family's reference preprocessing exactly and names its outputs and score. Use one
 * with {@link Classifier.Builder#optPreset}, or as the base of your own description:
 *
 * <pre>{@code
 * Classifier.builder().optModelPath(Path.of("open_nsfw.onnx")).optPreset(ModelPreset.YAHOO_OPEN_NSFW).build();
 *
 * ModelDescription mine = ModelPreset.FALCONSAI_VIT.description().toBuilder()
 *         .setScoreLabels(List.of("nsfw")).build();
 * }</pre>
 *
 * <p>Each preset's {@link ModelInfo#source()} points at the family and {@link ModelInfo#license()}
 * is the family's published licence; describe your model yourself if its weights come from elsewhere.
 * Where keshikaran cannot do what a family's reference code does, the constant's Javadoc says so.
 */
public enum ModelPreset {
    /**
     * GantMan nsfw_model as shipped in nsfwjs (MIT): 224x224 NHWC RGB in 0..1, TensorFlow's bilinear
     * align-corners squash resize, softmax outputs Drawing, Hentai, Neutral, Porn, Sexy; score
     * P(Hentai) + P(Porn) + P(Sexy). The bundled models use exactly this (InceptionV3 at 299x299:
     * change the size).
     */
    NSFWJS("GantMan/nsfw_model via nsfwjs (https://github.com/infinitered/nsfwjs)", "MIT",
            PreprocessingSpec.nsfwjs(224),
            List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy"), OutputActivation.NONE,
            List.of("Hentai", "Porn", "Sexy")),

    /**
     * Yahoo open_nsfw (Caffe ResNet-50 "thin", BSD-2), as its {@code classify_nsfw.py} feeds it:
     * Pillow bilinear (antialiased) squash to 256x256, a JPEG round trip at Pillow's default quality
     * 75, the centre 224x224 crop, NCHW, BGR in 0..255 minus the mean (104, 117, 123). The output is
     * the softmax over SFW, NSFW; the score is P(NSFW). Yahoo's guidance: below 0.2 is likely safe,
     * above 0.8 likely NSFW.
     *
     * <p>Differences from the reference: keshikaran decodes and converts to RGB itself (the
     * reference uses Pillow and then skimage, which agree with it on ordinary JPEG and PNG); the
     * reference's {@code v / 255 * 255} round trip in float32 moves values by at most 2e-5.
     */
    YAHOO_OPEN_NSFW("Yahoo open_nsfw (https://github.com/yahoo/open_nsfw)", "BSD-2-Clause",
            PreprocessingSpec.builder().setSize(224, 224).optLayout(Layout.NCHW).optChannelOrder(ChannelOrder.BGR)
                    .optPixelDivisor(1f).optNormalization(new float[] {104f, 117f, 123f}, new float[] {1f, 1f, 1f})
                    .optResize(ResizeMethod.BILINEAR).optCenterCrop(256, 256).optJpegRoundTrip(75).build(),
            List.of("SFW", "NSFW"), OutputActivation.NONE, List.of("NSFW")),

    /**
     * kleamp1e's 2022 classifier (EfficientNetV2-S, ONNX, MIT): Pillow bicubic squash to 384x384,
     * NHWC RGB in 0..1. The model ends in a sigmoid, so its single output already is P(lewd) and
     * keshikaran applies no activation; set {@link OutputActivation#SIGMOID} for an export that
     * outputs the logit. Score: P(lewd).
     *
     * <p>Difference from the reference: its {@code predict.py} resizes before converting to RGB, so
     * a palette image is resized with nearest neighbour and an RGBA one with premultiplied alpha;
     * keshikaran resizes the decoded RGB image. Opaque RGB and grey images are unaffected.
     */
    KLEAMP1E_2022("kleamp1e classifier-pornography-20221113 (https://zenn.dev/kleamp1e/articles/202211-pornography-classifier-10)", "MIT",
            PreprocessingSpec.builder().setSize(384, 384).optResize(ResizeMethod.BICUBIC).build(),
            List.of("lewd"), OutputActivation.NONE, List.of("lewd")),

    /**
     * Falconsai nsfw_image_detection (ViT-base/16, Apache-2.0) with its Hugging Face image
     * processor: Pillow bilinear squash to 224x224, rescale by 1/255, mean 0.5 and std 0.5, NCHW RGB.
     * The model outputs logits for normal, nsfw; keshikaran applies the softmax. Score: P(nsfw).
     */
    FALCONSAI_VIT("Falconsai/nsfw_image_detection (https://huggingface.co/Falconsai/nsfw_image_detection)",
            "Apache-2.0",
            PreprocessingSpec.builder().setSize(224, 224).optLayout(Layout.NCHW).optResize(ResizeMethod.BILINEAR)
                    .optNormalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}).build(),
            List.of("normal", "nsfw"), OutputActivation.SOFTMAX, List.of("nsfw"));

    private final String source;
    private final String license;
    private final PreprocessingSpec preprocessing;
    private final List<String> labels;
    private final OutputActivation activation;
    private final List<String> scoreLabels;

    ModelPreset(String source, String license, PreprocessingSpec preprocessing, List<String> labels,
                OutputActivation activation, List<String> scoreLabels) {
        this.source = source;
        this.license = license;
        this.preprocessing = preprocessing;
        this.labels = labels;
        this.activation = activation;
        this.scoreLabels = scoreLabels;
    }

    /**
     * The preset's name in descriptors and on the command line, such as {@code yahoo_open_nsfw}.
     *
     * @return the id
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The full description, named after the preset; rename it with {@code toBuilder().setName(...)}.
     *
     * @return the description
     */
    public ModelDescription description() {
        return ModelDescription.builder().setName(id()).optVersion("preset").optSource(source).optLicense(license)
                .setPreprocessing(preprocessing).setLabels(labels).optActivation(activation)
                .setScoreLabels(scoreLabels).build();
    }

    /**
     * The preset with this {@link #id()}; case and {@code -} versus {@code _} do not matter.
     *
     * @param id the preset's id
     * @return the preset
     * @throws IllegalArgumentException listing the known presets
     */
    public static ModelPreset fromId(String id) {
        String normalized = id.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ModelPreset p : values()) {
            if (p.name().equals(normalized)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + id + "'; known presets: " + ids());
    }

    /**
     * All preset ids, comma-separated, for messages and help.
     *
     * @return the ids
     */
    public static String ids() {
        return Arrays.stream(values()).map(ModelPreset::id).collect(Collectors.joining(", "));
    }
}
