package io.keshikaran.converter;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** One layer being converted: its identity, configuration, inputs, weights and the graph under construction. */
final class LayerContext implements ConversionSite {

    private final String layerName;
    private final String layerClass;
    private final LayerConfig config;
    private final List<KerasTensor> inputs;
    private final OnnxGraphBuilder graph;
    private final TfjsLayersModel model;
    private final Set<String> usedWeights;
    private String outputName;

    LayerContext(String layerName, String layerClass, LayerConfig config, List<KerasTensor> inputs,
                 OnnxGraphBuilder graph, TfjsLayersModel model, Set<String> usedWeights) {
        this.layerName = layerName;
        this.layerClass = layerClass;
        this.config = config;
        this.inputs = List.copyOf(inputs);
        this.graph = graph;
        this.model = model;
        this.usedWeights = usedWeights;
    }

    String layerName() {
        return layerName;
    }

    String layerClass() {
        return layerClass;
    }

    LayerConfig config() {
        return config;
    }

    OnnxGraphBuilder graph() {
        return graph;
    }

    List<KerasTensor> inputs() {
        return inputs;
    }

    /** @return the only input; fails if the layer has several */
    KerasTensor input() {
        if (inputs.size() != 1) {
            throw error("expects exactly one input but has " + inputs.size());
        }
        return inputs.get(0);
    }

    /** @return the single input, which must be a rank-4 (NHWC in Keras, NCHW in ONNX) image tensor */
    KerasTensor imageInput() {
        KerasTensor x = input();
        if (!x.channelsFirst()) {
            throw error("expects a rank-4 image tensor but its input has shape " + Arrays.toString(x.shape()));
        }
        return x;
    }

    /** @return the name of the layer's final ONNX tensor (the layer name, made unique); reserved on first call */
    String outputName() {
        if (outputName == null) {
            outputName = graph.uniqueName(layerName);
        }
        return outputName;
    }

    /**
     * @param suffix what the tensor is
     * @return a fresh name for an intermediate tensor of this layer
     */
    String name(String suffix) {
        return graph.uniqueName(layerName + "/" + suffix);
    }

    /**
     * Returns this layer's weight {@code <layer>/<suffix>} and marks it used.
     *
     * @param suffix the weight's name within the layer, e.g. {@code kernel}
     * @param expectedShape the shape the layer's configuration implies
     * @return the weight
     * @throws ModelFormatException if it is missing or has another shape
     */
    WeightTensor weight(String suffix, long... expectedShape) {
        String name = layerName + "/" + suffix;
        WeightTensor w = model.weight(name).orElseThrow(() -> new ModelFormatException("Layer '" + layerName
                + "' (" + layerClass + ") needs weight '" + name + "', which is not in the weights manifest"));
        if (!Arrays.equals(w.shape(), expectedShape)) {
            throw new ModelFormatException("Weight '" + name + "' has shape " + Arrays.toString(w.shape())
                    + " but layer '" + layerName + "' (" + layerClass + ") implies " + Arrays.toString(expectedShape));
        }
        usedWeights.add(name);
        return w;
    }

    /**
     * Adds the weight {@code <layer>/<suffix>} to the graph, rearranged for ONNX.
     *
     * @param suffix the weight's name within the layer
     * @param expectedShape the tfjs shape
     * @param permutation axis permutation to ONNX order, or {@code null}
     * @param onnxShape the ONNX shape
     * @return the ONNX tensor name
     */
    String weightInput(String suffix, long[] expectedShape, int[] permutation, long... onnxShape) {
        WeightTensor w = weight(suffix, expectedShape);
        return graph.weight(w.name(), w, permutation, onnxShape);
    }

    @Override
    public UnsupportedModelException unsupported(String attribute, Object value, String why) {
        return config.unsupported(attribute, value, why);
    }

    @Override
    public ModelFormatException error(String message) {
        return new ModelFormatException("Layer '" + layerName + "' (" + layerClass + ") " + message);
    }
}
