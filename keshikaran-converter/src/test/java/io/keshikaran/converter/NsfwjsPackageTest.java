package io.keshikaran.converter;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.keshikaran.converter.SyntheticModel.cfg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline on a small synthetic package laid out like nsfwjs 4.4.0: a tarball with browserify-wrapped
 * {@code model.min.js} and two weight shards, converted through {@link Main}.
 */
class NsfwjsPackageTest {

    @TempDir
    Path tmp;

    private float[] kernel;
    private float[] bias;
    private float[] denseKernel;
    private float[] denseBias;

    /** 8x8x3 -> Conv2D(4, 3x3, stride 2, same, relu) -> Flatten -> Dense(5, softmax). */
    private SyntheticModel tinyModel() {
        SyntheticModel m = new SyntheticModel(42).input("input_1", 8, 8, 3)
                .layer("Conv2D", "conv", cfg("filters", 4, "kernel_size", List.of(3, 3), "strides", List.of(2, 2),
                        "padding", "same", "use_bias", true, "activation", "relu"), "input_1")
                .layer("Flatten", "flatten_1", cfg("data_format", "channels_last"), "conv")
                .layer("Dense", "dense_3", cfg("units", 5, "activation", "softmax", "use_bias", true), "flatten_1");
        kernel = m.weight("conv/kernel", 3, 3, 3, 4);
        bias = m.weight("conv/bias", 4);
        denseKernel = m.weight("dense_3/kernel", 64, 5);
        denseBias = m.weight("dense_3/bias", 5);
        return m;
    }

    private float[] reference(float[] x) {
        Nhwc.T conv = Nhwc.map(Nhwc.conv(new Nhwc.T(1, 8, 8, 3, x), kernel, 3, 3, 4, 2, 2, "same", bias),
                v -> Math.max(v, 0));
        return Nhwc.softmax(Nhwc.dense(conv.v(), 1, 64, denseKernel, 5, denseBias), 5);
    }

    /** Writes JSON as a minified JavaScript literal: unquoted identifier keys, !0 / !1. */
    private static String jsLiteral(JsonNode json) {
        return json.toString()
                .replaceAll("\"([A-Za-z_$][A-Za-z0-9_$]*)\":", "$1:")
                .replace(":true", ":!0").replace(":false", ":!1");
    }

    private Path tarball(SyntheticModel m) throws IOException {
        ObjectNode modelJson = m.modelJson("dense_3", "group1-shard1of2");
        ((com.fasterxml.jackson.databind.node.ArrayNode) modelJson.at("/weightsManifest/0/paths")).add("group1-shard2of2");
        byte[] data = m.weightData();
        int split = 50; // inside conv/kernel (108 bytes): tensors may straddle shard boundaries
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package/package.json",
                "{\"name\":\"nsfwjs\",\"version\":\"9.9.9\",\"license\":\"MIT\"}".getBytes(StandardCharsets.UTF_8));
        files.put("package/LICENSE", "MIT License\n".getBytes(StandardCharsets.UTF_8));
        String dir = "package/dist/models/mobilenet_v2/";
        files.put(dir + "model.min.js", BrowserifyBundleTest.bundle(jsLiteral(modelJson), "e", "a", "n")
                .getBytes(StandardCharsets.UTF_8));
        files.put(dir + "group1-shard1of2.min.js", BrowserifyBundleTest.bundle(
                "\"" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(data, 0, split)) + "\"", "e", "h", "n")
                .getBytes(StandardCharsets.UTF_8));
        files.put(dir + "group1-shard2of2.min.js", BrowserifyBundleTest.bundle(
                "\"" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(data, split, data.length)) + "\"", "V",
                "W", "n").getBytes(StandardCharsets.UTF_8));
        return writeTarball(files, "nsfwjs-9.9.9.tgz");
    }

    private static int main(String... args) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
        return Main.run(args, ps, ps);
    }

    @Test
    void convertsATarballThroughTheCommandLine() throws IOException, OrtException {
        SyntheticModel m = tinyModel();
        Path tgz = tarball(m);
        Path out = tmp.resolve("out");
        assertThat(main("convert", "--tarball", tgz.toString(), "--out", out.toString(), "--models", "mobilenet_v2"))
                .isZero();

        Path onnx = out.resolve("mobilenet_v2/model.onnx");
        byte[] onnxBytes = Files.readAllBytes(onnx);
        float[] x = m.randomInput(1, 8, 8, 3);
        LayerConversionTest.assertClose(Onnx.run(onnxBytes, true, x, 1, 8, 8, 3).values(), reference(x));

        JsonNode d = SyntheticModel.JSON.readTree(out.resolve("mobilenet_v2/keshikaran-model.json").toFile());
        assertThat(d.get("name").asText()).isEqualTo("mobilenet_v2");
        assertThat(d.get("version").asText()).isEqualTo("nsfwjs-9.9.9");
        assertThat(d.get("source").asText()).isEqualTo("npm nsfwjs@9.9.9, dist/models/mobilenet_v2 (GantMan/nsfw_model)");
        assertThat(d.get("license").asText()).isEqualTo("MIT");
        assertThat(d.get("files").toString()).isEqualTo("{\"onnx\":\"model.onnx\"}");
        assertThat(d.get("input").toString()).isEqualTo("{\"name\":\"input\",\"height\":8,\"width\":8,"
                + "\"layout\":\"NHWC\",\"channelOrder\":\"RGB\",\"pixelDivisor\":255.0,\"mean\":[0.0,0.0,0.0],"
                + "\"std\":[1.0,1.0,1.0],\"resize\":\"BILINEAR_ALIGN_CORNERS\",\"resizeHeight\":8,\"resizeWidth\":8,"
                + "\"crop\":\"NONE\"}");
        assertThat(d.get("output").toString()).isEqualTo("{\"name\":\"probabilities\",\"activation\":\"NONE\","
                + "\"labels\":[\"Drawing\",\"Hentai\",\"Neutral\",\"Porn\",\"Sexy\"]}");
        assertThat(d.get("score").toString()).isEqualTo("{\"labels\":[\"Hentai\",\"Porn\",\"Sexy\"]}");
        JsonNode provenance = d.get("provenance");
        assertThat(provenance.at("/inputs/nsfwjs-9.9.9.tgz").asText()).isEqualTo(NpmPackage.sha256(Files.readAllBytes(tgz)));
        NpmPackage pkg = NpmPackage.fromTarball(tgz);
        for (String f : List.of("model.min.js", "group1-shard1of2.min.js", "group1-shard2of2.min.js")) {
            assertThat(provenance.get("inputs").get("package/dist/models/mobilenet_v2/" + f).asText())
                    .isEqualTo(pkg.sha256Of("dist/models/mobilenet_v2/" + f));
        }
        assertThat(provenance.at("/outputs/model.onnx").asText()).isEqualTo(NpmPackage.sha256(onnxBytes));
        assertThat(provenance.get("generatedBy").asText()).startsWith("keshikaran-converter ");

        // Same input, same bytes.
        Path again = tmp.resolve("again");
        assertThat(main("convert", "--tarball", tgz.toString(), "--out", again.toString(), "--models", "mobilenet_v2"))
                .isZero();
        assertThat(Files.readAllBytes(again.resolve("mobilenet_v2/model.onnx"))).isEqualTo(onnxBytes);
        assertThat(Files.readAllBytes(again.resolve("mobilenet_v2/keshikaran-model.json")))
                .isEqualTo(Files.readAllBytes(out.resolve("mobilenet_v2/keshikaran-model.json")));
    }

    @Test
    void readsAnExtractedPackageDirectoryToo() throws IOException, OrtException {
        SyntheticModel m = tinyModel();
        NpmPackage fromTar = NpmPackage.fromTarball(tarball(m));
        Path root = tmp.resolve("extracted");
        for (String path : List.of("package.json", "dist/models/mobilenet_v2/model.min.js",
                "dist/models/mobilenet_v2/group1-shard1of2.min.js", "dist/models/mobilenet_v2/group1-shard2of2.min.js")) {
            Files.createDirectories(root.resolve(path).getParent());
            Files.write(root.resolve(path), fromTar.read(path));
        }
        TfjsLayersModel model = TfjsLayersModel.fromNpmBundle(NpmPackage.fromDirectory(root), "dist/models/mobilenet_v2");
        assertThat(model.sourceSha256()).containsOnlyKeys("dist/models/mobilenet_v2/model.min.js",
                "dist/models/mobilenet_v2/group1-shard1of2.min.js", "dist/models/mobilenet_v2/group1-shard2of2.min.js");
        float[] x = m.randomInput(1, 8, 8, 3);
        byte[] onnx = TfjsToOnnxConverter.convert(model, ConversionOptions.defaults()).toByteArray();
        LayerConversionTest.assertClose(Onnx.run(onnx, true, x, 1, 8, 8, 3).values(), reference(x));
    }

    @Test
    void convertsAStandardModelJsonWithBinaryShards() throws IOException, OrtException {
        SyntheticModel m = tinyModel();
        Path dir = tmp.resolve("layers-model");
        Files.createDirectories(dir);
        ObjectNode json = m.modelJson("dense_3", "group1-shard1of1.bin");
        json.put("format", "layers-model");
        Files.writeString(dir.resolve("model.json"), json.toString());
        Files.write(dir.resolve("group1-shard1of1.bin"), m.weightData());
        Path onnx = tmp.resolve("o/model.onnx");
        assertThat(main("convert-model", "--model-json", dir.resolve("model.json").toString(), "--output",
                onnx.toString(), "--weights", "float32")).isZero();
        float[] x = m.randomInput(1, 8, 8, 3);
        LayerConversionTest.assertClose(Onnx.run(Files.readAllBytes(onnx), true, x, 1, 8, 8, 3).values(), reference(x));
    }

    /** input 6x6x3 -> x * 2 - 1 -> _FusedConv2D(5, 3x3, stride 2, SAME, Relu6) -> AvgPool 3x3 -> Squeeze -> Softmax. */
    private SyntheticGraph tinyGraph() {
        SyntheticGraph g = new SyntheticGraph(43).placeholder("input", 6, 6, 3);
        g.constant("mul/y", new long[0], 2.0, 0.0);
        g.constant("sub/y", new long[0], 1.0, 0.0);
        g.op("Mul", "mul", "mul/y", "input");
        g.op("Sub", "sub", "mul", "sub/y");
        kernel = g.constant("w", 3, 3, 3, 5);
        bias = g.constant("b", 5);
        g.fusedConv(false, "conv", "sub", "w", "b", 2, "SAME", "BiasAdd", "Relu6");
        g.globalAvgPool("squeeze", "conv", 3);
        g.op("Softmax", "softmax", "squeeze");
        g.op("Identity", "Identity", "softmax");
        return g.signature("input:0", "Identity:0");
    }

    private float[] graphReference(float[] x) {
        Nhwc.T in = Nhwc.map(new Nhwc.T(1, 6, 6, 3, x), v -> (float) ((float) (v * 2) - 1));
        Nhwc.T conv = Nhwc.map(Nhwc.conv(in, kernel, 3, 3, 5, 2, 2, "same", bias), v -> Math.min(Math.max(v, 0), 6));
        return Nhwc.softmax(Nhwc.pool(conv, false, 3, 3, 1, 1, "valid").v(), 5);
    }

    @Test
    void convertsAGraphModelInTheMidModelsPlaceThroughTheCommandLine() throws IOException, OrtException {
        SyntheticGraph g = tinyGraph();
        ObjectNode modelJson = g.modelJson("group1-shard1of1");
        String dir = "package/dist/models/mobilenet_v2_mid/";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package/package.json",
                "{\"name\":\"nsfwjs\",\"version\":\"9.9.9\",\"license\":\"MIT\"}".getBytes(StandardCharsets.UTF_8));
        files.put(dir + "model.min.js", BrowserifyBundleTest.bundle(jsLiteral(modelJson), "t", "e", "a")
                .getBytes(StandardCharsets.UTF_8));
        files.put(dir + "group1-shard1of1.min.js", BrowserifyBundleTest.bundle(
                "\"" + Base64.getEncoder().encodeToString(g.weightData()) + "\"", "e", "a", "n")
                .getBytes(StandardCharsets.UTF_8));
        Path tgz = writeTarball(files, "nsfwjs-graph.tgz");
        Path out = tmp.resolve("out");
        assertThat(main("convert", "--tarball", tgz.toString(), "--out", out.toString(), "--models",
                "mobilenet_v2_mid")).isZero();
        byte[] onnx = Files.readAllBytes(out.resolve("mobilenet_v2_mid/model.onnx"));
        float[] x = g.randomInput(1, 6, 6, 3);
        LayerConversionTest.assertClose(Onnx.run(onnx, true, x, 1, 6, 6, 3).values(), graphReference(x));
        JsonNode d = SyntheticModel.JSON.readTree(out.resolve("mobilenet_v2_mid/keshikaran-model.json").toFile());
        assertThat(d.get("name").asText()).isEqualTo("mobilenet_v2_mid");
        assertThat(d.get("source").asText()).isEqualTo("npm nsfwjs@9.9.9, dist/models/mobilenet_v2_mid (GantMan/nsfw_model)");
        assertThat(d.at("/input/height").asInt()).isEqualTo(6);
        assertThat(d.at("/provenance/outputs/model.onnx").asText()).isEqualTo(NpmPackage.sha256(onnx));
        assertThat(d.at("/provenance/inputs").fieldNames()).toIterable().contains(
                "package/dist/models/mobilenet_v2_mid/model.min.js",
                "package/dist/models/mobilenet_v2_mid/group1-shard1of1.min.js");
    }

    @Test
    void convertsAStandardGraphModelJsonWithBinaryShards() throws IOException, OrtException {
        SyntheticGraph g = tinyGraph();
        Path dir = tmp.resolve("graph-model");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model.json"), g.modelJson("group1-shard1of1.bin").toString());
        Files.write(dir.resolve("group1-shard1of1.bin"), g.weightData());
        Path onnx = tmp.resolve("g/model.onnx");
        assertThat(main("convert-model", "--model-json", dir.resolve("model.json").toString(), "--output",
                onnx.toString())).isZero();
        float[] x = g.randomInput(2, 6, 6, 3);
        float[] expected = new float[10];
        System.arraycopy(graphReference(Arrays.copyOfRange(x, 0, 108)), 0, expected, 0, 5);
        System.arraycopy(graphReference(Arrays.copyOfRange(x, 108, 216)), 0, expected, 5, 5);
        LayerConversionTest.assertClose(Onnx.run(Files.readAllBytes(onnx), true, x, 2, 6, 6, 3).values(), expected);
    }

    private Path writeTarball(Map<String, byte[]> files, String name) throws IOException {
        Path tgz = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(tgz);
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            for (var e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return tgz;
    }

    @Test
    void commandLineErrors() throws IOException {
        assertThat(main()).isEqualTo(2);
        assertThat(main("frobnicate")).isEqualTo(2);
        assertThat(main("convert", "--out", "x")).isEqualTo(2);
        assertThat(main("convert", "--tarball", "a.tgz", "--out", "x", "--colour", "red")).isEqualTo(2);
        assertThat(main("convert", "--tarball", "a.tgz", "--out", "x", "--weights", "int4")).isEqualTo(2);
        assertThat(main("convert", "--tarball", "a.tgz", "--out", "x", "--models", "resnet")).isEqualTo(2);
        Path notGzip = tmp.resolve("bad.tgz");
        Files.writeString(notGzip, "not a tarball");
        assertThat(main("convert", "--tarball", notGzip.toString(), "--out", tmp.resolve("o").toString())).isEqualTo(1);
    }
}
