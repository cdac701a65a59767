package io.keshikaran.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelPreset;
import io.keshikaran.OutputActivation;
import io.keshikaran.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The model-family presets: their settings, the exact tensors they produce for known pixels (computed
 * here from each family's documented formula), and agreement with each family's reference code
 * (tools/pillow-reference runs it in Pillow and numpy).
 */
class ModelPresetTest {

    /** A known-pixel image: sample (x, y, c) = (7x + 13y + 71c) mod 256. */
    static RgbImage pattern(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * w + x) * 3 + c] = (byte) value(x, y, c);
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    static int value(int x, int y, int c) {
        return (7 * x + 13 * y + 71 * c) % 256;
    }

    static RgbImage solid(int w, int h, int r, int g, int b) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) r;
            rgb[i + 1] = (byte) g;
            rgb[i + 2] = (byte) b;
        }
        return new RgbImage(w, h, rgb);
    }

    private static FloatTensor run(ModelPreset preset, RgbImage image) {
        return Preprocessor.of(preset.description().preprocessing()).preprocess(image);
    }

    private static FloatTensor run(PreprocessingSpec spec, RgbImage image) {
        return Preprocessor.of(spec).preprocess(image);
    }

    @Test
    void presetsSayWhatTheFamiliesDocument() {
        PreprocessingSpec nsfwjs = ModelPreset.NSFWJS.description().preprocessing();
        assertThat(nsfwjs).isEqualTo(PreprocessingSpec.nsfwjs(224));

        PreprocessingSpec yahoo = ModelPreset.YAHOO_OPEN_NSFW.description().preprocessing();
        assertThat(yahoo.inputShape()).containsExactly(1, 3, 224, 224);
        assertThat(yahoo.channelOrder()).isEqualTo(ChannelOrder.BGR);
        assertThat(yahoo.pixelDivisor()).isEqualTo(1f);
        assertThat(yahoo.mean()).containsExactly(104f, 117f, 123f);
        assertThat(yahoo.std()).containsExactly(1f, 1f, 1f);
        assertThat(yahoo.resize()).isEqualTo(ResizeMethod.BILINEAR);
        assertThat(yahoo.crop()).isEqualTo(CropMode.CENTER);
        assertThat(yahoo.resizeHeight()).isEqualTo(256);
        assertThat(yahoo.resizeWidth()).isEqualTo(256);
        assertThat(yahoo.jpegRoundTripQuality()).isEqualTo(75);

        PreprocessingSpec kleamp1e = ModelPreset.KLEAMP1E_2022.description().preprocessing();
        assertThat(kleamp1e.inputShape()).containsExactly(1, 384, 384, 3);
        assertThat(kleamp1e.resize()).isEqualTo(ResizeMethod.BICUBIC);
        assertThat(kleamp1e.crop()).isEqualTo(CropMode.NONE);
        assertThat(kleamp1e.pixelDivisor()).isEqualTo(255f);

        PreprocessingSpec falconsai = ModelPreset.FALCONSAI_VIT.description().preprocessing();
        assertThat(falconsai.inputShape()).containsExactly(1, 3, 224, 224);
        assertThat(falconsai.channelOrder()).isEqualTo(ChannelOrder.RGB);
        assertThat(falconsai.mean()).containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(falconsai.std()).containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(falconsai.resize()).isEqualTo(ResizeMethod.BILINEAR);
    }

    @Test
    void presetsNameTheirOutputsAndScore() {
        ModelDescription nsfwjs = ModelPreset.NSFWJS.description();
        assertThat(nsfwjs.labels()).containsExactly("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
        assertThat(nsfwjs.scoreLabels()).containsExactly("Hentai", "Porn", "Sexy");
        assertThat(nsfwjs.activation()).isEqualTo(OutputActivation.NONE);
        ModelDescription yahoo = ModelPreset.YAHOO_OPEN_NSFW.description();
        assertThat(yahoo.labels()).containsExactly("SFW", "NSFW");
        assertThat(yahoo.scoreLabels()).containsExactly("NSFW");
        assertThat(yahoo.activation()).isEqualTo(OutputActivation.NONE);
        ModelDescription kleamp1e = ModelPreset.KLEAMP1E_2022.description();
        assertThat(kleamp1e.labels()).containsExactly("lewd");
        assertThat(kleamp1e.activation()).isEqualTo(OutputActivation.NONE);
        ModelDescription falconsai = ModelPreset.FALCONSAI_VIT.description();
        assertThat(falconsai.labels()).containsExactly("normal", "nsfw");
        assertThat(falconsai.scoreLabels()).containsExactly("nsfw");
        assertThat(falconsai.activation()).isEqualTo(OutputActivation.SOFTMAX);
        assertThat(falconsai.name()).isEqualTo("falconsai_vit");
        assertThat(falconsai.license()).isEqualTo("Apache-2.0");
    }

    @Test
    void presetsAreFoundByIdInAnyCase() {
        assertThat(ModelPreset.fromId("yahoo_open_nsfw")).isEqualTo(ModelPreset.YAHOO_OPEN_NSFW);
        assertThat(ModelPreset.fromId("Falconsai-ViT")).isEqualTo(ModelPreset.FALCONSAI_VIT);
        assertThatThrownBy(() -> ModelPreset.fromId("clip"))
                .hasMessage("unknown preset 'clip'; known presets: nsfwjs, yahoo_open_nsfw, kleamp1e_2022, falconsai_vit");
    }

    // ---- Exact tensors for known pixels at the input size, where resizing is the identity. ----

    @Test
    void nsfwjsIsRgbOver255Nhwc() {
        FloatTensor t = run(ModelPreset.NSFWJS, pattern(224, 224));
        assertThat(t.shape()).containsExactly(1, 224, 224, 3);
        for (int y = 0; y < 224; y += 37) {
            for (int x = 0; x < 224; x += 29) {
                for (int c = 0; c < 3; c++) {
                    assertThat(t.get((y * 224 + x) * 3 + c)).isEqualTo((float) (value(x, y, c) / 255.0));
                }
            }
        }
    }

    @Test
    void yahooCropsTheCentreAndSubtractsTheBgrMeanChannelsFirst() {
        // At 256x256 the resize is the identity; without the JPEG step every value follows from the formula.
        PreprocessingSpec noJpeg = ModelPreset.YAHOO_OPEN_NSFW.description().preprocessing().toBuilder()
                .optJpegRoundTrip(0).build();
        FloatTensor t = run(noJpeg, pattern(256, 256));
        assertThat(t.shape()).containsExactly(1, 3, 224, 224);
        float[] bgrMean = {104, 117, 123};
        int plane = 224 * 224;
        for (int c = 0; c < 3; c++) {
            int rgbChannel = 2 - c;
            for (int y = 0; y < 224; y += 31) {
                for (int x = 0; x < 224; x += 23) {
                    float expected = value(x + 16, y + 16, rgbChannel) - bgrMean[c];
                    assertThat(t.get(c * plane + y * 224 + x)).as("c=%d y=%d x=%d", c, y, x).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void yahooJpegRoundTripKeepsAFlatGrey() {
        // A flat grey is stored exactly by JPEG (only the DC term, Cb = Cr = 128), whatever the size.
        FloatTensor t = run(ModelPreset.YAHOO_OPEN_NSFW, solid(300, 180, 90, 90, 90));
        float[] bgrMean = {104, 117, 123};
        for (int i = 0; i < t.size(); i++) {
            assertThat(t.get(i)).isEqualTo(90 - bgrMean[i / (224 * 224)]);
        }
    }

    @Test
    void kleamp1eIsRgbOver255Nhwc() {
        FloatTensor t = run(ModelPreset.KLEAMP1E_2022, pattern(384, 384));
        assertThat(t.shape()).containsExactly(1, 384, 384, 3);
        for (int y = 0; y < 384; y += 41) {
            for (int x = 0; x < 384; x += 43) {
                for (int c = 0; c < 3; c++) {
                    assertThat(t.get((y * 384 + x) * 3 + c)).isEqualTo(value(x, y, c) / 255f);
                }
            }
        }
    }

    @Test
    void falconsaiIsMinusOneToOneChannelsFirst() {
        FloatTensor t = run(ModelPreset.FALCONSAI_VIT, pattern(224, 224));
        assertThat(t.shape()).containsExactly(1, 3, 224, 224);
        int plane = 224 * 224;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 224; y += 19) {
                for (int x = 0; x < 224; x += 17) {
                    double expected = (value(x, y, c) / 255.0 - 0.5) / 0.5;
                    assertThat((double) t.get(c * plane + y * 224 + x)).isCloseTo(expected, within(1e-6));
                }
            }
        }
        assertThat(t.get(0)).isEqualTo(-1f);
    }

    @ParameterizedTest
    @EnumSource(ModelPreset.class)
    void aSolidColourStaysSolidThroughEveryResize(ModelPreset preset) {
        PreprocessingSpec spec = preset.description().preprocessing().toBuilder().optJpegRoundTrip(0).build();
        FloatTensor t = run(spec, solid(517, 133, 200, 30, 90));
        int[] rgb = {200, 30, 90};
        int plane = spec.height() * spec.width();
        for (int i = 0; i < t.size(); i++) {
            int c = spec.layout() == Layout.NCHW ? i / plane : i % 3;
            int source = spec.channelOrder() == ChannelOrder.BGR ? 2 - c : c;
            float expected = (rgb[source] / spec.pixelDivisor() - spec.mean()[c]) / spec.std()[c];
            assertThat((double) t.get(i)).as("%s value %d", preset, i).isCloseTo(expected, within(1e-6));
        }
    }

    // ---- Whole pipelines against each family's reference code. ----

    static Stream<JsonNode> referenceCases() {
        List<JsonNode> cases = new ArrayList<>();
        PillowParityTest.expected().path("presets").forEach(cases::add);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void matchesTheFamilysReferencePreprocessing(JsonNode c) {
        ModelPreset preset = ModelPreset.fromId(c.path("preset").asText());
        FloatTensor t = run(preset, PillowParityTest.source(c.path("image").asText()));
        List<Long> shape = new ArrayList<>();
        c.path("shape").forEach(d -> shape.add(d.asLong()));
        assertThat(t.shape()).containsExactly(shape.stream().mapToLong(Long::longValue).toArray());
        // Yahoo's reference goes through float32 v / 255 * 255, which moves 0..255 values by up to ~2e-5.
        double tolerance = preset == ModelPreset.YAHOO_OPEN_NSFW ? 1e-4 : 1e-6;
        c.path("samples").fields().forEachRemaining(s -> assertThat((double) t.get(Integer.parseInt(s.getKey())))
                .as("%s sample %s", preset, s.getKey()).isCloseTo(s.getValue().asDouble(), within(tolerance)));
        double[] means = channelMeans(t, preset.description().preprocessing().layout());
        for (int ch = 0; ch < 3; ch++) {
            assertThat(means[ch]).as("%s channel %d mean", preset, ch)
                    .isCloseTo(c.path("channelMeans").get(ch).asDouble(), within(tolerance));
        }
    }

    static double[] channelMeans(FloatTensor t, Layout layout) {
        double[] sums = new double[3];
        int perChannel = t.size() / 3;
        for (int i = 0; i < t.size(); i++) {
            sums[layout == Layout.NCHW ? i / perChannel : i % 3] += t.get(i);
        }
        for (int c = 0; c < 3; c++) {
            sums[c] /= perChannel;
        }
        return sums;
    }
}
