package io.keshikaran.converter;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End-to-end conversion of the real nsfwjs 4.4.0 models. Needs the npm tarball (system property
 * {@code keshikaran.nsfwjs.tarball}, default {@code /tmp/nsfw/nsfwjs-4.4.0.tgz}) and is skipped without it.
 *
 * <p>The expected probabilities were computed with TensorFlow.js 4.22.0 (cpu backend, node) loading the same
 * model files, on the synthetic input {@code x[h][w][c] = ((7h + 3w + 50c) mod 256) / 255}.
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
        try (OrtSession session = Onnx.session(model.toByteArray(), true)) {
            assertThat(session.getInputNames()).containsExactly("input");
            assertThat(session.getOutputNames()).containsExactly("probabilities");
            Onnx.Output out = Onnx.run(session, syntheticInput(size), 1, size, size, 3);
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

    @Test
    void conversionIsDeterministic() {
        byte[] a = NsfwjsModels.toOnnx(pkg, NsfwjsModels.Model.MOBILENET_V2, WeightStorage.UINT8_LUT).toByteArray();
        byte[] b = NsfwjsModels.toOnnx(pkg, NsfwjsModels.Model.MOBILENET_V2, WeightStorage.UINT8_LUT).toByteArray();
        assertThat(NpmPackage.sha256(a)).isEqualTo(NpmPackage.sha256(b));
    }
}
