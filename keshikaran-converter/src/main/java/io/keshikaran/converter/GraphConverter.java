package io.keshikaran.converter;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Translates a {@link TfjsGraphModel} into ONNX, node by node, with the semantics tfjs's graph executor gives each
 * op ({@code tfjs-converter/src/operations/executors}).
 *
 * <p>Only the nodes the output depends on are translated, as tfjs executes only those. Image tensors live in NCHW
 * (see {@link KerasTensor}); {@code Const} nodes become initializers in the configured {@link WeightStorage},
 * rearranged for the op that reads them. The fused ops of TensorFlow's grappler are unfused:
 * {@code _FusedConv2D} / {@code FusedDepthwiseConv2dNative} / {@code _FusedMatMul} with {@code fused_ops}
 * {@code [BiasAdd]} or {@code [BiasAdd, Relu|Relu6|Sigmoid]} become a {@code Conv} (or {@code Gemm}) with bias and
 * then the activation, which is what tfjs computes too. Anything else — another fused op (FusedBatchNorm, Prelu,
 * LeakyRelu, Elu), NCHW data, dilations, broadcasting other than scalar or per-channel, an unknown attribute — fails
 * the conversion.
 */
final class GraphConverter {

    /** The ops translated by {@link #convertNode}. */
    static final Set<String> SUPPORTED_OPS = java.util.Collections.unmodifiableSet(new TreeSet<>(List.of(
            "Placeholder", "Const", "Identity",
            "Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative",
            "BiasAdd", "Add", "AddV2", "Sub", "Mul", "Relu", "Relu6",
            "AvgPool", "MaxPool", "Squeeze", "MatMul", "_FusedMatMul", "Softmax")));

    /** tfjs's fused activations that ONNX has as plain ops, by TensorFlow name. */
    private static final Map<String, String> FUSED_ACTIVATIONS = Map.of(
            "Relu", "relu", "Relu6", "relu6", "Sigmoid", "sigmoid");

    private final TfjsGraphModel model;
    private final ConversionOptions options;
    private final OnnxGraphBuilder graph;
    private final Map<String, KerasTensor> tensors = new HashMap<>();
    private final Map<String, WeightTensor> constants = new HashMap<>();
    private long[] inputShape;

    private GraphConverter(TfjsGraphModel model, ConversionOptions options) {
        this.model = model;
        this.options = options;
        this.graph = new OnnxGraphBuilder(options.weightStorage());
    }

    static ModelProto convert(TfjsGraphModel model, ConversionOptions options) {
        return new GraphConverter(model, options).run();
    }

    private ModelProto run() {
        graph.reserve(options.inputName());
        graph.reserve(options.outputName());
        GraphNode input = inputNode();
        GraphNode output = outputNode();
        Set<String> weightNodes = new HashSet<>();
        for (GraphNode node : model.nodes()) {
            if (node.op().equals("Const")) {
                weightNodes.add(node.name());
            }
        }
        List<String> orphans = new ArrayList<>();
        for (WeightTensor w : model.artifacts().weights()) {
            if (!weightNodes.contains(w.name())) {
                orphans.add(w.name());
            }
        }
        if (!orphans.isEmpty()) {
            // The manifest and the topology disagree: the weights cannot be matched to the graph reliably.
            throw new ModelFormatException("Weights that belong to no Const node of the graph: " + orphans);
        }
        for (GraphNode node : executionOrder(output)) {
            if (node.op().equals("Placeholder") && !node.name().equals(input.name())) {
                throw new UnsupportedModelException(node.name(), node.op(), null, "The output depends on a second input '"
                        + node.name() + "'; only models with one input are supported");
            }
            convertNode(node);
        }
        if (inputShape == null) {
            throw new ModelFormatException("The output '" + output.name() + "' does not depend on the input '"
                    + input.name() + "'");
        }
        KerasTensor out = tensors.get(output.name());
        if (out == null) {
            throw new UnsupportedModelException(output.name(), output.op(), null, "The output node '" + output.name()
                    + "' is a constant; only outputs computed from the input are supported");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        model.convertedBy().ifPresent(v -> metadata.put("keshikaran.source.tfjs_converter", v));
        model.generatedBy().ifPresent(v -> metadata.put("keshikaran.source.generated_by", v));
        String doc = "Converted from a TensorFlow.js graph model (output '" + output.name() + "') by keshikaran-converter "
                + TfjsToOnnxConverter.version() + " (weights: " + options.weightStorage().id() + "). Input: float32 NHWC.";
        return TfjsToOnnxConverter.assemble(graph, "tfjs_graph_model", inputShape, out, output.name(), options,
                metadata, doc);
    }

    private GraphNode inputNode() {
        List<String> signature = model.signatureInputs();
        if (signature.size() > 1) {
            throw new UnsupportedModelException(signature.get(1), "Placeholder", null, "The model has "
                    + signature.size() + " inputs " + signature + "; only one input is supported");
        }
        if (signature.size() == 1) {
            GraphNode node = signatureNode(signature.get(0), "input");
            if (!node.op().equals("Placeholder")) {
                throw new ModelFormatException("The signature's input '" + signature.get(0) + "' is a " + node.op()
                        + " node, not a Placeholder");
            }
            return node;
        }
        List<GraphNode> placeholders = model.nodes().stream().filter(n -> n.op().equals("Placeholder")).toList();
        if (placeholders.size() != 1) {
            throw new UnsupportedModelException("Placeholder", "Placeholder", null, "The graph has "
                    + placeholders.size() + " Placeholder nodes and no signature; exactly one input is supported");
        }
        return placeholders.get(0);
    }

    private GraphNode outputNode() {
        List<String> signature = model.signatureOutputs();
        if (signature.size() > 1) {
            throw new UnsupportedModelException(signature.get(1), null, null, "The model has " + signature.size()
                    + " outputs " + signature + "; only one output is supported");
        }
        if (signature.size() == 1) {
            return signatureNode(signature.get(0), "output");
        }
        // Without a signature the output is the one node that no other node reads.
        Set<String> read = new HashSet<>();
        for (GraphNode n : model.nodes()) {
            for (String in : n.inputs()) {
                read.add(GraphNode.parseInput(in).getKey());
            }
        }
        List<GraphNode> sinks = model.nodes().stream().filter(n -> !read.contains(n.name())).toList();
        if (sinks.size() != 1) {
            throw new UnsupportedModelException(null, null, null, "The graph has no signature and "
                    + sinks.size() + " nodes that nothing reads " + sinks.stream().map(GraphNode::name).toList()
                    + "; cannot tell which one is the output");
        }
        return sinks.get(0);
    }

    private GraphNode signatureNode(String tensor, String role) {
        Map.Entry<String, Integer> ref = GraphNode.parseInput(tensor);
        if (ref.getValue() != 0) {
            throw new UnsupportedModelException(ref.getKey(), null, null, "The signature's " + role + " '" + tensor
                    + "' is output " + ref.getValue() + " of its node; only single-output nodes are supported");
        }
        return model.node(ref.getKey()).orElseThrow(() -> new ModelFormatException("The signature's " + role + " '"
                + tensor + "' names no node of the graph"));
    }

    /** @return the nodes {@code output} depends on, each after its inputs (depth-first, in input order) */
    private List<GraphNode> executionOrder(GraphNode output) {
        List<GraphNode> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> onPath = new HashSet<>();
        Deque<Map.Entry<GraphNode, Integer>> stack = new ArrayDeque<>();
        stack.push(Map.entry(output, 0));
        onPath.add(output.name());
        while (!stack.isEmpty()) {
            Map.Entry<GraphNode, Integer> top = stack.pop();
            GraphNode node = top.getKey();
            int next = top.getValue();
            if (next == node.inputs().size()) {
                onPath.remove(node.name());
                done.add(node.name());
                order.add(node);
                continue;
            }
            stack.push(Map.entry(node, next + 1));
            String input = node.inputs().get(next);
            Map.Entry<String, Integer> ref = GraphNode.parseInput(input);
            GraphNode producer = model.node(ref.getKey()).orElseThrow(() -> new ModelFormatException("Node '"
                    + node.name() + "' (" + node.op() + ") reads '" + input + "', which is not a node of the graph"));
            if (ref.getValue() != 0) {
                throw new UnsupportedModelException(node.name(), node.op(), null, "Node '" + node.name() + "' ("
                        + node.op() + ") reads output " + ref.getValue() + " of '" + producer.name()
                        + "'; only single-output ops are supported");
            }
            if (onPath.contains(producer.name())) {
                throw new ModelFormatException("The graph has a cycle through node '" + producer.name() + "'");
            }
            if (!done.contains(producer.name())) {
                onPath.add(producer.name());
                stack.push(Map.entry(producer, 0));
            }
        }
        return order;
    }

    /** One node being converted: its attributes, its inputs' values and the names of its ONNX tensors. */
    private final class NodeContext implements ConversionSite {
        final GraphNode node;
        final LayerConfig config;
        private String outputName;

        NodeContext(GraphNode node) {
            this.node = node;
            this.config = node.config();
        }

        String outputName() {
            if (outputName == null) {
                outputName = graph.uniqueName(node.name());
            }
            return outputName;
        }

        String name(String suffix) {
            return graph.uniqueName(node.name() + "/" + suffix);
        }

        void expectInputs(int count) {
            if (node.inputs().size() != count) {
                throw error("has " + node.inputs().size() + " inputs but " + count + " are expected");
            }
        }

        boolean isConstant(int index) {
            return constants.containsKey(producer(index));
        }

        KerasTensor tensor(int index) {
            KerasTensor t = tensors.get(producer(index));
            if (t == null) {
                throw new UnsupportedModelException(node.name(), node.op(), null, "Node '" + node.name() + "' ("
                        + node.op() + ") takes the constant '" + producer(index) + "' as input " + index
                        + "; only a computed tensor is supported there (constants are not folded)");
            }
            return t;
        }

        /** @return input {@code index} as an NCHW image tensor */
        KerasTensor image(int index) {
            KerasTensor t = tensor(index);
            if (!t.channelsFirst()) {
                throw error("expects a rank-4 image tensor but input " + index + " has shape "
                        + Arrays.toString(t.shape()));
            }
            return t;
        }

        /** @return input {@code index}, which must be a constant of that rank */
        WeightTensor constant(int index, int rank) {
            WeightTensor w = constants.get(producer(index));
            if (w == null) {
                throw new UnsupportedModelException(node.name(), node.op(), null, "Node '" + node.name() + "' ("
                        + node.op() + ") needs a constant as input " + index + " but '" + producer(index)
                        + "' is computed; only constant weights are supported there");
            }
            if (w.shape().length != rank) {
                throw error("needs a rank-" + rank + " constant as input " + index + " but '" + w.name()
                        + "' has shape " + Arrays.toString(w.shape()));
            }
            return w;
        }

        String producer(int index) {
            return GraphNode.parseInput(node.inputs().get(index)).getKey();
        }

        @Override
        public ModelFormatException error(String message) {
            return new ModelFormatException("Node '" + node.name() + "' (" + node.op() + ") " + message);
        }

        @Override
        public UnsupportedModelException unsupported(String attribute, Object value, String why) {
            return config.unsupported(attribute, value, why);
        }
    }

    private void convertNode(GraphNode node) {
        NodeContext n = new NodeContext(node);
        String typeAttribute = node.op().equals("Const") || node.op().equals("Placeholder") ? "dtype" : "T";
        String type = n.config.string(typeAttribute, "DT_FLOAT");
        if (!type.equals("DT_FLOAT")) {
            throw n.unsupported(typeAttribute, type, "only DT_FLOAT is supported");
        }
        switch (node.op()) {
            case "Placeholder" -> placeholder(n);
            case "Const" -> constant(n);
            case "Identity" -> identity(n);
            case "Conv2D", "_FusedConv2D" -> convolution(n, false);
            case "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative" -> convolution(n, true);
            case "BiasAdd" -> {
                requireNhwc(n);
                elementwise(n, "Add");
            }
            case "Add", "AddV2" -> elementwise(n, "Add");
            case "Sub" -> elementwise(n, "Sub");
            case "Mul" -> elementwise(n, "Mul");
            case "Relu" -> activation(n, "relu");
            case "Relu6" -> activation(n, "relu6");
            case "Softmax" -> activation(n, "softmax");
            case "AvgPool" -> pool(n, false);
            case "MaxPool" -> pool(n, true);
            case "Squeeze" -> squeeze(n);
            case "MatMul", "_FusedMatMul" -> matMul(n);
            default -> throw new UnsupportedModelException(node.name(), node.op(), null, "Node '" + node.name()
                    + "' has op '" + node.op() + "', which the converter does not support; supported ops: "
                    + SUPPORTED_OPS);
        }
        n.config.checkAllUsed();
    }

    private void placeholder(NodeContext n) {
        n.expectInputs(0);
        JsonNode shape = n.config.get("shape");
        if (shape == null || !shape.path("dim").isArray() || shape.path("unknownRank").asBoolean(false)) {
            throw n.unsupported("shape", shape, "the input needs a known rank");
        }
        JsonNode dims = shape.get("dim");
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            long d = Long.parseLong(dims.get(i).path("size").asText("-1"));
            if (i == 0) {
                s[i] = -1; // the batch is always symbolic in the ONNX graph
            } else if (d < 1) {
                throw n.unsupported("shape", shape, "every non-batch dimension must be fixed "
                        + "(the converter computes static paddings)");
            } else {
                s[i] = d;
            }
        }
        if (s.length < 2) {
            throw n.unsupported("shape", shape, "an input of rank 2 or more is required");
        }
        inputShape = s;
        tensors.put(n.node.name(), TfjsToOnnxConverter.addInput(graph, n.node.name(), s, options));
    }

    private void constant(NodeContext n) {
        n.expectInputs(0);
        WeightTensor w = model.artifacts().weight(n.node.name()).orElseThrow(() -> n.error("has no weight of its name in the"
                + " weights manifest (constants inlined in the graph are not supported)"));
        JsonNode value = n.config.get("value");
        // The unwrapped 'value' is the TensorProto without its content, which lives in the weights manifest.
        JsonNode declared = value == null ? null : value.path("tensorShape");
        if (declared != null && !declared.isMissingNode()) {
            long[] shape = new long[declared.path("dim").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Long.parseLong(declared.path("dim").get(i).path("size").asText("0"));
            }
            if (!Arrays.equals(shape, w.shape())) {
                throw n.error("declares shape " + Arrays.toString(shape) + " but its weight has shape "
                        + Arrays.toString(w.shape()));
            }
            String dtype = value.path("dtype").asText("DT_FLOAT");
            if (!dtype.equals("DT_FLOAT")) {
                throw n.unsupported("value", dtype, "only DT_FLOAT constants are supported");
            }
        }
        constants.put(n.node.name(), w);
    }

    private void identity(NodeContext n) {
        n.expectInputs(1);
        if (n.isConstant(0)) {
            constants.put(n.node.name(), constants.get(n.producer(0)));
        } else {
            tensors.put(n.node.name(), n.tensor(0));
        }
    }

    private static void requireNhwc(NodeContext n) {
        String format = n.config.string("data_format", "NHWC");
        if (!format.equals("NHWC")) {
            throw n.unsupported("data_format", format, "only NHWC is supported");
        }
    }

    /** Reads TensorFlow's 4-element {@code [1, h, w, 1]} window attributes (strides, ksize, dilations). */
    private static int[] spatial(NodeContext n, String attribute, boolean required) {
        int[] v = n.config.ints(attribute, 4);
        if (v == null) {
            if (required) {
                throw n.unsupported(attribute, null, "the attribute is required");
            }
            return new int[] {1, 1};
        }
        if (v[0] != 1 || v[3] != 1 || v[1] < 1 || v[2] < 1) {
            throw n.unsupported(attribute, Arrays.toString(v), "expected [1, h, w, 1] with positive h and w");
        }
        return new int[] {v[1], v[2]};
    }

    /** Reads {@code padding} ({@code SAME}, {@code VALID} or, where allowed, {@code EXPLICIT}) for both axes. */
    private static SpatialPadding[] padding(NodeContext n, KerasTensor x, int[] window, int[] strides,
                                            boolean explicitAllowed) {
        String padding = n.config.string("padding", null);
        if (padding == null) {
            throw n.unsupported("padding", null, "the attribute is required");
        }
        JsonNode explicit = explicitAllowed ? n.config.get("explicit_paddings") : null;
        if (padding.equals("EXPLICIT") && explicitAllowed) {
            if (explicit == null || explicit.size() != 8) {
                throw n.unsupported("explicit_paddings", explicit, "EXPLICIT padding needs 8 values");
            }
            long[] p = new long[8];
            for (int i = 0; i < 8; i++) {
                p[i] = explicit.get(i).asLong();
            }
            if (p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0) {
                throw n.unsupported("explicit_paddings", explicit, "only the spatial axes may be padded");
            }
            return new SpatialPadding[] {
                SpatialPadding.explicit(n, p[2], p[3], x.dim(1), window[0], strides[0]),
                SpatialPadding.explicit(n, p[4], p[5], x.dim(2), window[1], strides[1])};
        }
        if (explicit != null && !explicit.isEmpty()) {
            throw n.unsupported("explicit_paddings", explicit, "only allowed with padding EXPLICIT");
        }
        String mode = switch (padding) {
            case "SAME" -> "same";
            case "VALID" -> "valid";
            default -> throw n.unsupported("padding", padding, "only SAME and VALID"
                    + (explicitAllowed ? " and EXPLICIT" : "") + " are supported");
        };
        return new SpatialPadding[] {
            SpatialPadding.of(n, mode, x.dim(1), window[0], strides[0]),
            SpatialPadding.of(n, mode, x.dim(2), window[1], strides[1])};
    }

    /**
     * Reads a fused op's {@code fused_ops} and {@code num_args} as tfjs does, accepting only a bias add optionally
     * followed by an activation ONNX has.
     *
     * @return the activation, {@code linear} for none
     */
    private static String fusedActivation(NodeContext n) {
        JsonNode fused = n.config.get("fused_ops");
        List<String> ops = new ArrayList<>();
        if (fused != null) {
            fused.forEach(op -> ops.add(op.asText()));
        }
        boolean biasAdd = !ops.isEmpty() && ops.get(0).equals("BiasAdd");
        if (!biasAdd || ops.size() > 2 || (ops.size() == 2 && !FUSED_ACTIVATIONS.containsKey(ops.get(1)))) {
            throw n.unsupported("fused_ops", ops, "only [BiasAdd] and [BiasAdd, A] with A one of "
                    + new TreeSet<>(FUSED_ACTIVATIONS.keySet()) + " are supported");
        }
        int numArgs = n.config.integer("num_args", -1);
        if (numArgs != 1) {
            throw n.unsupported("num_args", numArgs, "a fused BiasAdd takes exactly one extra argument, the bias");
        }
        // tfjs reads epsilon only for FusedBatchNorm and leakyrelu_alpha only for LeakyRelu, both rejected above.
        n.config.ignore("epsilon", "leakyrelu_alpha");
        return ops.size() == 2 ? FUSED_ACTIVATIONS.get(ops.get(1)) : "linear";
    }

    private void convolution(NodeContext n, boolean depthwise) {
        boolean fused = n.node.op().startsWith("_Fused") || n.node.op().startsWith("Fused");
        requireNhwc(n);
        int[] strides = spatial(n, "strides", true);
        int[] dilations = spatial(n, "dilations", false);
        if (dilations[0] != 1 || dilations[1] != 1) {
            throw n.unsupported("dilations", Arrays.toString(dilations), "only [1, 1, 1, 1] is supported");
        }
        n.config.ignore("use_cudnn_on_gpu");
        String activation = fused ? fusedActivation(n) : "linear";
        n.expectInputs(fused ? 3 : 2);
        KerasTensor x = n.image(0);
        WeightTensor kernel = n.constant(1, 4);
        long[] k = kernel.shape();
        if (k[2] != x.dim(3)) {
            throw n.error("has a kernel of shape " + Arrays.toString(k) + " for an input with " + x.dim(3)
                    + " channels");
        }
        long outChannels = depthwise ? k[2] * k[3] : k[3];
        WeightTensor bias = null;
        if (fused) {
            bias = n.constant(2, 1);
            if (bias.shape()[0] != outChannels) {
                throw n.error("has a bias of shape " + Arrays.toString(bias.shape()) + " for " + outChannels
                        + " output channels");
            }
        }
        SpatialPadding[] pads = padding(n, x, new int[] {(int) k[0], (int) k[1]}, strides, true);
        KerasTensor y = Conv2DConverter.emit(graph, x, kernel, bias, depthwise, pads[0], pads[1], strides,
                () -> Activations.isLinear(activation) ? n.outputName() : n.name("conv"));
        tensors.put(n.node.name(), Activations.apply(graph, y, activation, n::outputName));
    }

    /**
     * Add, Sub, Mul and BiasAdd: of two tensors of the same shape, or of a tensor and a scalar or per-channel
     * (last axis) constant, which are the only broadcasts translated.
     */
    private void elementwise(NodeContext n, String onnxOp) {
        n.expectInputs(2);
        boolean constantA = n.isConstant(0);
        boolean constantB = n.isConstant(1);
        if (constantA && constantB) {
            throw new UnsupportedModelException(n.node.name(), n.node.op(), null, "Node '" + n.node.name() + "' ("
                    + n.node.op() + ") combines two constants; constant folding is not supported");
        }
        if (!constantA && !constantB) {
            KerasTensor a = n.tensor(0);
            KerasTensor b = n.tensor(1);
            if (!Arrays.equals(a.shape(), b.shape()) || a.channelsFirst() != b.channelsFirst()) {
                throw n.error("combines tensors of different shapes " + a + " and " + b
                        + "; broadcasting between computed tensors is not supported");
            }
            String out = n.outputName();
            graph.node(onnxOp, List.of(a.onnxName(), b.onnxName()), out);
            tensors.put(n.node.name(), a.renamed(out));
            return;
        }
        KerasTensor x = n.tensor(constantA ? 1 : 0);
        WeightTensor c = constants.get(n.producer(constantA ? 0 : 1));
        long[] onnxShape = broadcastShape(n, x, c);
        String cName = graph.weight(c.name(), c, null, onnxShape);
        String out = n.outputName();
        graph.node(onnxOp, constantA ? List.of(cName, x.onnxName()) : List.of(x.onnxName(), cName), out);
        tensors.put(n.node.name(), x.renamed(out));
    }

    /** @return the ONNX shape that broadcasts a scalar or per-channel constant over {@code x} like NumPy does */
    private static long[] broadcastShape(NodeContext n, KerasTensor x, WeightTensor c) {
        long[] shape = c.shape();
        int count = c.spec().elementCount();
        if (count == 1 && shape.length <= x.rank()) {
            return new long[0];
        }
        if (shape.length == 1 && shape[0] == x.dim(-1)) {
            return x.channelsFirst() ? new long[] {shape[0], 1, 1} : new long[] {shape[0]};
        }
        throw n.error("broadcasts the constant '" + c.name() + "' of shape " + Arrays.toString(shape) + " over "
                + x + "; only scalar and per-channel (last axis) constants are supported");
    }

    private void activation(NodeContext n, String activation) {
        n.expectInputs(1);
        KerasTensor x = n.tensor(0);
        if (activation.equals("softmax") && x.rank() < 2) {
            throw n.error("needs an input of rank 2 or more");
        }
        tensors.put(n.node.name(), Activations.apply(graph, x, activation, n::outputName));
    }

    private void pool(NodeContext n, boolean max) {
        n.expectInputs(1);
        requireNhwc(n);
        int[] window = spatial(n, "ksize", true);
        int[] strides = spatial(n, "strides", true);
        KerasTensor x = n.image(0);
        // tfjs's pool executors pass 'padding' through without EXPLICIT support.
        SpatialPadding[] pads = padding(n, x, window, strides, false);
        tensors.put(n.node.name(), Pooling2DConverter.emit(graph, x, max, window, strides, pads[0], pads[1],
                n.outputName()));
    }

    /** Squeeze of the two spatial axes of a 1×1 image, the end of a global pooling: [N, 1, 1, C] → [N, C]. */
    private void squeeze(NodeContext n) {
        n.expectInputs(1);
        JsonNode axis = n.config.get("axis");
        JsonNode deprecated = n.config.get("squeeze_dims");
        JsonNode dims = axis != null && !axis.isEmpty() ? axis : deprecated;
        KerasTensor x = n.tensor(0);
        Set<Integer> squeezed = new TreeSet<>();
        if (dims != null) {
            for (JsonNode d : dims) {
                int v = d.asInt();
                squeezed.add(v < 0 ? v + x.rank() : v);
            }
        }
        if (!x.channelsFirst() || !squeezed.equals(Set.of(1, 2)) || x.dim(1) != 1 || x.dim(2) != 1) {
            throw n.unsupported("squeeze_dims", dims, "only squeezing both spatial axes of a [N, 1, 1, C] tensor is"
                    + " supported (input " + x + ")");
        }
        String out = n.outputName();
        // With H = W = 1 the NCHW tensor flattens to exactly [N, C].
        graph.node("Flatten", List.of(x.onnxName()), out, List.of(OnnxGraphBuilder.intAttr("axis", 1)));
        tensors.put(n.node.name(), new KerasTensor(out, new long[] {x.dim(0), x.dim(3)}, false));
    }

    private void matMul(NodeContext n) {
        boolean fused = n.node.op().equals("_FusedMatMul");
        if (n.config.bool("transpose_a", false)) {
            throw n.unsupported("transpose_a", true, "only false is supported");
        }
        boolean transposeB = n.config.bool("transpose_b", false);
        String activation = fused ? fusedActivation(n) : "linear";
        n.expectInputs(fused ? 3 : 2);
        KerasTensor a = n.tensor(0);
        if (a.rank() != 2) {
            throw n.error("multiplies a rank-" + a.rank() + " tensor " + Arrays.toString(a.shape())
                    + "; only rank-2 inputs are supported");
        }
        WeightTensor b = n.constant(1, 2);
        long[] bs = b.shape();
        long in = transposeB ? bs[1] : bs[0];
        long units = transposeB ? bs[0] : bs[1];
        if (in != a.dim(1)) {
            throw n.error("multiplies " + Arrays.toString(a.shape()) + " by " + Arrays.toString(bs)
                    + (transposeB ? " transposed" : "") + ": the inner dimensions differ");
        }
        List<String> inputs = new ArrayList<>(List.of(a.onnxName(),
                graph.weight(b.name(), b, transposeB ? new int[] {1, 0} : null, in, units)));
        if (fused) {
            WeightTensor bias = n.constant(2, 1);
            if (bias.shape()[0] != units) {
                throw n.error("has a bias of shape " + Arrays.toString(bias.shape()) + " for " + units + " outputs");
            }
            inputs.add(graph.weight(bias.name(), bias, null, units));
        }
        String out = Activations.isLinear(activation) ? n.outputName() : n.name("linear");
        graph.node(fused ? "Gemm" : "MatMul", inputs, out);
        KerasTensor y = new KerasTensor(out, new long[] {a.dim(0), units}, false);
        tensors.put(n.node.name(), Activations.apply(graph, y, activation, n::outputName));
    }
}
