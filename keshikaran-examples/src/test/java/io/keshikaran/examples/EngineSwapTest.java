package io.keshikaran.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.EngineUnavailableException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Runs the same {@link EngineSwap} code in whatever setup the surefire execution gives it: the
 * {@code keshikaran.examples.engines} property names the engines left on the test classpath
 * ({@code onnxruntime}, {@code pytorch} or {@code none}).
 */
class EngineSwapTest {
    private static final String SETUP = System.getProperty("keshikaran.examples.engines", "onnxruntime");

    @Test
    void theSameCodeRunsOnTheEngineTheClasspathProvides() throws Exception {
        Path dog = Fixtures.image("dog.jpg");
        if (SETUP.equals("none")) {
            assertThatThrownBy(() -> EngineSwap.run(dog))
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("onnxruntime: add ai.djl.onnxruntime:onnxruntime-engine:0.36.0 to the classpath")
                    .hasMessageContaining("pytorch: add ai.djl.pytorch:pytorch-engine:0.36.0, "
                            + "ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 and ai.djl.pytorch:pytorch-native-cpu:2.7.1:");
            return;
        }
        Classification c = EngineSwap.run(dog);
        assertThat(c.model().engine()).isEqualTo(SETUP);
        assertThat(c.model().name()).isEqualTo(Classifier.DEFAULT_MODEL);
        // Either engine gives nsfwjs's own answer for this photo (the model files hold the same weights).
        JsonNode expected = Fixtures.nsfwjs(Classifier.DEFAULT_MODEL, "dog.jpg");
        List<String> labels = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
        for (int i = 0; i < labels.size(); i++) {
            assertThat((double) c.probability(labels.get(i))).as(labels.get(i))
                    .isCloseTo(expected.get(i).asDouble(), within(1e-3));
        }
    }
}
