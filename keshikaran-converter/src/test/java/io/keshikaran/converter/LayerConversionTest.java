package io.keshikaran.converter;

import ai.onnxruntime.OrtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.keshikaran.converter.SyntheticModel.cfg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Converts one- and few-layer synthetic models and checks ONNX Runtime's output against the naive NHWC reference
 * in {@link Nhwc}.
 */
class LayerConversionTest {

    private static final double TOLERANCE = 1e-5;

    /** Converts with float32 weights, runs with full ORT optimizations, returns the output. */
    static Onnx.Output run(TfjsLayersModel model, float[] input, long... shape) throws OrtException {
        byte[] onnx = TfjsToOnnxConverter.convert(model, ConversionOptions.defaults()
                .withWeightStorage(WeightStorage.FLOAT32)).toByteArray();
        return Onnx.run(onnx, true, input, shape);
    }

    static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            double tol = TOLERANCE + TOLERANCE * Math.abs(expected[i]);
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                fail("Element %d: got %s, expected %s (diff %s)", i, actual[i], expected[i],
                        Math.abs(actual[i] - expected[i]));
            }
        }
    }

    @Test
    void conv2dSameWithStride2PadsBottomRightAsTensorFlowDoes() throws OrtException {
        // Hand-computed: 4x4 input 1..16, 3x3 kernel of ones, stride 2, 'same'. TF pads 0 above/left and 1
        // below/right, so the first window covers rows 0-2, cols 0-2. Symmetric padding would give 14 there.
        SyntheticModel m = new SyntheticModel(1).input("in", 4, 4, 1)
                .layer("Conv2D", "conv", cfg("filters", 1, "kernel_size", List.of(3, 3), "strides", List.of(2, 2),
                        "padding", "same", "use_bias", false, "activation", "linear"), "in");
        m.weight("conv/kernel", new long[] {3, 3, 1, 1}, 1.0, 0.0);
        float[] input = new float[16];
        for (int i = 0; i < 16; i++) {
            input[i] = i + 1;
        }
        Onnx.Output out = run(m.build("conv"), input, 1, 4, 4, 1);
        assertThat(out.shape()).containsExactly(1, 2, 2, 1);
        assertThat(out.values()).containsExactly(54f, 45f, 72f, 54f);
    }

    @Test
    void conv2dSameStride2WithBiasAndReluOnOddAndEvenSizes() throws OrtException {
        SyntheticModel m = new SyntheticModel(2).input("in", 7, 8, 3)
                .layer("Conv2D", "conv", cfg("filters", 4, "kernel_size", List.of(3, 3), "strides", List.of(2, 2),
                        "padding", "same", "use_bias", true, "activation", "relu", "dilation_rate", List.of(1, 1),
                        "data_format", "channels_last"), "in");
        float[] k = m.weight("conv/kernel", 3, 3, 3, 4);
        float[] b = m.weight("conv/bias", 4);
        float[] x = m.randomInput(2, 7, 8, 3);
        Nhwc.T ref = Nhwc.map(Nhwc.conv(new Nhwc.T(2, 7, 8, 3, x), k, 3, 3, 4, 2, 2, "same", b),
                v -> Math.max(v, 0));
        Onnx.Output out = run(m.build("conv"), x, 2, 7, 8, 3);
        assertThat(out.shape()).containsExactly(2, 4, 4, 4);
        assertClose(out.values(), ref.v());
    }

    @Test
    void conv2dSameWithEvenAndNonSquareKernel() throws OrtException {
        SyntheticModel m = new SyntheticModel(3).input("in", 5, 6, 2)
                .layer("Conv2D", "conv", cfg("filters", 3, "kernel_size", List.of(2, 4), "strides", 1,
                        "padding", "same", "use_bias", false), "in");
        float[] k = m.weight("conv/kernel", 2, 4, 2, 3);
        float[] x = m.randomInput(1, 5, 6, 2);
        Nhwc.T ref = Nhwc.conv(new Nhwc.T(1, 5, 6, 2, x), k, 2, 4, 3, 1, 1, "same", null);
        assertClose(run(m.build("conv"), x, 1, 5, 6, 2).values(), ref.v());
    }

    @Test
    void conv2dValidWithAnisotropicStride() throws OrtException {
        SyntheticModel m = new SyntheticModel(4).input("in", 9, 7, 3)
                .layer("Conv2D", "conv", cfg("filters", 5, "kernel_size", List.of(1, 3), "strides", List.of(2, 1),
                        "padding", "valid", "use_bias", true, "activation", "linear"), "in");
        float[] k = m.weight("conv/kernel", 1, 3, 3, 5);
        float[] b = m.weight("conv/bias", 5);
        float[] x = m.randomInput(1, 9, 7, 3);
        Nhwc.T ref = Nhwc.conv(new Nhwc.T(1, 9, 7, 3, x), k, 1, 3, 5, 2, 1, "valid", b);
        Onnx.Output out = run(m.build("conv"), x, 1, 9, 7, 3);
        assertThat(out.shape()).containsExactly(1, 5, 5, 5);
        assertClose(out.values(), ref.v());
    }

    @Test
    void depthwiseConvSameStride1WithBias() throws OrtException {
        SyntheticModel m = new SyntheticModel(5).input("in", 6, 5, 4)
                .layer("DepthwiseConv2D", "dw", cfg("kernel_size", List.of(3, 3), "strides", List.of(1, 1),
                        "padding", "same", "depth_multiplier", 1, "use_bias", true, "activation", "linear",
                        "dilation_rate", List.of(1, 1), "data_format", "channels_last"), "in");
        float[] k = m.weight("dw/depthwise_kernel", 3, 3, 4, 1);
        float[] b = m.weight("dw/bias", 4);
        float[] x = m.randomInput(1, 6, 5, 4);
        Nhwc.T ref = Nhwc.depthwise(new Nhwc.T(1, 6, 5, 4, x), k, 3, 3, 1, 1, 1, "same", b);
        assertClose(run(m.build("dw"), x, 1, 6, 5, 4).values(), ref.v());
    }

    @Test
    void zeroPaddingThenDepthwiseValidStride2WithMultiplier() throws OrtException {
        // MobileNetV2's downsampling pattern: ZeroPadding2D(((0,1),(0,1))) + DepthwiseConv2D('valid', stride 2).
        SyntheticModel m = new SyntheticModel(6).input("in", 8, 8, 3)
                .layer("ZeroPadding2D", "pad", cfg("padding", List.of(List.of(0, 1), List.of(0, 1)),
                        "data_format", "channels_last"), "in")
                .layer("DepthwiseConv2D", "dw", cfg("kernel_size", List.of(3, 3), "strides", List.of(2, 2),
                        "padding", "valid", "depth_multiplier", 2, "use_bias", false, "activation", "relu6"), "pad");
        float[] k = m.weight("dw/depthwise_kernel", 3, 3, 3, 2);
        float[] x = m.randomInput(1, 8, 8, 3);
        Nhwc.T padded = Nhwc.zeroPad(new Nhwc.T(1, 8, 8, 3, x), 0, 1, 0, 1);
        Nhwc.T ref = Nhwc.map(Nhwc.depthwise(padded, k, 3, 3, 2, 2, 2, "valid", null), v -> Math.min(Math.max(v, 0), 6));
        Onnx.Output out = run(m.build("dw"), x, 1, 8, 8, 3);
        assertThat(out.shape()).containsExactly(1, 4, 4, 6);
        assertClose(out.values(), ref.v());
    }

    @Test
    void zeroPaddingAsymmetricAndIntForms() throws OrtException {
        SyntheticModel m = new SyntheticModel(7).input("in", 3, 4, 2)
                .layer("ZeroPadding2D", "pad1", cfg("padding", List.of(List.of(1, 2), List.of(0, 3))), "in")
                .layer("ZeroPadding2D", "pad2", cfg("padding", 1), "pad1");
        float[] x = m.randomInput(1, 3, 4, 2);
        Nhwc.T ref = Nhwc.zeroPad(Nhwc.zeroPad(new Nhwc.T(1, 3, 4, 2, x), 1, 2, 0, 3), 1, 1, 1, 1);
        Onnx.Output out = run(m.build("pad2"), x, 1, 3, 4, 2);
        assertThat(out.shape()).containsExactly(1, 8, 9, 2);
        assertThat(out.values()).containsExactly(ref.v());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void batchNormalizationWithAndWithoutScale(boolean scale) throws OrtException {
        SyntheticModel m = new SyntheticModel(8).input("in", 3, 3, 5)
                .layer("BatchNormalization", "bn", cfg("axis", scale ? -1 : 3, "momentum", 0.99, "epsilon", 0.001,
                        "center", true, "scale", scale), "in");
        float[] gamma = scale ? m.weight("bn/gamma", 5) : null;
        float[] beta = m.weight("bn/beta", 5);
        float[] mean = m.weight("bn/moving_mean", 5);
        float[] var = m.positiveWeight("bn/moving_variance", 5);
        float[] x = m.randomInput(1, 3, 3, 5);
        Nhwc.T ref = Nhwc.batchNorm(new Nhwc.T(1, 3, 3, 5, x), gamma, beta, mean, var, 0.001);
        assertClose(run(m.build("bn"), x, 1, 3, 3, 5).values(), ref.v());
    }

    @Test
    void batchNormalizationEpsilonIsTheLayers() throws OrtException {
        // A large epsilon makes a wrong (default) epsilon visible.
        SyntheticModel m = new SyntheticModel(9).input("in", 2, 2, 3)
                .layer("BatchNormalization", "bn", cfg("axis", -1, "epsilon", 0.5, "center", false, "scale", false), "in");
        float[] mean = m.weight("bn/moving_mean", 3);
        float[] var = m.positiveWeight("bn/moving_variance", 3);
        float[] x = m.randomInput(1, 2, 2, 3);
        Nhwc.T ref = Nhwc.batchNorm(new Nhwc.T(1, 2, 2, 3, x), null, null, mean, var, 0.5);
        assertClose(run(m.build("bn"), x, 1, 2, 2, 3).values(), ref.v());
    }

    @Test
    void reluWithMaxValue6AndPlainRelu() throws OrtException {
        SyntheticModel m = new SyntheticModel(10).input("in", 4, 4, 3)
                .layer("ReLU", "relu6", cfg("max_value", 6, "negative_slope", 0, "threshold", 0), "in")
                .layer("ReLU", "relu", cfg("max_value", null), "in")
                .layer("Add", "sum", cfg(), "relu6", "relu");
        float[] x = Nhwc.map(m.randomInput(1, 4, 4, 3), v -> v * 10);
        float[] ref = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            ref[i] = Math.min(Math.max(x[i], 0), 6) + Math.max(x[i], 0);
        }
        assertClose(run(m.build("sum"), x, 1, 4, 4, 3).values(), ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "relu6", "sigmoid", "tanh", "linear"})
    void elementwiseActivations(String activation) throws OrtException {
        SyntheticModel m = new SyntheticModel(11).input("in", 3, 2, 4)
                .layer("Activation", "act", cfg("activation", activation), "in");
        float[] x = Nhwc.map(m.randomInput(1, 3, 2, 4), v -> v * 8);
        float[] ref = Nhwc.map(x, v -> switch (activation) {
            case "relu" -> Math.max(v, 0);
            case "relu6" -> Math.min(Math.max(v, 0), 6);
            case "sigmoid" -> 1 / (1 + Math.exp(-v));
            case "tanh" -> Math.tanh(v);
            default -> v;
        });
        assertClose(run(m.build("act"), x, 1, 3, 2, 4).values(), ref);
    }

    @Test
    void softmaxActivationOnAnImageTensorRunsOverChannels() throws OrtException {
        SyntheticModel m = new SyntheticModel(12).input("in", 3, 2, 4)
                .layer("Activation", "act", cfg("activation", "softmax"), "in");
        float[] x = Nhwc.map(m.randomInput(1, 3, 2, 4), v -> v * 3);
        assertClose(run(m.build("act"), x, 1, 3, 2, 4).values(), Nhwc.softmax(x, 4));
    }

    @Test
    void maxPoolingSameStride2OnOddSize() throws OrtException {
        SyntheticModel m = new SyntheticModel(13).input("in", 5, 5, 2)
                .layer("MaxPooling2D", "pool", cfg("pool_size", List.of(3, 3), "strides", List.of(2, 2),
                        "padding", "same", "data_format", "channels_last"), "in");
        // All negative, so a pool that counted padded zeros would be caught.
        float[] x = Nhwc.map(m.randomInput(1, 5, 5, 2), v -> -Math.abs(v) - 1);
        Nhwc.T ref = Nhwc.pool(new Nhwc.T(1, 5, 5, 2, x), true, 3, 3, 2, 2, "same");
        Onnx.Output out = run(m.build("pool"), x, 1, 5, 5, 2);
        assertThat(out.shape()).containsExactly(1, 3, 3, 2);
        assertClose(out.values(), ref.v());
    }

    @Test
    void maxPoolingValidStride2() throws OrtException {
        SyntheticModel m = new SyntheticModel(14).input("in", 9, 8, 3)
                .layer("MaxPooling2D", "pool", cfg("pool_size", List.of(3, 3), "strides", List.of(2, 2),
                        "padding", "valid"), "in");
        float[] x = m.randomInput(1, 9, 8, 3);
        Nhwc.T ref = Nhwc.pool(new Nhwc.T(1, 9, 8, 3, x), true, 3, 3, 2, 2, "valid");
        Onnx.Output out = run(m.build("pool"), x, 1, 9, 8, 3);
        assertThat(out.shape()).containsExactly(1, 4, 3, 3);
        assertClose(out.values(), ref.v());
    }

    @Test
    void averagePoolingSameExcludesPaddingFromTheCount() throws OrtException {
        // InceptionV3's branch pool: 3x3, stride 1, 'same'. Edge outputs average 4 or 6 values, not 9.
        SyntheticModel m = new SyntheticModel(15).input("in", 5, 6, 3)
                .layer("AveragePooling2D", "pool", cfg("pool_size", List.of(3, 3), "strides", List.of(1, 1),
                        "padding", "same", "data_format", "channels_last"), "in");
        float[] x = m.randomInput(1, 5, 6, 3);
        Nhwc.T ref = Nhwc.pool(new Nhwc.T(1, 5, 6, 3, x), false, 3, 3, 1, 1, "same");
        assertClose(run(m.build("pool"), x, 1, 5, 6, 3).values(), ref.v());
    }

    @Test
    void averagePoolingSameWithStride2AndValidWithDefaultStrides() throws OrtException {
        SyntheticModel m = new SyntheticModel(16).input("in", 6, 7, 2)
                .layer("AveragePooling2D", "same", cfg("pool_size", List.of(2, 2), "strides", List.of(2, 2),
                        "padding", "same"), "in")
                .layer("AveragePooling2D", "valid", cfg("pool_size", List.of(3, 2), "strides", null,
                        "padding", "valid"), "same");
        float[] x = m.randomInput(1, 6, 7, 2);
        Nhwc.T same = Nhwc.pool(new Nhwc.T(1, 6, 7, 2, x), false, 2, 2, 2, 2, "same");
        Nhwc.T ref = Nhwc.pool(same, false, 3, 2, 3, 2, "valid");
        Onnx.Output out = run(m.build("valid"), x, 1, 6, 7, 2);
        assertThat(out.shape()).containsExactly(1, 1, 2, 2);
        assertClose(out.values(), ref.v());
    }

    @Test
    void concatenateOnTheChannelAxis() throws OrtException {
        SyntheticModel m = new SyntheticModel(17).input("in", 3, 4, 2)
                .layer("Conv2D", "a", cfg("filters", 3, "kernel_size", 1, "padding", "same", "use_bias", false), "in")
                .layer("Conv2D", "b", cfg("filters", 1, "kernel_size", 1, "padding", "same", "use_bias", false), "in")
                .layer("Concatenate", "cat", cfg("axis", 3), "a", "in", "b")
                .layer("Concatenate", "cat2", cfg("axis", -1), "cat", "a");
        float[] ka = m.weight("a/kernel", 1, 1, 2, 3);
        float[] kb = m.weight("b/kernel", 1, 1, 2, 1);
        float[] x = m.randomInput(1, 3, 4, 2);
        Nhwc.T in = new Nhwc.T(1, 3, 4, 2, x);
        Nhwc.T a = Nhwc.conv(in, ka, 1, 1, 3, 1, 1, "same", null);
        Nhwc.T b = Nhwc.conv(in, kb, 1, 1, 1, 1, 1, "same", null);
        Nhwc.T ref = Nhwc.concatChannels(Nhwc.concatChannels(a, in, b), a);
        Onnx.Output out = run(m.build("cat2"), x, 1, 3, 4, 2);
        assertThat(out.shape()).containsExactly(1, 3, 4, 9);
        assertClose(out.values(), ref.v());
    }

    @Test
    void concatenateOnASpatialAxisMapsToTheNchwAxis() throws OrtException {
        SyntheticModel m = new SyntheticModel(18).input("in", 2, 3, 2)
                .layer("Concatenate", "cat", cfg("axis", 2), "in", "in");
        float[] x = m.randomInput(1, 2, 3, 2);
        float[] ref = new float[24];
        for (int y = 0; y < 2; y++) {
            for (int w = 0; w < 6; w++) {
                for (int c = 0; c < 2; c++) {
                    ref[(y * 6 + w) * 2 + c] = x[(y * 3 + w % 3) * 2 + c];
                }
            }
        }
        Onnx.Output out = run(m.build("cat"), x, 1, 2, 3, 2);
        assertThat(out.shape()).containsExactly(1, 2, 6, 2);
        assertThat(out.values()).containsExactly(ref);
    }

    @Test
    void addOfTwoAndOfThreeInputs() throws OrtException {
        SyntheticModel m = new SyntheticModel(19).input("in", 2, 2, 3)
                .layer("Conv2D", "c", cfg("filters", 3, "kernel_size", 1, "use_bias", false), "in")
                .layer("Add", "add2", cfg(), "in", "c")
                .layer("Add", "add3", cfg(), "add2", "c", "in");
        float[] k = m.weight("c/kernel", 1, 1, 3, 3);
        float[] x = m.randomInput(1, 2, 2, 3);
        Nhwc.T in = new Nhwc.T(1, 2, 2, 3, x);
        Nhwc.T c = Nhwc.conv(in, k, 1, 1, 3, 1, 1, "valid", null);
        Nhwc.T ref = Nhwc.add(Nhwc.add(Nhwc.add(in, c), c), in);
        assertClose(run(m.build("add3"), x, 1, 2, 2, 3).values(), ref.v());
    }

    @Test
    void flattenKeepsKerasNhwcOrderBeforeDenseAndSoftmax() throws OrtException {
        // On a 3x2x4 map the NCHW and NHWC orders differ; a Dense trained on NHWC features must see NHWC.
        SyntheticModel m = new SyntheticModel(20).input("in", 3, 2, 4)
                .layer("Flatten", "flat", cfg("data_format", "channels_last"), "in")
                .layer("Dropout", "drop", cfg("rate", 0.5, "noise_shape", null, "seed", null), "flat")
                .layer("Dense", "dense", cfg("units", 5, "activation", "softmax", "use_bias", true), "drop");
        float[] k = m.weight("dense/kernel", 24, 5);
        float[] b = m.weight("dense/bias", 5);
        float[] x = m.randomInput(2, 3, 2, 4);
        float[] ref = Nhwc.softmax(Nhwc.dense(x, 2, 24, k, 5, b), 5);
        Onnx.Output out = run(m.build("dense"), x, 2, 3, 2, 4);
        assertThat(out.shape()).containsExactly(2, 5);
        assertClose(out.values(), ref);
    }

    @Test
    void flattenOfOneByOneMapAndDenseStack() throws OrtException {
        // The nsfwjs head: global-size AveragePooling2D -> Flatten -> Dense(relu) -> Dropout -> Dense(softmax).
        SyntheticModel m = new SyntheticModel(21).input("in", 4, 4, 6)
                .layer("AveragePooling2D", "gap", cfg("pool_size", List.of(4, 4), "strides", List.of(4, 4),
                        "padding", "valid"), "in")
                .layer("Flatten", "flat", cfg(), "gap")
                .layer("Dense", "d1", cfg("units", 7, "activation", "relu"), "flat")
                .layer("Dropout", "drop", cfg("rate", 0.25), "d1")
                .layer("Dense", "d2", cfg("units", 5, "activation", "softmax", "use_bias", true), "drop");
        float[] k1 = m.weight("d1/kernel", 6, 7);
        float[] b1 = m.weight("d1/bias", 7);
        float[] k2 = m.weight("d2/kernel", 7, 5);
        float[] b2 = m.weight("d2/bias", 5);
        float[] x = m.randomInput(1, 4, 4, 6);
        float[] gap = Nhwc.pool(new Nhwc.T(1, 4, 4, 6, x), false, 4, 4, 4, 4, "valid").v();
        float[] h = Nhwc.map(Nhwc.dense(gap, 1, 6, k1, 7, b1), v -> Math.max(v, 0));
        float[] ref = Nhwc.softmax(Nhwc.dense(h, 1, 7, k2, 5, b2), 5);
        Onnx.Output out = run(m.build("d2"), x, 1, 4, 4, 6);
        assertClose(out.values(), ref);
        double sum = 0;
        for (float v : out.values()) {
            sum += v;
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void denseWithoutBiasAndWithRawAndUint16Weights() throws OrtException {
        SyntheticModel m = new SyntheticModel(22).input("in", 6)
                .layer("Dense", "d1", cfg("units", 4, "use_bias", false, "activation", "tanh"), "in")
                .layer("Dense", "d2", cfg("units", 3, "use_bias", true, "activation", "sigmoid"), "d1")
                .layer("BatchNormalization", "bn", cfg("axis", -1, "epsilon", 1e-3), "d2");
        float[] k1 = m.floatWeight("d1/kernel", 6, 4);
        float[] k2 = m.uint16Weight("d2/kernel", -0.75, 1.5 / 65535, 4, 3);
        float[] b2 = m.weight("d2/bias", 3);
        float[] gamma = m.weight("bn/gamma", 3);
        float[] beta = m.weight("bn/beta", 3);
        float[] mean = m.weight("bn/moving_mean", 3);
        float[] var = m.positiveWeight("bn/moving_variance", 3);
        float[] x = m.randomInput(3, 6);
        float[] h = Nhwc.map(Nhwc.dense(x, 3, 6, k1, 4, null), Math::tanh);
        float[] d2 = Nhwc.map(Nhwc.dense(h, 3, 4, k2, 3, b2), v -> 1 / (1 + Math.exp(-v)));
        float[] ref = Nhwc.batchNorm(new Nhwc.T(3, 1, 1, 3, d2), gamma, beta, mean, var, 1e-3).v();
        Onnx.Output out = run(m.build("bn"), x, 3, 6);
        assertThat(out.shape()).containsExactly(3, 3);
        assertClose(out.values(), ref);
    }

    @Test
    void imageOutputIsReturnedInNhwc() throws OrtException {
        SyntheticModel m = new SyntheticModel(23).input("in", 3, 5, 2)
                .layer("Conv2D", "conv", cfg("filters", 3, "kernel_size", List.of(3, 3), "padding", "same",
                        "use_bias", true), "in");
        float[] k = m.weight("conv/kernel", 3, 3, 2, 3);
        float[] b = m.weight("conv/bias", 3);
        float[] x = m.randomInput(1, 3, 5, 2);
        Nhwc.T ref = Nhwc.conv(new Nhwc.T(1, 3, 5, 2, x), k, 3, 3, 3, 1, 1, "same", b);
        Onnx.Output out = run(m.build("conv"), x, 1, 3, 5, 2);
        assertThat(out.shape()).containsExactly(1, 3, 5, 3);
        assertClose(out.values(), ref.v());
    }

    @Test
    void modelWhoseOutputIsItsInputStillHasANode() throws OrtException {
        SyntheticModel m = new SyntheticModel(24).input("in", 2, 2, 1)
                .layer("Dropout", "drop", cfg("rate", 0.1), "in");
        float[] x = m.randomInput(1, 2, 2, 1);
        assertThat(run(m.build("drop"), x, 1, 2, 2, 1).values()).containsExactly(x);
    }

    @Test
    void mobileNetV2StyleResidualBlock() throws OrtException {
        // expand 1x1 -> BN -> ReLU6 -> pad + depthwise 3x3 -> BN -> ReLU6 -> project 1x1 -> BN -> Add
        SyntheticModel m = new SyntheticModel(25).input("in", 6, 6, 4)
                .layer("Conv2D", "expand", cfg("filters", 8, "kernel_size", 1, "padding", "same", "use_bias", false), "in")
                .layer("BatchNormalization", "expand_bn", cfg("axis", -1, "epsilon", 1e-3), "expand")
                .layer("ReLU", "expand_relu", cfg("max_value", 6), "expand_bn")
                .layer("DepthwiseConv2D", "dw", cfg("kernel_size", 3, "padding", "same", "use_bias", false), "expand_relu")
                .layer("BatchNormalization", "dw_bn", cfg("axis", -1, "epsilon", 1e-3), "dw")
                .layer("ReLU", "dw_relu", cfg("max_value", 6), "dw_bn")
                .layer("Conv2D", "project", cfg("filters", 4, "kernel_size", 1, "padding", "same", "use_bias", false), "dw_relu")
                .layer("BatchNormalization", "project_bn", cfg("axis", -1, "epsilon", 1e-3), "project")
                .layer("Add", "add", cfg(), "in", "project_bn");
        float[] ke = m.weight("expand/kernel", 1, 1, 4, 8);
        float[][] bn1 = bn(m, "expand_bn", 8);
        float[] kd = m.weight("dw/depthwise_kernel", 3, 3, 8, 1);
        float[][] bn2 = bn(m, "dw_bn", 8);
        float[] kp = m.weight("project/kernel", 1, 1, 8, 4);
        float[][] bn3 = bn(m, "project_bn", 4);
        float[] x = m.randomInput(1, 6, 6, 4);
        Nhwc.T in = new Nhwc.T(1, 6, 6, 4, x);
        Nhwc.T t = Nhwc.conv(in, ke, 1, 1, 8, 1, 1, "same", null);
        t = Nhwc.map(Nhwc.batchNorm(t, bn1[0], bn1[1], bn1[2], bn1[3], 1e-3), v -> Math.min(Math.max(v, 0), 6));
        t = Nhwc.depthwise(t, kd, 3, 3, 1, 1, 1, "same", null);
        t = Nhwc.map(Nhwc.batchNorm(t, bn2[0], bn2[1], bn2[2], bn2[3], 1e-3), v -> Math.min(Math.max(v, 0), 6));
        t = Nhwc.conv(t, kp, 1, 1, 4, 1, 1, "same", null);
        t = Nhwc.batchNorm(t, bn3[0], bn3[1], bn3[2], bn3[3], 1e-3);
        Nhwc.T ref = Nhwc.add(in, t);
        // Both with and without graph optimizations (ORT fuses BN into Conv when optimizing).
        byte[] onnx = TfjsToOnnxConverter.convert(m.build("add"), ConversionOptions.defaults()).toByteArray();
        assertClose(Onnx.run(onnx, true, x, 1, 6, 6, 4).values(), ref.v());
        assertClose(Onnx.run(onnx, false, x, 1, 6, 6, 4).values(), ref.v());
    }

    private static float[][] bn(SyntheticModel m, String name, int c) {
        return new float[][] {m.weight(name + "/gamma", c), m.weight(name + "/beta", c),
                m.weight(name + "/moving_mean", c), m.positiveWeight(name + "/moving_variance", c)};
    }
}
