package io.keshikaran.converter;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A TensorFlow.js layers model: the Keras model topology and its weights decoded exactly as tfjs decodes them
 * (see {@link TfjsArtifacts}).
 */
public final class TfjsLayersModel {

    private final TfjsArtifacts artifacts;
    private final JsonNode modelConfig;
    private final String kerasVersion;

    private TfjsLayersModel(TfjsArtifacts artifacts) {
        if (!artifacts.format().equals(TfjsArtifacts.LAYERS_MODEL)) {
            throw new ModelFormatException("The model's format is '" + artifacts.format()
                    + "', not a TensorFlow.js layers model; read it with TfjsGraphModel if it is a graph model");
        }
        JsonNode topology = artifacts.modelJsonView().get("modelTopology");
        // tfjs accepts both {model_config: {...}} (written by the Python converter) and the bare Keras config.
        this.modelConfig = topology.has("model_config") ? topology.get("model_config") : topology;
        this.kerasVersion = topology.path("keras_version").asText(null);
        this.artifacts = artifacts;
    }

    /**
     * @param artifacts the model files, whose format must be {@link TfjsArtifacts#LAYERS_MODEL}
     * @return the layers model
     * @throws ModelFormatException if the files hold another kind of model
     */
    public static TfjsLayersModel from(TfjsArtifacts artifacts) {
        return new TfjsLayersModel(artifacts);
    }

    /**
     * Builds a model from the parsed model JSON and a function that returns the bytes of each manifest path
     * (see {@link TfjsArtifacts#fromArtifacts}).
     *
     * @param modelJson the model JSON ({@code model.json} content, or the object exported by {@code model.min.js})
     * @param weightFile returns the bytes of a manifest path
     * @return the model
     */
    public static TfjsLayersModel fromArtifacts(JsonNode modelJson, Function<String, byte[]> weightFile) {
        return from(TfjsArtifacts.fromArtifacts(modelJson, weightFile));
    }

    /**
     * Builds a model from a topology, a manifest and the concatenated weight data; the manifest's {@code paths}
     * are ignored. Mostly useful for tests and for models assembled in memory.
     *
     * @param modelTopology the {@code modelTopology} object
     * @param weightsManifest the {@code weightsManifest} array
     * @param weightData all weight bytes, in manifest order
     * @return the model
     */
    public static TfjsLayersModel of(JsonNode modelTopology, JsonNode weightsManifest, byte[] weightData) {
        return from(TfjsArtifacts.of(TfjsArtifacts.LAYERS_MODEL, modelTopology, weightsManifest, weightData));
    }

    /**
     * Reads one of the layers models bundled in an npm package the way nsfwjs 4.x ships them (see
     * {@link TfjsArtifacts#fromNpmBundle}).
     *
     * @param pkg the package
     * @param modelDir the model's directory inside the package, e.g. {@code dist/models/mobilenet_v2}
     * @return the model; {@link #sourceSha256()} lists the files used
     */
    public static TfjsLayersModel fromNpmBundle(NpmPackage pkg, String modelDir) {
        return from(TfjsArtifacts.fromNpmBundle(pkg, modelDir));
    }

    /**
     * Reads a standard tfjs layers model: a {@code model.json} file and binary weight files next to it.
     *
     * @param modelJsonFile the {@code model.json}
     * @return the model; {@link #sourceSha256()} lists the files used
     */
    public static TfjsLayersModel fromModelJson(Path modelJsonFile) {
        return from(TfjsArtifacts.fromModelJson(modelJsonFile));
    }

    /** @return the Keras model config: an object with {@code class_name} and {@code config} */
    public JsonNode modelConfig() {
        return modelConfig.deepCopy();
    }

    /** Uncopied access for the converter, which only reads it. */
    JsonNode modelConfigView() {
        return modelConfig;
    }

    /** @return the Keras version recorded in the topology, if any */
    public Optional<String> kerasVersion() {
        return Optional.ofNullable(kerasVersion);
    }

    /** @return the weights in manifest order */
    public List<WeightTensor> weights() {
        return artifacts.weights();
    }

    /**
     * @param name a weight name, {@code <layer>/<weight>}
     * @return the weight, if present
     */
    public Optional<WeightTensor> weight(String name) {
        return artifacts.weight(name);
    }

    /**
     * @return the SHA-256 of every source file that was read, keyed by its path (relative to the npm package
     *     root, or to the model.json's directory), in reading order; empty for models built in memory
     */
    public Map<String, String> sourceSha256() {
        return artifacts.sourceSha256();
    }
}
