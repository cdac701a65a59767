package io.keshikaran.djl;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelException;
import io.keshikaran.ScoreFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The default classifier on ONNX Runtime: results, errors, threads and model loading. */
class ClassifierTest {
    private static Classifier classifier;

    @BeforeAll
    static void load() throws Exception {
        classifier = Classifier.builder().build();
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    private static List<Path> fixtureImages() throws Exception {
        try (var files = Files.list(Fixtures.root().resolve("images"))) {
            return files.filter(p -> p.toString().matches(".*\\.(png|jpg)$")).sorted().toList();
        }
    }

    @Test
    void defaultsToMobileNetV2MidOnOnnxRuntime() {
        assertThat(classifier.model().name()).isEqualTo(Classifier.DEFAULT_MODEL).isEqualTo("mobilenet_v2_mid");
        assertThat(classifier.model().engine()).isEqualTo("onnxruntime");
        assertThat(classifier.model().license()).isEqualTo("MIT");
        assertThat(classifier.description().labels()).containsExactly("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
    }

    @Test
    void scoreIsTheSumOfHentaiPornAndSexy() throws Exception {
        Classification c = classifier.classify(Fixtures.image("dog.jpg"));
        double sum = c.probability("Hentai") + c.probability("Porn") + c.probability("Sexy");
        assertThat(c.score()).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(c.probabilities().values().stream().mapToDouble(Float::doubleValue).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(c.score()).isLessThan(0.2);
        assertThat(c.source()).endsWith("dog.jpg");
    }

    @Test
    void pathBytesStreamAndBufferedImageGiveTheSameResult() throws Exception {
        Path image = Fixtures.image("dog.jpg");
        Classification fromPath = classifier.classify(image);
        Classification fromBytes = classifier.classify(Files.readAllBytes(image), "dog");
        Classification fromStream;
        try (InputStream in = Files.newInputStream(image)) {
            fromStream = classifier.classify(in, "dog");
        }
        Classification fromImage = classifier.classify(javax.imageio.ImageIO.read(image.toFile()), "dog");
        assertThat(fromBytes.probabilities()).isEqualTo(fromPath.probabilities());
        assertThat(fromStream.probabilities()).isEqualTo(fromPath.probabilities());
        assertThat(fromImage.probabilities()).isEqualTo(fromPath.probabilities());
    }

    @Test
    void oneArgumentFormsNameTheirInputByKind() throws Exception {
        Path image = Fixtures.image("dog.jpg");
        Classification fromPath = classifier.classify(image);
        Classification fromStream;
        try (InputStream in = Files.newInputStream(image)) {
            fromStream = classifier.classify(in);
        }
        Classification fromImage = classifier.classify(javax.imageio.ImageIO.read(image.toFile()));
        assertThat(fromStream.source()).isEqualTo("<stream>");
        assertThat(fromImage.source()).isEqualTo("<image>");
        assertThat(fromStream.probabilities()).isEqualTo(fromPath.probabilities());
        assertThat(fromImage.probabilities()).isEqualTo(fromPath.probabilities());
        assertThatThrownBy(() -> classifier.classify(new java.io.ByteArrayInputStream("not an image".getBytes())))
                .isInstanceOf(io.keshikaran.InvalidImageException.class).hasMessageContaining("<stream>");
    }

    @Test
    void customScoreFunctionOverridesTheDefault() throws Exception {
        try (Classifier strict = Classifier.builder().optScoreFunction(ScoreFunction.sumOf("Porn")).build()) {
            Classification c = strict.classify(Fixtures.image("dog.jpg"));
            assertThat(c.score()).isEqualTo((double) c.probability("Porn"));
        }
        assertThatThrownBy(() -> Classifier.builder().optScoreFunction(ScoreFunction.sumOf("Nudity")).build())
                .hasMessageContaining("Nudity");
    }

    @Test
    void sharedAcrossThreadsGivesTheSameResultsAsOneThread() throws Exception {
        List<Path> images = fixtureImages();
        List<Classification> sequential = new ArrayList<>();
        for (Path p : images) {
            sequential.add(classifier.classify(p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Classification>> futures = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (Path p : images) {
                    futures.add(pool.submit(() -> classifier.classify(p)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get().probabilities())
                        .isEqualTo(sequential.get(i % images.size()).probabilities());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badImagesFailWithTheirNameAndTheClassifierKeepsWorking(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("readme.jpg"), "not an image");
        assertThatThrownBy(() -> classifier.classify(text))
                .isInstanceOf(InvalidImageException.class)
                .hasMessage(text + ": not an image (the content is text)");
        assertThat(classifier.classify(Fixtures.image("dog.jpg")).score()).isBetween(0.0, 1.0);
    }

    @Test
    void unknownBundledModelListsTheBundledOnes() {
        assertThatThrownBy(() -> Classifier.builder().optModel("resnet").build())
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("unknown model 'resnet'")
                .hasMessageContaining("mobilenet_v2, inception_v3");
    }

    @Test
    void missingModelFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.onnx");
        assertThatThrownBy(() -> Classifier.builder().optModelPath(missing).build())
                .isInstanceOf(ModelException.class)
                .hasMessage(missing + ": model file not found");
    }

    @Test
    void fileInTheWrongFormatIsNamed(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("model.onnx"), "this is not protobuf");
        ModelDescription description = classifier.description();
        assertThatThrownBy(() -> Classifier.builder().optModelPath(bogus).optModelDescription(description).build())
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith(bogus + ": not a valid onnx model");
    }

    @Test
    void inputShapeThatDoesNotMatchTheDescriptionIsNamed() {
        ModelDescription wrongSize = classifier.description().toBuilder()
                .setPreprocessing(io.keshikaran.preprocess.PreprocessingSpec.nsfwjs(100)).build();
        assertThatThrownBy(() -> Classifier.builder().optModelDescription(wrongSize).build())
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("bundled model '" + Classifier.DEFAULT_MODEL + "'")
                .hasMessageContaining("does not accept the described input [1, 100, 100, 3]");
    }

    @Test
    void outputWithTheWrongNumberOfLabelsIsNamed() {
        ModelDescription threeLabels = classifier.description().toBuilder()
                .setLabels(List.of("a", "b", "c")).setScoreLabels(List.of("c")).build();
        assertThatThrownBy(() -> Classifier.builder().optModelDescription(threeLabels).build())
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("outputs 5 values per image but the description has 3 labels");
    }

    @Test
    void closedClassifierRefusesWork() throws Exception {
        Classifier c = Classifier.builder().build();
        c.close();
        c.close();
        assertThatThrownBy(() -> c.classify(Fixtures.image("dog.jpg"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void djlStaysOffline() {
        assertThat(ai.djl.util.Utils.isOfflineMode()).isTrue();
        assertThat(Boolean.getBoolean("ai.djl.onnx.disable_alternative")).isTrue();
    }
}
