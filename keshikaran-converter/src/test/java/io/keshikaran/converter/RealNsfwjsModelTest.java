package io.keshikaran.converter;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End-to-end conversion of the real nsfwjs 4.4.0 models. Needs the npm tarball (system property
 * {@code keshikaran.nsfwjs.tarball}, default {@code /tmp/nsfw/nsfwjs-4.4.0.tgz}) and is skipped without it.
 *
 * <p>The expected probabilities were computed with TensorFlow.js 4.22.0 (cpu backend, node) loading the same
 * model files, on the synthetic input {@code x[h][w][c] = ((7h + 3w + 50c) mod 256) / 255} (for
 * {@code mobilenet_v2_mid}, loaded as nsfwjs 4.4.0's {@code load("MobileNetV2Mid")} does, also on zeros).
 */
class RealNsfwjsModelTest {

    private static NpmPackage pkg;

    @BeforeAll
    static void loadTarball() {
        Path tarball = Path.of(System.getProperty("keshikaran.nsfwjs.tarball", "/tmp/nsfw/nsfwjs-4.4.0.tgz"));
        assumeTrue(Files.isRegularFile(tarball), "nsfwjs tarball not present at " + tarball);
        pkg = NpmPackage.fromTarball(tarball);
    }

    static float[] syntheticInput(int size) {
        float[] x = new float[size * size * 3];
        for (int h = 0; h < size; h++) {
            for (int w = 0; w < size; w++) {
                for (int c = 0; c < 3; c++) {
                    x[(h * size + w) * 3 + c] = (float) (((h * 7 + w * 3 + c * 50) % 256) / 255.0);
                }
            }
        }
        return x;
    }

    private static float[] predict(ModelProto model, int size) throws OrtException {
        return predict(model, size, syntheticInput(size));
    }

    private static float[] predict(ModelProto model, int size, float[] input) throws OrtException {
        try (OrtSession session = Onnx.session(model.toByteArray(), true)) {
            assertThat(session.getInputNames()).containsExactly("input");
            assertThat(session.getOutputNames()).containsExactly("probabilities");
            Onnx.Output out = Onnx.run(session, input, 1, size, size, 3);
            assertThat(out.shape()).containsExactly(1, 5);
            return out.values();
        }
    }

    private static void assertMatchesTfjs(float[] actual, double... tfjs) {
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            assertThat((double) actual[i]).as("class %d", i).isCloseTo(tfjs[i], within(2e-5));
            sum += actual[i];
        }
        assertThat(sum).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void mobilenetV2MatchesTensorFlowJs() throws OrtException {
        ModelProto model = NsfwjsModels.toOnnx(pkg, NsfwjsModels.Model.MOBILENET_V2, WeightStorage.UINT8_LUT);
        assertThat(TfjsToOnnxConverter.inputShape(model)).containsExactly(-1, 224, 224, 3);
        assertMatchesTfjs(predict(model, 224),
                0.00865621865, 0.00827236380, 0.838776767, 0.141567677, 0.00272699445);
    }

    @Test
    void inceptionV3MatchesTensorFlowJs() throws OrtException {
        ModelProto model = NsfwjsModels.toOnnx(pkg, NsfwjsModels.Model.INCEPTION_V3, WeightStorage.UINT8_LUT);
        assertThat(TfjsToOnnxConverter.inputShape(model)).containsExactly(-1, 299, 299, 3);
        assertMatchesTfjs(predict(model, 299),
                0.274901390, 0.0115312124, 0.709795058, 0.00307091791, 0.000701406214);
    }

    @Test
    void mobilenetV2MidGraphModelMatchesTensorFlowJs() throws OrtException {
        TfjsGraphModel graph = TfjsGraphModel.fromNpmBundle(pkg, NsfwjsModels.Model.MOBILENET_V2_MID.packageDirectory());
        // Every op the graph uses, with its count: all of them are translated.
        assertThat(graph.opCounts()).containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(
                entry("AddV2", 10), entry("AvgPool", 1), entry("Const", 108),
                entry("FusedDepthwiseConv2dNative", 17), entry("Identity", 1),
                entry("Mul", 1), entry("Placeholder", 1), entry("Softmax", 1),
                entry("Squeeze", 1), entry("Sub", 1),
                entry("_FusedConv2D", 35), entry("_FusedMatMul", 1))));
        assertThat(TfjsToOnnxConverter.supportedOps()).containsAll(graph.opCounts().keySet());
        assertThat(graph.signatureInputs()).containsExactly("input:0");
        assertThat(graph.signatureOutputs()).containsExactly("Identity:0");
        assertThat(graph.convertedBy()).contains("TensorFlow.js Converter v1.7.4r1");

        ModelProto model = NsfwjsModels.toOnnx(pkg, NsfwjsModels.Model.MOBILENET_V2_MID, WeightStorage.UINT8_LUT);
        assertThat(TfjsToOnnxConverter.inputShape(model)).containsExactly(-1, 224, 224, 3);
        assertMatchesTfjs(predict(model, 224),
                0.00525429612, 0.000254121493, 0.994486272, 0.00000140450470, 0.00000396365658);
        assertMatchesTfjs(predict(model, 224, new float[224 * 224 * 3]),
                0.0244941637, 0.0225231554, 0.950718760, 0.00111425424, 0.00114971388);
        float[] f32 = predict(NsfwjsModels.toOnnx(pkg, NsfwjsModels.Model.MOBILENET_V2_MID, WeightStorage.FLOAT32), 224);
        assertThat(predict(model, 224)).containsExactly(f32);
    }

    @Test
    void mobilenetV2WeightStoragesAgree() throws OrtException {
        float[] lut = predict(NsfwjsModels.toOnnx(pkg, NsfwjsModels.Model.MOBILENET_V2, WeightStorage.UINT8_LUT), 224);
        float[] f32 = predict(NsfwjsModels.toOnnx(pkg, NsfwjsModels.Model.MOBILENET_V2, WeightStorage.FLOAT32), 224);
        float[] affine = predict(NsfwjsModels.toOnnx(pkg, NsfwjsModels.Model.MOBILENET_V2, WeightStorage.UINT8_AFFINE), 224);
        // The table holds exactly tfjs's float32 weights: once ORT has folded the constants, the graphs are equal.
        assertThat(lut).containsExactly(f32);
        for (int i = 0; i < 5; i++) {
            assertThat(affine[i]).isCloseTo(f32[i], within(1e-5f));
        }
    }

    @ParameterizedTest
    @EnumSource(value = NsfwjsModels.Model.class, names = {"MOBILENET_V2", "MOBILENET_V2_MID"})
    void conversionIsDeterministic(NsfwjsModels.Model model) {
        byte[] a = NsfwjsModels.toOnnx(pkg, model, WeightStorage.UINT8_LUT).toByteArray();
        byte[] b = NsfwjsModels.toOnnx(pkg, model, WeightStorage.UINT8_LUT).toByteArray();
        assertThat(NpmPackage.sha256(a)).isEqualTo(NpmPackage.sha256(b));
    }
}
