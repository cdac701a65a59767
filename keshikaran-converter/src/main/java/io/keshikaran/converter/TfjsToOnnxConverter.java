package io.keshikaran.converter;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Converts a {@link TfjsLayersModel} (a Keras functional model) or a {@link TfjsGraphModel} (a TensorFlow GraphDef)
 * into an ONNX model.
 *
 * <p>The ONNX graph has one float32 input of shape {@code [N, H, W, C]} (NHWC, as the source model takes it) with a
 * symbolic batch dimension, and one float32 output. The input is transposed to NCHW once; convolutions, pools and
 * batch normalization run in NCHW; {@code Flatten} transposes back so features keep Keras's order. Every layer is
 * translated by the {@link LayerConverter} registered for its class, every graph node by the translation of its op;
 * anything unknown fails the conversion.
 *
 * <p>The conversion is deterministic: the same model and options always give the same bytes.
 */
public final class TfjsToOnnxConverter {

    private static final Map<String, LayerConverter> CONVERTERS = Map.ofEntries(
            Map.entry("ZeroPadding2D", new ZeroPadding2DConverter()),
            Map.entry("Conv2D", new Conv2DConverter(false)),
            Map.entry("DepthwiseConv2D", new Conv2DConverter(true)),
            Map.entry("BatchNormalization", new BatchNormalizationConverter()),
            Map.entry("ReLU", new ReLUConverter()),
            Map.entry("Activation", new ActivationConverter()),
            Map.entry("Add", new AddConverter()),
            Map.entry("Concatenate", new ConcatenateConverter()),
            Map.entry("MaxPooling2D", new Pooling2DConverter(true)),
            Map.entry("AveragePooling2D", new Pooling2DConverter(false)),
            Map.entry("Flatten", new FlattenConverter()),
            Map.entry("Dense", new DenseConverter()),
            Map.entry("Dropout", new DropoutConverter()));

    private TfjsToOnnxConverter() {
    }

    /** @return the Keras layer classes the converter translates, sorted, including {@code InputLayer} */
    public static Set<String> supportedLayers() {
        Set<String> all = new TreeSet<>(CONVERTERS.keySet());
        all.add("InputLayer");
        return all;
    }

    /** @return this converter's version (the Maven project version) */
    public static String version() {
        try (InputStream in = TfjsToOnnxConverter.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Converts a model.
     *
     * @param model the tfjs layers model
     * @param options names, weight storage and metadata
     * @return the ONNX model
     * @throws UnsupportedModelException if the model uses something the converter does not translate
     * @throws ModelFormatException if the model is inconsistent
     */
    public static ModelProto convert(TfjsLayersModel model, ConversionOptions options) {
        JsonNode modelConfig = model.modelConfigView();
        String modelClass = modelConfig.path("class_name").asText("");
        JsonNode config = modelConfig.path("config");
        String modelName = config.path("name").asText("model");
        if (!modelClass.equals("Model") && !modelClass.equals("Functional")) {
            throw new UnsupportedModelException(modelName, modelClass, null, "Model '" + modelName + "' is a '"
                    + modelClass + "'; only functional models (class_name 'Model' or 'Functional') are supported");
        }
        JsonNode layers = config.get("layers");
        if (layers == null || !layers.isArray() || layers.isEmpty()) {
            throw new ModelFormatException("Model '" + modelName + "' has no layers");
        }
        String inputLayer = singleEndpoint(config, "input_layers", modelName);
        String outputLayer = singleEndpoint(config, "output_layers", modelName);

        OnnxGraphBuilder graph = new OnnxGraphBuilder(options.weightStorage());
        graph.reserve(options.inputName());
        graph.reserve(options.outputName());
        Map<String, KerasTensor> tensors = new HashMap<>();
        Set<String> usedWeights = new HashSet<>();
        long[] inputShape = null;

        for (JsonNode layer : layers) {
            String name = layer.path("name").asText(null);
            String layerClass = layer.path("class_name").asText(null);
            if (name == null || layerClass == null) {
                throw new ModelFormatException("Model '" + modelName + "' has a layer without name or class_name: "
                        + abbreviate(layer));
            }
            JsonNode layerConfigNode = layer.path("config");
            if (!layerConfigNode.isObject()) {
                throw new ModelFormatException("Layer '" + name + "' has no config object");
            }
            if (tensors.containsKey(name)) {
                throw new ModelFormatException("Model '" + modelName + "' has two layers named '" + name + "'");
            }
            LayerConfig layerConfig = new LayerConfig(name, layerClass, layerConfigNode);
            checkDtype(layerConfig);
            if (layerClass.equals("InputLayer")) {
                if (inputShape != null) {
                    throw new UnsupportedModelException(name, layerClass, null,
                            "Model '" + modelName + "' has more than one InputLayer; only one input is supported");
                }
                if (!name.equals(inputLayer)) {
                    throw new ModelFormatException("InputLayer '" + name + "' is not the model input '" + inputLayer + "'");
                }
                if (!layer.path("inbound_nodes").isEmpty()) {
                    throw new ModelFormatException("InputLayer '" + name + "' has inbound nodes");
                }
                inputShape = inputShape(layerConfig, name);
                layerConfig.checkAllUsed();
                tensors.put(name, addInput(graph, name, inputShape, options));
                continue;
            }
            LayerConverter converter = CONVERTERS.get(layerClass);
            if (converter == null) {
                throw new UnsupportedModelException(name, layerClass, null, "Layer '" + name + "' has type '"
                        + layerClass + "', which the converter does not support; supported types: " + supportedLayers());
            }
            List<KerasTensor> inputs = inboundTensors(layer, name, layerClass, tensors);
            LayerContext ctx = new LayerContext(name, layerClass, layerConfig, inputs, graph, model, usedWeights);
            KerasTensor out = converter.convert(ctx);
            layerConfig.checkAllUsed();
            tensors.put(name, out);
        }
        if (inputShape == null) {
            throw new ModelFormatException("Model '" + modelName + "' has no InputLayer");
        }
        KerasTensor output = tensors.get(outputLayer);
        if (output == null) {
            throw new ModelFormatException("Model '" + modelName + "' names output layer '" + outputLayer
                    + "', which does not exist");
        }
        List<String> unused = new ArrayList<>();
        for (WeightTensor w : model.weights()) {
            if (!usedWeights.contains(w.name())) {
                unused.add(w.name());
            }
        }
        if (!unused.isEmpty()) {
            // A weight no layer claims means a layer was misread (e.g. a bias that should have been applied).
            throw new ModelFormatException("Weights not used by any layer: " + unused);
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        model.kerasVersion().ifPresent(v -> metadata.put("keshikaran.source.keras_version", v));
        String doc = "Converted from the TensorFlow.js layers model '" + modelName + "' by keshikaran-converter "
                + version() + " (weights: " + options.weightStorage().id() + "). Input: float32 NHWC.";
        return assemble(graph, modelName, inputShape, output, outputLayer, options, metadata, doc);
    }

    /**
     * Converts a TensorFlow.js graph model (see {@link #supportedOps()}).
     *
     * @param model the tfjs graph model
     * @param options names, weight storage and metadata
     * @return the ONNX model
     * @throws UnsupportedModelException if the model uses an op or attribute the converter does not translate
     * @throws ModelFormatException if the model is inconsistent
     */
    public static ModelProto convert(TfjsGraphModel model, ConversionOptions options) {
        return GraphConverter.convert(model, options);
    }

    /**
     * Converts a layers or a graph model, whichever the files hold.
     *
     * @param artifacts the model files
     * @param options names, weight storage and metadata
     * @return the ONNX model
     */
    public static ModelProto convert(TfjsArtifacts artifacts, ConversionOptions options) {
        return artifacts.format().equals(TfjsArtifacts.GRAPH_MODEL)
                ? convert(TfjsGraphModel.from(artifacts), options)
                : convert(TfjsLayersModel.from(artifacts), options);
    }

    /** @return the TensorFlow ops the graph-model converter translates, sorted */
    public static Set<String> supportedOps() {
        return GraphConverter.SUPPORTED_OPS;
    }

    /**
     * Finishes a converted graph, layers or graph model alike: the output goes back to NHWC if it is an image
     * tensor and takes its public name, and the model gets its metadata.
     *
     * @param graph the graph built so far
     * @param graphName the ONNX graph's name
     * @param inputShape the input's NHWC shape, {@code -1} for the batch
     * @param output the source model's output
     * @param outputLabel the source model's name for the output, for the transpose's name
     * @param options the conversion options
     * @param sourceMetadata metadata about the source model, written after the converter's own entries and
     *     before {@link ConversionOptions#metadata()}
     * @param docString the model's description
     * @return the ONNX model
     */
    static ModelProto assemble(OnnxGraphBuilder graph, String graphName, long[] inputShape, KerasTensor output,
                               String outputLabel, ConversionOptions options, Map<String, String> sourceMetadata,
                               String docString) {
        String finalName = output.onnxName();
        if (output.channelsFirst()) {
            // The caller sees the source model's NHWC layout, never the internal NCHW one.
            String nhwc = graph.uniqueName(outputLabel + "/nhwc");
            graph.node("Transpose", List.of(finalName), nhwc,
                    List.of(OnnxGraphBuilder.intsAttr("perm", 0, 2, 3, 1)));
            finalName = nhwc;
        }
        if (graph.isNodeOutput(finalName)) {
            graph.rename(finalName, options.outputName());
        } else {
            // The output is the graph input itself (a model of Dropouts, say): ONNX needs a node in between.
            graph.node("Identity", List.of(finalName), options.outputName());
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("keshikaran.converter.version", version());
        metadata.put("keshikaran.weight_storage", options.weightStorage().id());
        metadata.putAll(sourceMetadata);
        metadata.putAll(options.metadata());
        return graph.build(graphName,
                OnnxGraphBuilder.floatValueInfo(options.inputName(), inputShape, options.batchDimension()),
                OnnxGraphBuilder.floatValueInfo(options.outputName(), output.shape(), options.batchDimension()),
                version(), docString, metadata);
    }

    /**
     * Adds the graph input and, for an image, the one transpose from NHWC to the NCHW the graph works in.
     *
     * @param graph the graph
     * @param sourceName the source model's name for its input, for the transpose's name
     * @param shape the input's NHWC shape
     * @param options the conversion options
     * @return the tensor the rest of the graph reads
     */
    static KerasTensor addInput(OnnxGraphBuilder graph, String sourceName, long[] shape, ConversionOptions options) {
        if (shape.length != 4) {
            return new KerasTensor(options.inputName(), shape, false);
        }
        String nchw = graph.uniqueName(sourceName);
        graph.node("Transpose", List.of(options.inputName()), nchw,
                List.of(OnnxGraphBuilder.intsAttr("perm", 0, 3, 1, 2)));
        return new KerasTensor(nchw, shape, true);
    }

    private static long[] inputShape(LayerConfig config, String name) {
        JsonNode shapeNode = config.get("batch_input_shape");
        if (shapeNode == null) {
            shapeNode = config.get("batch_shape"); // Keras 3 spelling
        }
        if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() < 2) {
            throw config.unsupported("batch_input_shape", shapeNode, "a batch shape of rank 2 or more is required");
        }
        if (!shapeNode.get(0).isNull() && !(shapeNode.get(0).canConvertToExactIntegral())) {
            throw config.unsupported("batch_input_shape", shapeNode, "invalid batch dimension");
        }
        long[] shape = new long[shapeNode.size()];
        shape[0] = -1; // the batch is always symbolic in the ONNX graph
        for (int i = 1; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToExactIntegral() || d.asLong() < 1) {
                throw config.unsupported("batch_input_shape", shapeNode,
                        "every non-batch dimension must be fixed (the converter computes static paddings)");
            }
            shape[i] = d.asLong();
        }
        if (config.bool("sparse", false)) {
            throw config.unsupported("sparse", true, "sparse inputs are not supported");
        }
        if (config.bool("ragged", false)) {
            throw config.unsupported("ragged", true, "ragged inputs are not supported");
        }
        return shape;
    }

    /** Accepts only float32 layers: {@code dtype} absent, {@code "float32"} or a float32 policy object. */
    private static void checkDtype(LayerConfig config) {
        JsonNode dtype = config.get("dtype");
        if (dtype == null) {
            return;
        }
        String name = dtype.isTextual() ? dtype.asText() : dtype.path("config").path("name").asText("");
        if (!name.equals("float32")) {
            throw config.unsupported("dtype", dtype, "only float32 is supported");
        }
    }

    private static List<KerasTensor> inboundTensors(JsonNode layer, String name, String layerClass,
                                                    Map<String, KerasTensor> tensors) {
        JsonNode nodes = layer.path("inbound_nodes");
        if (!nodes.isArray() || nodes.isEmpty()) {
            throw new ModelFormatException("Layer '" + name + "' (" + layerClass + ") has no inbound nodes");
        }
        if (nodes.size() > 1) {
            throw new UnsupportedModelException(name, layerClass, "inbound_nodes", "Layer '" + name + "' ("
                    + layerClass + ") is called " + nodes.size() + " times; shared layers are not supported");
        }
        List<KerasTensor> inputs = new ArrayList<>();
        for (JsonNode ref : nodes.get(0)) {
            // Keras 2 format: [layer_name, node_index, tensor_index, kwargs]
            if (!ref.isArray() || ref.size() < 3 || !ref.get(0).isTextual()) {
                throw new ModelFormatException("Layer '" + name + "' has a malformed inbound node " + ref);
            }
            String source = ref.get(0).asText();
            if (ref.get(1).asInt(-1) != 0 || ref.get(2).asInt(-1) != 0) {
                throw new UnsupportedModelException(name, layerClass, "inbound_nodes", "Layer '" + name + "' ("
                        + layerClass + ") reads node " + ref.get(1) + ", tensor " + ref.get(2) + " of '" + source
                        + "'; only single-output, unshared layers are supported");
            }
            if (ref.size() > 3 && ref.get(3).isObject() && !ref.get(3).isEmpty()) {
                throw new UnsupportedModelException(name, layerClass, "inbound_nodes", "Layer '" + name + "' ("
                        + layerClass + ") is called with arguments " + ref.get(3) + ", which are not supported");
            }
            KerasTensor t = tensors.get(source);
            if (t == null) {
                throw new ModelFormatException("Layer '" + name + "' reads '" + source
                        + "', which is not defined before it");
            }
            inputs.add(t);
        }
        return inputs;
    }

    private static String singleEndpoint(JsonNode config, String key, String modelName) {
        JsonNode endpoints = config.get(key);
        if (endpoints == null || !endpoints.isArray() || endpoints.size() != 1) {
            throw new UnsupportedModelException(modelName, "Model", key, "Model '" + modelName + "' must have exactly"
                    + " one entry in " + key + " but has " + (endpoints == null ? "none" : endpoints.toString()));
        }
        JsonNode e = endpoints.get(0);
        if (!e.isArray() || e.size() < 1 || !e.get(0).isTextual()
                || (e.size() > 1 && e.get(1).asInt(-1) != 0) || (e.size() > 2 && e.get(2).asInt(-1) != 0)) {
            throw new UnsupportedModelException(modelName, "Model", key, "Model '" + modelName + "' has an unsupported "
                    + key + " entry " + e);
        }
        return e.get(0).asText();
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** @return the shape of a converted model's single input, with {@code -1} for symbolic dimensions */
    static long[] inputShape(ModelProto model) {
        var dims = model.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
        return dims.stream().mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1).toArray();
    }

    /** @return the shape of a converted model's single output, with {@code -1} for symbolic dimensions */
    static long[] outputShape(ModelProto model) {
        var dims = model.getGraph().getOutput(0).getType().getTensorType().getShape().getDimList();
        return dims.stream().mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1).toArray();
    }
}
