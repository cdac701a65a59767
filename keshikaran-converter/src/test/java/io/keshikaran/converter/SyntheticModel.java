package io.keshikaran.converter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Builds small TensorFlow.js layers models in memory: a Keras functional topology plus quantized weight bytes,
 * laid out exactly as tfjs's converter writes them.
 */
final class SyntheticModel {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Random random;
    private final ArrayNode layers = JSON.createArrayNode();
    private final ArrayNode weights = JSON.createArrayNode();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private String inputLayer;

    SyntheticModel(long seed) {
        this.random = new Random(seed);
    }

    /** Builds a config object from key/value pairs; values go through Jackson (lists, numbers, null...). */
    static ObjectNode cfg(Object... keyValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            node.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        }
        return node;
    }

    SyntheticModel input(String name, long... dims) {
        ArrayNode shape = JSON.createArrayNode().addNull();
        for (long d : dims) {
            shape.add(d);
        }
        ObjectNode layer = layers.addObject();
        layer.put("name", name).put("class_name", "InputLayer");
        layer.putObject("config").put("name", name).put("dtype", "float32").put("sparse", false)
                .set("batch_input_shape", shape);
        layer.putArray("inbound_nodes");
        inputLayer = name;
        return this;
    }

    /** Adds a layer fed by the named layers. */
    SyntheticModel layer(String className, String name, ObjectNode config, String... inputs) {
        ObjectNode layer = layers.addObject();
        layer.put("name", name).put("class_name", className);
        ObjectNode c = config.deepCopy();
        c.put("name", name).put("trainable", false);
        layer.set("config", c);
        ArrayNode node = layer.putArray("inbound_nodes").addArray();
        for (String in : inputs) {
            node.addArray().add(in).add(0).add(0).addObject();
        }
        return this;
    }

    /** Adds a uint8-quantized weight with random values; returns the float32 values tfjs would use. */
    float[] weight(String name, long[] shape, double min, double scale) {
        int n = count(shape);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            int q = random.nextInt(256);
            data.write(q);
            // tfjs: q * scale + min in doubles, stored to a Float32Array.
            values[i] = (float) (q * scale + min);
        }
        ObjectNode spec = spec(name, shape);
        spec.putObject("quantization").put("dtype", "uint8").put("min", min).put("scale", scale);
        return values;
    }

    /** A uint8 weight in about [-1, 1]. */
    float[] weight(String name, long... shape) {
        return weight(name, shape, -1.0 + random.nextDouble() * 0.2, (1.8 + random.nextDouble() * 0.4) / 255);
    }

    /** A uint8 weight in [lo, hi] (e.g. positive variances). */
    float[] positiveWeight(String name, long... shape) {
        return weight(name, shape, 0.5, 1.5 / 255);
    }

    /** A raw (unquantized) float32 weight. */
    float[] floatWeight(String name, long... shape) {
        int n = count(shape);
        float[] values = new float[n];
        ByteBuffer buf = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * 0.5);
            buf.putFloat(values[i]);
        }
        data.writeBytes(buf.array());
        spec(name, shape);
        return values;
    }

    /** A uint16-quantized weight. */
    float[] uint16Weight(String name, double min, double scale, long... shape) {
        int n = count(shape);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            int q = random.nextInt(65536);
            data.write(q & 0xFF);
            data.write(q >>> 8);
            values[i] = (float) (q * scale + min);
        }
        spec(name, shape).putObject("quantization").put("dtype", "uint16").put("min", min).put("scale", scale);
        return values;
    }

    private ObjectNode spec(String name, long[] shape) {
        ObjectNode spec = weights.addObject();
        spec.put("name", name);
        ArrayNode s = spec.putArray("shape");
        for (long d : shape) {
            s.add(d);
        }
        spec.put("dtype", "float32");
        return spec;
    }

    float[] randomInput(long... shape) {
        float[] x = new float[count(shape)];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat() * 2 - 1;
        }
        return x;
    }

    /** @return {@code {modelTopology, weightsManifest}} as a tfjs model.json would hold them */
    ObjectNode modelJson(String outputLayer, String weightPath) {
        ObjectNode json = JSON.createObjectNode();
        ObjectNode topology = json.putObject("modelTopology");
        topology.put("keras_version", "2.2.4").put("backend", "tensorflow");
        ObjectNode modelConfig = topology.putObject("model_config");
        modelConfig.put("class_name", "Model");
        ObjectNode config = modelConfig.putObject("config");
        config.put("name", "synthetic");
        config.set("layers", layers.deepCopy());
        config.putArray("input_layers").addArray().add(inputLayer).add(0).add(0);
        config.putArray("output_layers").addArray().add(outputLayer).add(0).add(0);
        ObjectNode group = json.putArray("weightsManifest").addObject();
        group.putArray("paths").add(weightPath);
        group.set("weights", weights.deepCopy());
        return json;
    }

    byte[] weightData() {
        return data.toByteArray();
    }

    /** @return the manifest entries of the weights added so far, in order */
    ArrayNode weightSpecs() {
        return weights.deepCopy();
    }

    TfjsLayersModel build(String outputLayer) {
        ObjectNode json = modelJson(outputLayer, "weights.bin");
        return TfjsLayersModel.of(json.get("modelTopology"), json.get("weightsManifest"), weightData());
    }

    static int count(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return (int) n;
    }
}
