package io.keshikaran.converter;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.keshikaran.converter.LayerConversionTest.assertClose;
import static io.keshikaran.converter.SyntheticGraph.b;
import static io.keshikaran.converter.SyntheticGraph.i;
import static io.keshikaran.converter.SyntheticGraph.ints;
import static io.keshikaran.converter.SyntheticGraph.s;
import static io.keshikaran.converter.SyntheticGraph.strings;
import static io.keshikaran.converter.SyntheticGraph.type;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Converts small synthetic TensorFlow graph models (GraphDef JSON + quantized weights) and checks ONNX Runtime's
 * output against hand-computed values and against the naive NHWC reference in {@link Nhwc}.
 */
class GraphConversionTest {

    private static Nhwc.T relu6(Nhwc.T x) {
        return Nhwc.map(x, v -> Math.min(Math.max(v, 0), 6));
    }

    static ModelProto convert(TfjsGraphModel model, WeightStorage storage) {
        return TfjsToOnnxConverter.convert(model, ConversionOptions.defaults().withWeightStorage(storage));
    }

    /** Converts with float32 weights, runs with full ORT optimizations, returns the output. */
    static Onnx.Output run(TfjsGraphModel model, float[] input, long... shape) throws OrtException {
        return Onnx.run(convert(model, WeightStorage.FLOAT32).toByteArray(), true, input, shape);
    }

    private static List<String> ops(ModelProto model) {
        return model.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    }

    @Test
    void fusedConvSameStride2WithBiasAndRelu6GivesHandComputedValues() throws OrtException {
        // 4x4 input 1..16, 3x3 kernel of ones, stride 2, SAME: TF pads 0 above/left and 1 below/right, so the
        // four windows sum to 54, 45, 72, 54. Bias -50 gives 4, -5, 22, 4; Relu6 clips them to 4, 0, 6, 4.
        SyntheticGraph g = new SyntheticGraph(1).placeholder("input", 4, 4, 1);
        g.constant("w", new long[] {3, 3, 1, 1}, 1.0, 0.0);
        g.constant("bias", new long[] {1}, -50.0, 0.0);
        g.fusedConv(false, "conv", "input", "w", "bias", 2, "SAME", "BiasAdd", "Relu6");
        float[] input = new float[16];
        for (int k = 0; k < 16; k++) {
            input[k] = k + 1;
        }
        Onnx.Output out = run(g.build(), input, 1, 4, 4, 1);
        assertThat(out.shape()).containsExactly(1, 2, 2, 1);
        assertThat(out.values()).containsExactly(4f, 0f, 6f, 4f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SAME", "VALID"})
    void fusedConvMatchesTheReferenceOnOddSizesAndBatches(String padding) throws OrtException {
        SyntheticGraph g = new SyntheticGraph(2).placeholder("input", 7, 8, 3);
        float[] k = g.constant("w", 3, 3, 3, 4);
        float[] bias = g.constant("bias", 4);
        g.fusedConv(false, "conv", "input", "w", "bias", 2, padding, "BiasAdd", "Relu");
        float[] x = g.randomInput(2, 7, 8, 3);
        Nhwc.T ref = Nhwc.map(Nhwc.conv(new Nhwc.T(2, 7, 8, 3, x), k, 3, 3, 4, 2, 2, padding.toLowerCase(), bias),
                v -> Math.max(v, 0));
        Onnx.Output out = run(g.build(), x, 2, 7, 8, 3);
        assertThat(out.shape()).containsExactly(2, ref.h(), ref.w(), 4);
        assertClose(out.values(), ref.v());
    }

    @Test
    void fusedConvWithBiasAddOnlyHasNoActivation() throws OrtException {
        SyntheticGraph g = new SyntheticGraph(3).placeholder("input", 5, 5, 2);
        float[] k = g.constant("w", 1, 1, 2, 6);
        float[] bias = g.constant("bias", 6);
        g.fusedConv(false, "project", "input", "w", "bias", 1, "SAME", "BiasAdd");
        float[] x = g.randomInput(1, 5, 5, 2);
        ModelProto onnx = convert(g.build(), WeightStorage.FLOAT32);
        assertThat(ops(onnx)).containsExactly("Transpose", "Conv", "Transpose");
        assertClose(Onnx.run(onnx.toByteArray(), true, x, 1, 5, 5, 2).values(),
                Nhwc.conv(new Nhwc.T(1, 5, 5, 2, x), k, 1, 1, 6, 1, 1, "same", bias).v());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void fusedDepthwiseConvWithMultiplierAndRelu6(int stride) throws OrtException {
        SyntheticGraph g = new SyntheticGraph(4).placeholder("input", 6, 7, 3);
        float[] k = g.constant("dw", new long[] {3, 3, 3, 2}, -2.0, 4.0 / 255);
        float[] bias = g.constant("bias", 6);
        g.fusedConv(true, "depthwise", "input", "dw", "bias", stride, "SAME", "BiasAdd", "Relu6");
        float[] x = g.randomInput(1, 6, 7, 3);
        for (int j = 0; j < x.length; j++) {
            x[j] *= 3; // large enough that Relu6 clips at both ends
        }
        Nhwc.T ref = relu6(Nhwc.depthwise(new Nhwc.T(1, 6, 7, 3, x), k, 3, 3, 2, stride, stride, "same", bias));
        assertThat(ref.v()).contains(0f, 6f);
        assertClose(run(g.build(), x, 1, 6, 7, 3).values(), ref.v());
    }

    @Test
    void unfusedConvAndDepthwiseWithBiasAddRelu6AndRelu() throws OrtException {
        SyntheticGraph g = new SyntheticGraph(5).placeholder("input", 6, 6, 2);
        float[] k = g.constant("w", 3, 3, 2, 4);
        float[] bias = g.constant("b", 4);
        float[] dw = g.constant("dw", 3, 3, 4, 1);
        float[] dwBias = g.floatConstant("db", 4);
        g.node("Conv2D", "conv", List.of("input", "w"), "T", type("DT_FLOAT"), "strides", ints(1, 2, 2, 1),
                "padding", s("SAME"), "data_format", s("NHWC"), "dilations", ints(1, 1, 1, 1),
                "use_cudnn_on_gpu", b(true), "explicit_paddings", ints());
        g.node("BiasAdd", "conv/bias", List.of("conv", "b"), "T", type("DT_FLOAT"), "data_format", s("NHWC"));
        g.op("Relu6", "conv/relu6", "conv/bias");
        g.node("DepthwiseConv2dNative", "dwconv", List.of("conv/relu6", "dw"), "T", type("DT_FLOAT"),
                "strides", ints(1, 1, 1, 1), "padding", s("VALID"), "data_format", s("NHWC"),
                "dilations", ints(1, 1, 1, 1), "explicit_paddings", ints());
        g.op("BiasAdd", "dwconv/bias", "dwconv", "db");
        g.op("Relu", "dwconv/relu", "dwconv/bias");
        float[] x = g.randomInput(1, 6, 6, 2);
        Nhwc.T a = relu6(Nhwc.conv(new Nhwc.T(1, 6, 6, 2, x), k, 3, 3, 4, 2, 2, "same", bias));
        Nhwc.T ref = Nhwc.map(Nhwc.depthwise(a, dw, 3, 3, 1, 1, 1, "valid", dwBias), v -> Math.max(v, 0));
        Onnx.Output out = run(g.build(), x, 1, 6, 6, 2);
        assertThat(out.shape()).containsExactly(1, 1, 1, 4);
        assertClose(out.values(), ref.v());
    }

    @Test
    void explicitPaddingPadsExactlyAsGiven() throws OrtException {
        // Pads 1 above, 0 below, 0 left, 2 right around a 3x3 input; a 2x2 kernel of ones with stride 1.
        SyntheticGraph g = new SyntheticGraph(6).placeholder("input", 3, 3, 1);
        g.constant("w", new long[] {2, 2, 1, 1}, 1.0, 0.0);
        g.node("Conv2D", "conv", List.of("input", "w"), "T", type("DT_FLOAT"), "strides", ints(1, 1, 1, 1),
                "padding", s("EXPLICIT"), "explicit_paddings", ints(0, 0, 1, 0, 0, 2, 0, 0),
                "data_format", s("NHWC"), "dilations", ints(1, 1, 1, 1));
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Onnx.Output out = run(g.build(), x, 1, 3, 3, 1);
        // Padded rows: [0 0 0 0 0], [1 2 3 0 0], [4 5 6 0 0], [7 8 9 0 0] -> 3 x 4 sums of 2x2 windows.
        assertThat(out.shape()).containsExactly(1, 3, 4, 1);
        assertThat(out.values()).containsExactly(3, 5, 3, 0, 12, 16, 9, 0, 24, 28, 15, 0);
    }

    @Test
    void scalarMulAndSubMapPixelsToMinusOneToOne() throws OrtException {
        // The mid model's hub_input: x * 2 - 1, with the constants as uint8 weights (min 2 and 1, scale 0).
        SyntheticGraph g = new SyntheticGraph(7).placeholder("input", 1, 3, 1);
        g.constant("mul/y", new long[0], 2.0, 0.0);
        g.constant("sub/y", new long[0], 1.0, 0.0);
        g.op("Mul", "mul", "mul/y", "input");
        g.op("Sub", "sub", "mul", "sub/y");
        Onnx.Output out = run(g.build(), new float[] {0f, 0.5f, 1f}, 1, 1, 3, 1);
        assertThat(out.values()).containsExactly(-1f, 0f, 1f);
    }

    @Test
    void perChannelConstantsAndResidualAddV2() throws OrtException {
        SyntheticGraph g = new SyntheticGraph(8).placeholder("input", 3, 4, 3);
        float[] scale = g.constant("scale", 3);
        float[] offset = g.constant("offset", 3);
        g.op("Mul", "scaled", "input", "scale");
        g.op("Sub", "shifted", "offset", "scaled"); // constant first: offset - scaled
        g.op("AddV2", "residual", "shifted", "input");
        g.op("Add", "twice", "residual", "residual");
        float[] x = g.randomInput(2, 3, 4, 3);
        float[] ref = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            int c = j % 3;
            float shifted = offset[c] - x[j] * scale[c];
            float residual = shifted + x[j];
            ref[j] = residual + residual;
        }
        assertClose(run(g.build(), x, 2, 3, 4, 3).values(), ref);
    }

    @Test
    void averagePoolValidSqueezeFusedMatMulAndSoftmaxHead() throws OrtException {
        // The end of the mid model: global 7x7 AvgPool, Squeeze [1, 2], Dense with bias, Softmax, Identity.
        SyntheticGraph g = new SyntheticGraph(9).placeholder("input", 7, 7, 8);
        g.globalAvgPool("squeeze", "input", 7);
        float[][] head = g.softmaxHead("squeeze", 8, 5);
        float[] x = g.randomInput(3, 7, 7, 8);
        Nhwc.T pooled = Nhwc.pool(new Nhwc.T(3, 7, 7, 8, x), false, 7, 7, 1, 1, "valid");
        float[] ref = Nhwc.softmax(Nhwc.dense(pooled.v(), 3, 8, head[0], 5, head[1]), 5);
        Onnx.Output out = run(g.build(), x, 3, 7, 7, 8);
        assertThat(out.shape()).containsExactly(3, 5);
        assertClose(out.values(), ref);
    }

    @Test
    void poolsWithSamePaddingIgnorePaddedPositions() throws OrtException {
        SyntheticGraph g = new SyntheticGraph(10).placeholder("input", 5, 5, 2);
        g.node("AvgPool", "avg", List.of("input"), "T", type("DT_FLOAT"), "ksize", ints(1, 3, 3, 1),
                "strides", ints(1, 2, 2, 1), "padding", s("SAME"), "data_format", s("NHWC"));
        g.node("MaxPool", "max", List.of("avg"), "T", type("DT_FLOAT"), "ksize", ints(1, 2, 2, 1),
                "strides", ints(1, 2, 2, 1), "padding", s("SAME"), "data_format", s("NHWC"));
        float[] x = g.randomInput(1, 5, 5, 2);
        Nhwc.T avg = Nhwc.pool(new Nhwc.T(1, 5, 5, 2, x), false, 3, 3, 2, 2, "same");
        Nhwc.T ref = Nhwc.pool(avg, true, 2, 2, 2, 2, "same");
        Onnx.Output out = run(g.build(), x, 1, 5, 5, 2);
        assertThat(out.shape()).containsExactly(1, 2, 2, 2);
        assertClose(out.values(), ref.v());
    }

    @Test
    void matMulWithTransposedWeightsThenBiasAddAndRelu() throws OrtException {
        SyntheticGraph g = new SyntheticGraph(11).placeholder("input", 6);
        float[] wt = g.constant("w", 4, 6); // [units, in], read with transpose_b
        float[] bias = g.constant("b", 4);
        g.node("MatMul", "mm", List.of("input", "w"), "T", type("DT_FLOAT"), "transpose_a", b(false),
                "transpose_b", b(true));
        g.op("BiasAdd", "mm/bias", "mm", "b");
        g.op("Relu", "mm/relu", "mm/bias");
        float[] w = new float[24];
        for (int in = 0; in < 6; in++) {
            for (int u = 0; u < 4; u++) {
                w[in * 4 + u] = wt[u * 6 + in];
            }
        }
        float[] x = g.randomInput(2, 6);
        float[] ref = Nhwc.map(Nhwc.dense(x, 2, 6, w, 4, bias), v -> Math.max(v, 0));
        assertClose(run(g.build(), x, 2, 6).values(), ref);
    }

    @Test
    void identityOfAConstantAndOfATensorPassesThrough() throws OrtException {
        SyntheticGraph g = new SyntheticGraph(12).placeholder("input", 2, 2, 3);
        float[] scale = g.constant("scale", 3);
        g.op("Identity", "scale/read", "scale");
        g.op("Identity", "input/read", "input");
        g.op("Mul", "out", "input/read", "scale/read");
        float[] x = g.randomInput(1, 2, 2, 3);
        float[] ref = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            ref[j] = x[j] * scale[j % 3];
        }
        ModelProto onnx = convert(g.build(), WeightStorage.FLOAT32);
        assertThat(ops(onnx)).doesNotContain("Identity");
        assertClose(Onnx.run(onnx.toByteArray(), true, x, 1, 2, 2, 3).values(), ref);
    }

    @Test
    void onlyNodesTheOutputNeedsAreConvertedAndControlInputsAreIgnored() throws OrtException {
        SyntheticGraph g = new SyntheticGraph(13).placeholder("input", 2, 2, 1);
        g.constant("unused", 3, 3); // a dangling Const, as tfjs would never execute it
        g.op("Relu", "dangling", "input");
        g.node("Relu6", "out", List.of("input", "^dangling"), "T", type("DT_FLOAT"));
        g.signature("input", "out");
        ModelProto onnx = convert(g.build(), WeightStorage.FLOAT32);
        assertThat(ops(onnx)).containsExactly("Transpose", "Clip", "Transpose");
        assertThat(onnx.getGraph().getInitializerList()).allSatisfy(t -> assertThat(t.getName()).startsWith("const_"));
        Onnx.Output out = Onnx.run(onnx.toByteArray(), true, new float[] {-1, 3, 7, 0.5f}, 1, 2, 2, 1);
        assertThat(out.values()).containsExactly(0f, 3f, 6f, 0.5f);
    }

    /** A miniature of mobilenet_v2_mid: every op and attribute combination the real graph uses, end to end. */
    private SyntheticGraph miniMobileNet(Object[] refHolder, float[] x) {
        SyntheticGraph g = new SyntheticGraph(14).placeholder("input", 9, 9, 3);
        g.constant("hub/Mul/y", new long[0], 2.0, 0.0);
        g.constant("hub/Sub/y", new long[0], 1.0, 0.0);
        g.op("Mul", "hub/Mul", "hub/Mul/y", "input");
        g.op("Sub", "hub/Sub", "hub/Mul", "hub/Sub/y");
        float[] k0 = g.constant("Conv/w", 3, 3, 3, 8);
        float[] b0 = g.constant("Conv/b", 8);
        g.fusedConv(false, "Conv/Relu6", "hub/Sub", "Conv/w", "Conv/b", 2, "SAME", "BiasAdd", "Relu6");
        float[] k1 = g.constant("expand/w", 1, 1, 8, 16);
        float[] b1 = g.constant("expand/b", 16);
        g.fusedConv(false, "expand/Relu6", "Conv/Relu6", "expand/w", "expand/b", 1, "SAME", "BiasAdd", "Relu6");
        float[] k2 = g.constant("dw/w", 3, 3, 16, 1);
        float[] b2 = g.constant("dw/b", 16);
        g.fusedConv(true, "dw", "expand/Relu6", "dw/w", "dw/b", 1, "SAME", "BiasAdd", "Relu6");
        float[] k3 = g.constant("project/w", 1, 1, 16, 8);
        float[] b3 = g.constant("project/b", 8);
        g.fusedConv(false, "project", "dw", "project/w", "project/b", 1, "SAME", "BiasAdd");
        g.op("AddV2", "add", "Conv/Relu6", "project");
        float[] k4 = g.constant("Conv_1/w", 1, 1, 8, 12);
        float[] b4 = g.constant("Conv_1/b", 12);
        g.fusedConv(false, "Conv_1/Relu6", "add", "Conv_1/w", "Conv_1/b", 1, "SAME", "BiasAdd", "Relu6");
        g.globalAvgPool("squeeze", "Conv_1/Relu6", 5);
        float[][] head = g.softmaxHead("squeeze", 12, 5);

        int n = x.length / (9 * 9 * 3);
        Nhwc.T in = Nhwc.map(Nhwc.map(new Nhwc.T(n, 9, 9, 3, x), v -> (float) (v * 2)), v -> (float) (v - 1));
        Nhwc.T a = relu6(Nhwc.conv(in, k0, 3, 3, 8, 2, 2, "same", b0));
        Nhwc.T e = relu6(Nhwc.conv(a, k1, 1, 1, 16, 1, 1, "same", b1));
        Nhwc.T d = relu6(Nhwc.depthwise(e, k2, 3, 3, 1, 1, 1, "same", b2));
        Nhwc.T p = Nhwc.add(a, Nhwc.conv(d, k3, 1, 1, 8, 1, 1, "same", b3));
        Nhwc.T c = relu6(Nhwc.conv(p, k4, 1, 1, 12, 1, 1, "same", b4));
        Nhwc.T pooled = Nhwc.pool(c, false, 5, 5, 1, 1, "valid");
        refHolder[0] = Nhwc.softmax(Nhwc.dense(pooled.v(), n, 12, head[0], 5, head[1]), 5);
        return g;
    }

    @Test
    void miniatureOfTheMidModelMatchesTheReferenceInEveryWeightStorage() throws OrtException {
        float[] x = new SyntheticGraph(99).randomInput(2, 9, 9, 3);
        for (int j = 0; j < x.length; j++) {
            x[j] = (x[j] + 1) / 2; // pixels in 0..1, as nsfwjs feeds them
        }
        Object[] ref = new Object[1];
        TfjsGraphModel model = miniMobileNet(ref, x).build();
        assertThat(model.opCounts()).containsOnlyKeys("Placeholder", "Const", "Mul", "Sub", "_FusedConv2D",
                "FusedDepthwiseConv2dNative", "AddV2", "AvgPool", "Squeeze", "_FusedMatMul", "Softmax", "Identity");
        float[] f32 = null;
        for (WeightStorage storage : WeightStorage.values()) {
            ModelProto onnx = convert(model, storage);
            assertThat(TfjsToOnnxConverter.inputShape(onnx)).containsExactly(-1, 9, 9, 3);
            assertThat(TfjsToOnnxConverter.outputShape(onnx)).containsExactly(-1, 5);
            assertThat(onnx.getGraph().getInput(0).getName()).isEqualTo("input");
            assertThat(onnx.getGraph().getOutput(0).getName()).isEqualTo("probabilities");
            Onnx.Output out = Onnx.run(onnx.toByteArray(), true, x, 2, 9, 9, 3);
            assertThat(out.shape()).containsExactly(2, 5);
            assertClose(out.values(), (float[]) ref[0]);
            if (storage == WeightStorage.FLOAT32) {
                f32 = out.values();
            } else if (storage == WeightStorage.UINT8_LUT) {
                assertThat(out.values()).containsExactly(f32);
            }
        }
        assertThat(convert(model, WeightStorage.UINT8_LUT).toByteArray())
                .isEqualTo(convert(model, WeightStorage.UINT8_LUT).toByteArray());
        assertThat(convert(model, WeightStorage.UINT8_LUT).getMetadataPropsList())
                .anySatisfy(p -> {
                    assertThat(p.getKey()).isEqualTo("keshikaran.source.tfjs_converter");
                    assertThat(p.getValue()).isEqualTo("synthetic");
                });
    }

    @Test
    void graphModelUsesOnlyPlainOnnxOps() {
        Object[] ref = new Object[1];
        ModelProto onnx = convert(miniMobileNet(ref, new float[9 * 9 * 3]).build(), WeightStorage.UINT8_LUT);
        // What the ONNX→TorchScript step and every ONNX runtime handle; no contrib or fused ops.
        assertThat(ops(onnx)).isSubsetOf("Transpose", "Mul", "Sub", "Add", "Conv", "Clip", "AveragePool",
                "Flatten", "Gemm", "Softmax", "Cast", "Gather");
    }
}
