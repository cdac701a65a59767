package io.keshikaran;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Classifier#modelFile}: the one rule that tells a model file from a bundled model's name. */
class ModelReferenceTest {

    @Test
    void bareNamesAreBundledModels() {
        assertThat(Classifier.modelFile("mobilenet_v2")).isEmpty();
        assertThat(Classifier.modelFile("inception_v3")).isEmpty();
    }

    @Test
    void separatorsAndModelExtensionsMakeAFile(@TempDir Path dir) throws Exception {
        assertThat(Classifier.modelFile("models/mine")).contains(Path.of("models/mine"));
        assertThat(Classifier.modelFile("mine.ONNX")).contains(Path.of("mine.ONNX"));
        assertThat(Classifier.modelFile("mine.pt")).contains(Path.of("mine.pt"));
        Path existing = Files.createFile(dir.resolve("no-extension"));
        assertThat(Classifier.modelFile(existing.toString())).contains(existing);
    }
}
