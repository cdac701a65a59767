package io.keshikaran.converter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static io.keshikaran.converter.SyntheticModel.JSON;

/**
 * Builds small TensorFlow.js graph models in memory: a GraphDef in the JSON form tfjs's converter writes (attributes
 * as {@code AttrValue} objects, int64 as strings, strings base64) plus quantized weight bytes for every
 * {@code Const} node, laid out as in a tfjs {@code weightsManifest}.
 */
final class SyntheticGraph {

    /** Weights (manifest + bytes) and the random source, shared with the layers-model helper. */
    private final SyntheticModel weights;
    private final ArrayNode nodes = JSON.createArrayNode();
    private ObjectNode signature;

    SyntheticGraph(long seed) {
        this.weights = new SyntheticModel(seed);
    }

    // ---- AttrValue builders, as tfjs's converter writes them ----

    static ObjectNode s(String value) {
        return JSON.createObjectNode().put("s",
                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }

    static ObjectNode i(long value) {
        return JSON.createObjectNode().put("i", Long.toString(value));
    }

    static ObjectNode f(double value) {
        return JSON.createObjectNode().put("f", value);
    }

    static ObjectNode b(boolean value) {
        return JSON.createObjectNode().put("b", value);
    }

    static ObjectNode type(String dtype) {
        return JSON.createObjectNode().put("type", dtype);
    }

    static ObjectNode ints(long... values) {
        ObjectNode list = JSON.createObjectNode();
        ArrayNode items = list.putObject("list").putArray("i");
        for (long v : values) {
            items.add(Long.toString(v));
        }
        if (values.length == 0) {
            list.set("list", JSON.createObjectNode());
        }
        return list;
    }

    static ObjectNode strings(String... values) {
        ObjectNode list = JSON.createObjectNode();
        ArrayNode items = list.putObject("list").putArray("s");
        for (String v : values) {
            items.add(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
        }
        return list;
    }

    private static ObjectNode shape(long... dims) {
        ObjectNode shape = JSON.createObjectNode();
        ArrayNode dim = shape.putArray("dim");
        for (long d : dims) {
            dim.addObject().put("size", Long.toString(d));
        }
        return shape;
    }

    // ---- nodes ----

    /** Adds a node; {@code attrs} are name / AttrValue pairs. */
    SyntheticGraph node(String op, String name, List<String> inputs, Object... attrs) {
        ObjectNode node = nodes.addObject();
        node.put("name", name).put("op", op);
        if (!inputs.isEmpty()) {
            ArrayNode in = node.putArray("input");
            inputs.forEach(in::add);
        }
        ObjectNode attr = node.putObject("attr");
        for (int k = 0; k < attrs.length; k += 2) {
            attr.set((String) attrs[k], (ObjectNode) attrs[k + 1]);
        }
        return this;
    }

    /** The model input, NHWC with a symbolic batch. */
    SyntheticGraph placeholder(String name, long... dims) {
        long[] withBatch = new long[dims.length + 1];
        withBatch[0] = -1;
        System.arraycopy(dims, 0, withBatch, 1, dims.length);
        return node("Placeholder", name, List.of(), "shape", JSON.createObjectNode().set("shape", shape(withBatch)),
                "dtype", type("DT_FLOAT"));
    }

    private void constNode(String name, long[] shape) {
        ObjectNode value = JSON.createObjectNode();
        value.putObject("tensor").put("dtype", "DT_FLOAT").set("tensorShape", shape(shape));
        node("Const", name, List.of(), "value", value, "dtype", type("DT_FLOAT"));
    }

    /** A uint8-quantized Const in about [-1, 1]; returns the float32 values tfjs would use. */
    float[] constant(String name, long... shape) {
        constNode(name, shape);
        return weights.weight(name, shape);
    }

    /** A uint8-quantized Const with the given min and scale ({@code scale = 0} makes every value {@code min}). */
    float[] constant(String name, long[] shape, double min, double scale) {
        constNode(name, shape);
        return weights.weight(name, shape, min, scale);
    }

    /** A raw float32 Const. */
    float[] floatConstant(String name, long... shape) {
        constNode(name, shape);
        return weights.floatWeight(name, shape);
    }

    /** A weight with no Const node, or (with {@link #constNode}) any mismatch a test needs. */
    float[] orphanWeight(String name, long... shape) {
        return weights.weight(name, shape);
    }

    /** {@code _FusedConv2D} / {@code FusedDepthwiseConv2dNative} with NHWC data and the given fused ops. */
    SyntheticGraph fusedConv(boolean depthwise, String name, String x, String filter, String bias, int stride,
                             String padding, String... fusedOps) {
        if (depthwise) {
            return node("FusedDepthwiseConv2dNative", name, List.of(x, filter, bias), "T", type("DT_FLOAT"),
                    "strides", ints(1, stride, stride, 1), "padding", s(padding), "data_format", s("NHWC"),
                    "dilations", ints(1, 1, 1, 1), "fused_ops", strings(fusedOps), "num_args", i(1));
        }
        return node("_FusedConv2D", name, List.of(x, filter, bias), "T", type("DT_FLOAT"),
                "strides", ints(1, stride, stride, 1), "padding", s(padding), "data_format", s("NHWC"),
                "dilations", ints(1, 1, 1, 1), "use_cudnn_on_gpu", b(true), "explicit_paddings", ints(),
                "fused_ops", strings(fusedOps), "num_args", i(1), "epsilon", f(0));
    }

    /** A global average pool as TF writes it: AvgPool (k×k, stride 1, VALID) then Squeeze of axes 1 and 2. */
    SyntheticGraph globalAvgPool(String name, String x, int k) {
        node("AvgPool", name + "/pool", List.of(x), "T", type("DT_FLOAT"), "ksize", ints(1, k, k, 1),
                "strides", ints(1, 1, 1, 1), "padding", s("VALID"), "data_format", s("NHWC"));
        return node("Squeeze", name, List.of(name + "/pool"), "T", type("DT_FLOAT"), "squeeze_dims", ints(1, 2));
    }

    /** {@code _FusedMatMul} with a fused BiasAdd, as the converter writes a Dense layer. */
    SyntheticGraph fusedMatMul(String name, String x, String weights, String bias) {
        return node("_FusedMatMul", name, List.of(x, weights, bias), "T", type("DT_FLOAT"),
                "transpose_a", b(false), "transpose_b", b(false), "fused_ops", strings("BiasAdd"),
                "num_args", i(1), "epsilon", f(0));
    }

    /**
     * The mid model's head on a [N, in] tensor: {@code _FusedMatMul} with bias to {@code units}, Softmax, Identity
     * (the output), and the signature {@code input:0 → Identity:0}.
     *
     * @return the kernel {@code [in, units]} and the bias, as tfjs would use them
     */
    float[][] softmaxHead(String x, long in, long units) {
        float[] w = constant("dense/w", in, units);
        float[] bias = constant("dense/b", units);
        fusedMatMul("dense", x, "dense/w", "dense/b");
        op("Softmax", "prediction", "dense");
        op("Identity", "Identity", "prediction");
        signature("input:0", "Identity:0");
        return new float[][] {w, bias};
    }

    /** A binary or unary op with only the {@code T} attribute. */
    SyntheticGraph op(String op, String name, String... inputs) {
        return node(op, name, List.of(inputs), "T", type("DT_FLOAT"));
    }

    /** Declares the signature tfjs's converter writes into {@code userDefinedMetadata}. */
    SyntheticGraph signature(String input, String output) {
        signature = JSON.createObjectNode();
        signature.putObject("inputs").putObject(input).put("name", input);
        signature.putObject("outputs").putObject(output).put("name", output);
        return this;
    }

    float[] randomInput(long... shape) {
        return weights.randomInput(shape);
    }

    /** @return the model JSON as tfjs's converter writes it for a graph model */
    ObjectNode modelJson(String weightPath) {
        ObjectNode json = JSON.createObjectNode();
        json.put("format", "graph-model").put("generatedBy", "2.2.0").put("convertedBy", "synthetic");
        if (signature != null) {
            json.putObject("userDefinedMetadata").set("signature", signature.deepCopy());
        }
        ObjectNode topology = json.putObject("modelTopology");
        topology.set("node", nodes.deepCopy());
        topology.putObject("versions").put("producer", 175);
        ObjectNode group = json.putArray("weightsManifest").addObject();
        group.putArray("paths").add(weightPath);
        group.set("weights", weights.weightSpecs());
        return json;
    }

    byte[] weightData() {
        return weights.weightData();
    }

    TfjsGraphModel build() {
        ObjectNode json = modelJson("weights.bin");
        return TfjsGraphModel.from(TfjsArtifacts.fromArtifacts(json, path -> weightData()));
    }
}
