package io.keshikaran.converter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A TensorFlow.js graph model: a TensorFlow GraphDef in JSON (as written by the tfjs converter, with fused ops such
 * as {@code _FusedConv2D}) and its weights, decoded exactly as tfjs decodes them (see {@link TfjsArtifacts}).
 *
 * <p>Each {@code Const} node's value is the weight of the same name in the {@code weightsManifest}. The model's
 * input and output are taken from its signature ({@code userDefinedMetadata.signature} or {@code signature}) when it
 * has one. Read it with {@link TfjsArtifacts} ({@code fromModelJson}, {@code fromNpmBundle}, {@code of}) and
 * {@link #from(TfjsArtifacts)}.
 */
public final class TfjsGraphModel {

    private final TfjsArtifacts artifacts;
    private final List<GraphNode> nodes;
    private final Map<String, GraphNode> nodesByName;
    private final List<String> signatureInputs;
    private final List<String> signatureOutputs;
    private final String convertedBy;
    private final String generatedBy;

    private TfjsGraphModel(TfjsArtifacts artifacts) {
        if (!artifacts.format().equals(TfjsArtifacts.GRAPH_MODEL)) {
            throw new ModelFormatException("The model's format is '" + artifacts.format()
                    + "', not a TensorFlow.js graph model; read it with TfjsLayersModel if it is a layers model");
        }
        JsonNode json = artifacts.modelJsonView();
        JsonNode nodeArray = json.get("modelTopology").get("node");
        if (nodeArray == null || !nodeArray.isArray() || nodeArray.isEmpty()) {
            throw new ModelFormatException("The graph model's topology has no 'node' array");
        }
        if (json.get("modelTopology").has("library")
                && !json.get("modelTopology").get("library").path("function").isEmpty()) {
            throw new UnsupportedModelException("modelTopology", "GraphDef", "library",
                    "The graph model defines functions (control flow); only plain feed-forward graphs are supported");
        }
        List<GraphNode> parsed = new ArrayList<>();
        Map<String, GraphNode> byName = new LinkedHashMap<>();
        for (JsonNode n : nodeArray) {
            GraphNode node = GraphNode.parse(n);
            if (byName.put(node.name(), node) != null) {
                throw new ModelFormatException("The graph has two nodes named '" + node.name() + "'");
            }
            parsed.add(node);
        }
        JsonNode signature = json.has("signature") ? json.get("signature")
                : json.path("userDefinedMetadata").path("signature");
        this.artifacts = artifacts;
        this.nodes = List.copyOf(parsed);
        this.nodesByName = Collections.unmodifiableMap(byName);
        this.signatureInputs = fieldNames(signature.path("inputs"));
        this.signatureOutputs = fieldNames(signature.path("outputs"));
        this.convertedBy = json.path("convertedBy").asText(null);
        this.generatedBy = json.path("generatedBy").asText(null);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return List.copyOf(names);
    }

    /**
     * @param artifacts the model files, whose format must be {@link TfjsArtifacts#GRAPH_MODEL}
     * @return the graph model
     * @throws ModelFormatException if the files hold another kind of model or a malformed graph
     */
    public static TfjsGraphModel from(TfjsArtifacts artifacts) {
        return new TfjsGraphModel(artifacts);
    }

    /**
     * Reads one of the graph models bundled in an npm package the way nsfwjs 4.x ships them (see
     * {@link TfjsArtifacts#fromNpmBundle}).
     *
     * @param pkg the package
     * @param modelDir the model's directory inside the package, e.g. {@code dist/models/mobilenet_v2_mid}
     * @return the model; {@link TfjsArtifacts#sourceSha256()} lists the files used
     */
    public static TfjsGraphModel fromNpmBundle(NpmPackage pkg, String modelDir) {
        return from(TfjsArtifacts.fromNpmBundle(pkg, modelDir));
    }

    /** Package-private: the converter reads the nodes. */
    List<GraphNode> nodes() {
        return nodes;
    }

    /** @return the node of that name, if any */
    Optional<GraphNode> node(String name) {
        return Optional.ofNullable(nodesByName.get(name));
    }

    /** @return how many nodes use each op, sorted by op name */
    public SortedMap<String, Integer> opCounts() {
        SortedMap<String, Integer> counts = new TreeMap<>();
        for (GraphNode n : nodes) {
            counts.merge(n.op(), 1, Integer::sum);
        }
        return Collections.unmodifiableSortedMap(counts);
    }

    /** @return the input tensor names in the model's signature (e.g. {@code input:0}); empty without one */
    public List<String> signatureInputs() {
        return signatureInputs;
    }

    /** @return the output tensor names in the model's signature (e.g. {@code Identity:0}); empty without one */
    public List<String> signatureOutputs() {
        return signatureOutputs;
    }

    /** @return the tfjs converter that wrote the model, e.g. {@code TensorFlow.js Converter v1.7.4r1}, if recorded */
    public Optional<String> convertedBy() {
        return Optional.ofNullable(convertedBy);
    }

    /** @return the TensorFlow version that produced the graph, if recorded ({@code generatedBy}) */
    public Optional<String> generatedBy() {
        return Optional.ofNullable(generatedBy);
    }

    /**
     * @return the model's files: its weights (each the value of the {@code Const} node of the same name) and the
     *     SHA-256 of every source file that was read
     */
    public TfjsArtifacts artifacts() {
        return artifacts;
    }
}
