package io.keshikaran.djl;

import com.fasterxml.jackson.databind.JsonNode;
import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.ClassificationResult;
import io.keshikaran.Classifier;
import io.keshikaran.internal.model.BundledModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.keshikaran.image.DecodeOptions;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The bundled models give the same answers on both engines: ONNX Runtime runs {@code model.onnx},
 * PyTorch runs {@code model.pt} (made by tools/torchscript from the same weights). Per class, the two
 * agree within {@value #ENGINE_TOLERANCE}, and each agrees with nsfwjs 4.4.0's own outputs within
 * {@link NsfwjsFidelityTest#TOLERANCE}, as {@link NsfwjsFidelityTest} requires of ONNX Runtime (and,
 * like it, decoding every pixel as nsfwjs does). Every bundled model with an ONNX file must also have
 * its TorchScript twin: tools/regenerate-models.sh makes both.
 */
class EngineParityTest {
    static final double ENGINE_TOLERANCE = 1e-4;
    private static final List<String> MODELS = bundledModels();
    private static final List<String> LABELS = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
    private static final Map<String, Classifier> ORT = new HashMap<>();
    private static final Map<String, Classifier> PYTORCH = new HashMap<>();
    /** Largest differences seen, per model: engine vs engine, ORT vs nsfwjs, PyTorch vs nsfwjs. */
    private static final Map<String, double[]> MAX_DIFF = new ConcurrentHashMap<>();

    /** The models listed in the models jar's index that have an ONNX file. */
    static List<String> bundledModels() {
        ClassLoader cl = EngineParityTest.class.getClassLoader();
        List<String> names = BundledModels.names(cl);
        assertThat(names).as(BundledModels.INDEX).isNotEmpty();
        return names.stream().filter(m -> cl.getResource(BundledModels.resource(m, "model.onnx")) != null).toList();
    }

    @BeforeAll
    static void load() throws Exception {
        for (String model : MODELS) {
            ORT.put(model, Classifier.builder().optModel(model).optEngine("onnxruntime")
                    .optDecodeOptions(DecodeOptions.nsfwjsCompatible()).build());
            PYTORCH.put(model, Classifier.builder().optModel(model).optEngine("pytorch")
                    .optDecodeOptions(DecodeOptions.nsfwjsCompatible()).build());
        }
    }

    @Test
    void everyBundledModelHasATorchScriptTwin() throws Exception {
        assertThat(MODELS).contains("mobilenet_v2", "inception_v3");
        ClassLoader cl = EngineParityTest.class.getClassLoader();
        for (String model : MODELS) {
            assertThat(BundledModels.descriptor(model, cl).orElseThrow().file("torchscript"))
                    .as("%s: files.torchscript; run tools/regenerate-models.sh", model).contains("model.pt");
            assertThat(cl.getResource(BundledModels.resource(model, "model.pt"))).as(model + "/model.pt").isNotNull();
        }
    }

    @AfterAll
    static void close() {
        ORT.values().forEach(Classifier::close);
        PYTORCH.values().forEach(Classifier::close);
        // Surefire keeps this in target/surefire-reports/*-output.txt; the numbers go into the docs.
        MAX_DIFF.forEach((model, d) -> System.out.printf(Locale.ROOT,
                "parity %s: max |ort - pytorch| = %.2e, max |ort - nsfwjs| = %.2e, max |pytorch - nsfwjs| = %.2e%n",
                model, d[0], d[1], d[2]));
    }

    static Stream<Arguments> cases() {
        return MODELS.stream().flatMap(m -> Fixtures.imagesFor(m).stream().map(image -> Arguments.of(m, image)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void bothEnginesAgreeWithEachOtherAndWithNsfwjs(String model, String image) throws Exception {
        Path file = Fixtures.image(image);
        Classification ort = ORT.get(model).classify(file);
        Classification pt = PYTORCH.get(model).classify(file);
        assertThat(ort.model().engine()).isEqualTo("onnxruntime");
        assertThat(pt.model().engine()).isEqualTo("pytorch");
        assertThat(pt.model().id()).isEqualTo(ort.model().id());

        JsonNode expected = Fixtures.expected().path("models").path(model).path(image);
        double[] max = MAX_DIFF.computeIfAbsent(model, m -> new double[3]);
        for (int i = 0; i < LABELS.size(); i++) {
            String label = LABELS.get(i);
            double o = ort.probability(label);
            double p = pt.probability(label);
            double e = expected.get(i).asDouble();
            assertThat(p).as("%s %s P(%s) pytorch vs onnxruntime", model, image, label)
                    .isCloseTo(o, within(ENGINE_TOLERANCE));
            assertThat(o).as("%s %s P(%s) onnxruntime vs nsfwjs", model, image, label)
                    .isCloseTo(e, within(NsfwjsFidelityTest.TOLERANCE));
            assertThat(p).as("%s %s P(%s) pytorch vs nsfwjs", model, image, label)
                    .isCloseTo(e, within(NsfwjsFidelityTest.TOLERANCE));
            synchronized (max) {
                max[0] = Math.max(max[0], Math.abs(o - p));
                max[1] = Math.max(max[1], Math.abs(o - e));
                max[2] = Math.max(max[2], Math.abs(p - e));
            }
        }
        assertThat(pt.score()).isCloseTo(ort.score(), within(3 * ENGINE_TOLERANCE));
    }

    @Test
    void pytorchBatchesGiveTheSameResultsAsSingleImages() throws Exception {
        Classifier pt = PYTORCH.get("mobilenet_v2");
        List<Path> images = Fixtures.imagesFor("mobilenet_v2").stream().map(Fixtures::image).toList();
        List<ClassificationResult> batched = pt.classifyAll(images, BatchOptions.defaults().withBatchSize(4));
        for (int i = 0; i < images.size(); i++) {
            Classification single = pt.classify(images.get(i));
            Classification inBatch = batched.get(i).classification().orElseThrow();
            for (String label : LABELS) {
                assertThat((double) inBatch.probability(label)).as("%s %s", images.get(i), label)
                        .isCloseTo(single.probability(label), within(1e-5));
            }
        }
    }
}
