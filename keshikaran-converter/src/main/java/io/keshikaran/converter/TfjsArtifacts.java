package io.keshikaran.converter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The files of one TensorFlow.js model, layers or graph: the model JSON and its weights, decoded exactly as tfjs
 * decodes them.
 *
 * <p>Weights are located the way tfjs's loaders locate them: the {@code weightsManifest} groups list the weight
 * files ({@code paths}) and the tensors ({@code weights}); all files are concatenated in manifest order and each
 * tensor takes the next {@code elements × bytes-per-element} bytes. The weight data must be consumed exactly.
 * {@link TfjsLayersModel} and {@link TfjsGraphModel} interpret the topology.
 */
public final class TfjsArtifacts {

    /** The {@code format} of a Keras layers model. */
    public static final String LAYERS_MODEL = "layers-model";
    /** The {@code format} of a TensorFlow graph model (a GraphDef in JSON). */
    public static final String GRAPH_MODEL = "graph-model";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WEIGHT_SPEC_KEYS = Set.of("name", "shape", "dtype", "quantization");
    private static final Set<String> QUANTIZATION_KEYS = Set.of("dtype", "min", "scale", "original_dtype");

    private final JsonNode modelJson;
    private final List<WeightTensor> weights;
    private final Map<String, WeightTensor> weightsByName;
    private final Map<String, String> sourceSha256;

    private TfjsArtifacts(JsonNode modelJson, List<WeightTensor> weights, Map<String, String> sourceSha256) {
        this.modelJson = modelJson;
        this.weights = List.copyOf(weights);
        Map<String, WeightTensor> byName = new LinkedHashMap<>();
        for (WeightTensor w : weights) {
            if (byName.put(w.name(), w) != null) {
                throw new ModelFormatException("Duplicate weight '" + w.name() + "' in the weights manifest");
            }
        }
        this.weightsByName = Collections.unmodifiableMap(byName);
        this.sourceSha256 = Collections.unmodifiableMap(new LinkedHashMap<>(sourceSha256));
    }

    /**
     * Reads a model from the parsed model JSON (with {@code modelTopology} and {@code weightsManifest}) and a
     * function that returns the bytes of each manifest path.
     *
     * @param modelJson the model JSON ({@code model.json} content, or the object exported by {@code model.min.js})
     * @param weightFile returns the bytes of a manifest path
     * @return the artifacts
     */
    public static TfjsArtifacts fromArtifacts(JsonNode modelJson, Function<String, byte[]> weightFile) {
        return fromArtifacts(modelJson, weightFile, Map.of());
    }

    private static TfjsArtifacts fromArtifacts(JsonNode modelJson, Function<String, byte[]> weightFile,
                                               Map<String, String> sourceSha256) {
        JsonNode topology = modelJson.get("modelTopology");
        if (topology == null || !topology.isObject()) {
            throw new ModelFormatException("The model JSON has no 'modelTopology' object");
        }
        JsonNode manifest = modelJson.get("weightsManifest");
        if (manifest == null || !manifest.isArray()) {
            throw new ModelFormatException("The model JSON has no 'weightsManifest' array");
        }
        List<WeightSpec> specs = new ArrayList<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (JsonNode group : manifest) {
            JsonNode paths = group.get("paths");
            JsonNode groupWeights = group.get("weights");
            if (paths == null || !paths.isArray() || groupWeights == null || !groupWeights.isArray()) {
                throw new ModelFormatException("A weightsManifest group lacks 'paths' or 'weights': " + group);
            }
            for (JsonNode path : paths) {
                data.writeBytes(weightFile.apply(path.asText()));
            }
            for (JsonNode w : groupWeights) {
                specs.add(parseWeightSpec(w));
            }
        }
        return new TfjsArtifacts(modelJson, decodeWeights(specs, data.toByteArray()), sourceSha256);
    }

    /**
     * Builds the artifacts from a topology, a manifest and the concatenated weight data; the manifest's
     * {@code paths} are ignored. Mostly useful for tests and for models assembled in memory.
     *
     * @param format {@link #LAYERS_MODEL} or {@link #GRAPH_MODEL}
     * @param modelTopology the {@code modelTopology} object
     * @param weightsManifest the {@code weightsManifest} array
     * @param weightData all weight bytes, in manifest order
     * @return the artifacts
     */
    public static TfjsArtifacts of(String format, JsonNode modelTopology, JsonNode weightsManifest,
                                   byte[] weightData) {
        var modelJson = JSON.createObjectNode();
        modelJson.put("format", format);
        modelJson.set("modelTopology", modelTopology);
        // Replace every group's paths by a single synthetic one so that all data is read exactly once.
        var manifest = JSON.createArrayNode();
        boolean first = true;
        for (JsonNode group : weightsManifest) {
            var g = JSON.createObjectNode();
            g.set("paths", first ? JSON.createArrayNode().add("all") : JSON.createArrayNode());
            g.set("weights", group.get("weights"));
            manifest.add(g);
            first = false;
        }
        modelJson.set("weightsManifest", manifest);
        byte[] copy = weightData.clone();
        return fromArtifacts(modelJson, p -> copy);
    }

    /**
     * Reads one of the models bundled in an npm package the way nsfwjs 4.x ships them:
     * {@code <modelDir>/model.min.js} exports the model JSON, and each manifest path {@code P} is the file
     * {@code <modelDir>/P.min.js}, which exports the bytes as one base64 string (see nsfwjs's {@code JSONHandler}).
     *
     * @param pkg the package
     * @param modelDir the model's directory inside the package, e.g. {@code dist/models/mobilenet_v2}
     * @return the artifacts; {@link #sourceSha256()} lists the files used
     */
    public static TfjsArtifacts fromNpmBundle(NpmPackage pkg, String modelDir) {
        Map<String, String> sources = new LinkedHashMap<>();
        String modelFile = modelDir + "/model.min.js";
        JsonNode modelJson = BrowserifyBundle.moduleExports(
                new String(pkg.read(modelFile), StandardCharsets.UTF_8), modelFile);
        sources.put(modelFile, pkg.sha256Of(modelFile));
        Function<String, byte[]> shards = path -> {
            if (path.contains("/") || path.contains("\\")) {
                throw new ModelFormatException("Weight path '" + path + "' in " + modelFile + " is not a plain name");
            }
            String shardFile = modelDir + "/" + path + ".min.js";
            JsonNode base64 = BrowserifyBundle.moduleExports(
                    new String(pkg.read(shardFile), StandardCharsets.UTF_8), shardFile);
            if (!base64.isTextual()) {
                throw new ModelFormatException(shardFile + " does not export a base64 string");
            }
            sources.put(shardFile, pkg.sha256Of(shardFile));
            try {
                // Strict RFC 4648 decoding: node's Buffer.from would skip junk silently.
                return Base64.getDecoder().decode(base64.asText());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(shardFile + " is not valid base64: " + e.getMessage(), e);
            }
        };
        return fromArtifacts(modelJson, shards, sources);
    }

    /**
     * Reads a standard tfjs model: a {@code model.json} file and binary weight files next to it.
     *
     * @param modelJsonFile the {@code model.json}
     * @return the artifacts; {@link #sourceSha256()} lists the files used
     */
    public static TfjsArtifacts fromModelJson(Path modelJsonFile) {
        Map<String, String> sources = new LinkedHashMap<>();
        try {
            byte[] bytes = Files.readAllBytes(modelJsonFile);
            sources.put(modelJsonFile.getFileName().toString(), NpmPackage.sha256(bytes));
            JsonNode modelJson = JSON.readTree(bytes);
            Path dir = modelJsonFile.toAbsolutePath().getParent();
            return fromArtifacts(modelJson, path -> {
                Path file = dir.resolve(path).normalize();
                if (!file.startsWith(dir)) {
                    throw new ModelFormatException("Weight path '" + path + "' points outside " + dir);
                }
                try {
                    byte[] shard = Files.readAllBytes(file);
                    sources.put(path, NpmPackage.sha256(shard));
                    return shard;
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read weight file " + file, e);
                }
            }, sources);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + modelJsonFile, e);
        }
    }

    private static WeightSpec parseWeightSpec(JsonNode w) {
        String name = w.path("name").asText(null);
        if (name == null) {
            throw new ModelFormatException("A weightsManifest entry has no name: " + w);
        }
        w.fieldNames().forEachRemaining(key -> {
            if (!WEIGHT_SPEC_KEYS.contains(key)) {
                throw new ModelFormatException("Weight '" + name + "' has an unknown manifest field '" + key + "'");
            }
        });
        JsonNode shapeNode = w.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new ModelFormatException("Weight '" + name + "' has no shape");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).canConvertToExactIntegral() || shapeNode.get(i).asLong() < 0) {
                throw new ModelFormatException("Weight '" + name + "' has an invalid shape " + shapeNode);
            }
            shape[i] = shapeNode.get(i).asLong();
        }
        String dtype = w.path("dtype").asText("float32");
        if (!dtype.equals("float32")) {
            throw new ModelFormatException("Weight '" + name + "' has dtype '" + dtype + "'; only float32 is supported");
        }
        Quantization quantization = null;
        JsonNode q = w.get("quantization");
        if (q != null && !q.isNull()) {
            q.fieldNames().forEachRemaining(key -> {
                if (!QUANTIZATION_KEYS.contains(key)) {
                    throw new ModelFormatException("Weight '" + name + "' has an unknown quantization field '" + key + "'");
                }
            });
            String qType = q.path("dtype").asText("");
            if (!qType.equals("uint8") && !qType.equals("uint16")) {
                throw new ModelFormatException("Weight '" + name + "' uses quantization dtype '" + qType
                        + "'; only uint8 and uint16 (affine min/scale) are supported");
            }
            if (q.has("original_dtype") && !q.get("original_dtype").asText().equals("float32")) {
                throw new ModelFormatException("Weight '" + name + "' has original_dtype "
                        + q.get("original_dtype") + "; only float32 is supported");
            }
            JsonNode min = q.get("min");
            JsonNode scale = q.get("scale");
            if (min == null || !min.isNumber() || scale == null || !scale.isNumber()) {
                throw new ModelFormatException("Weight '" + name + "' is quantized without numeric min and scale");
            }
            quantization = new Quantization(qType, min.doubleValue(), scale.doubleValue());
        }
        return new WeightSpec(name, shape, dtype, quantization);
    }

    private static List<WeightTensor> decodeWeights(List<WeightSpec> specs, byte[] data) {
        List<WeightTensor> tensors = new ArrayList<>(specs.size());
        long offset = 0;
        for (WeightSpec spec : specs) {
            long length = spec.byteLength();
            if (offset + length > data.length) {
                throw new ModelFormatException("The weight data ends inside weight '" + spec.name() + "': needs bytes "
                        + offset + ".." + (offset + length) + " but there are only " + data.length);
            }
            tensors.add(WeightTensor.decode(spec, data, (int) offset));
            offset += length;
        }
        if (offset != data.length) {
            throw new ModelFormatException("The weights manifest describes " + offset + " bytes but the weight files hold "
                    + data.length);
        }
        return tensors;
    }

    /**
     * @return the model's {@code format}: {@link #GRAPH_MODEL} when it says so or when its topology is a GraphDef
     *     (has a {@code node} array), else {@link #LAYERS_MODEL}; tfjs's own loaders do not require the field
     */
    public String format() {
        String format = modelJson.path("format").asText("");
        if (!format.isEmpty()) {
            return format;
        }
        return modelJson.get("modelTopology").has("node") ? GRAPH_MODEL : LAYERS_MODEL;
    }

    /** Uncopied access for the model classes, which only read it. */
    JsonNode modelJsonView() {
        return modelJson;
    }

    /** @return the weights in manifest order */
    public List<WeightTensor> weights() {
        return weights;
    }

    /**
     * @param name a weight name
     * @return the weight, if present
     */
    public Optional<WeightTensor> weight(String name) {
        return Optional.ofNullable(weightsByName.get(name));
    }

    /**
     * @return the SHA-256 of every source file that was read, keyed by its path (relative to the npm package
     *     root, or to the model.json's directory), in reading order; empty for models built in memory
     */
    public Map<String, String> sourceSha256() {
        return sourceSha256;
    }
}
