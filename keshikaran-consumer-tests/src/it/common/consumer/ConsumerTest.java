package consumer;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.EngineUnavailableException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user's first test does with the dependencies of the README: build the default classifier and
 * score the sample image; or, with no engine, get the documented error.
 */
class ConsumerTest {
    @Test
    void theReadmeSetupWorks() throws Exception {
        String expected = System.getProperty("expect.engine");
        Path dog = Path.of(System.getProperty("keshikaran.fixtures"), "images", "dog.jpg");
        if (expected.equals("none")) {
            EngineUnavailableException e = assertThrows(EngineUnavailableException.class, () -> Classifier.builder().build());
            assertTrue(e.getMessage().contains("ai.djl.onnxruntime:onnxruntime-engine"), e.getMessage());
            return;
        }
        try (Classifier classifier = Classifier.builder().build()) {
            assertEquals(expected, classifier.model().engine());
            Classification c = classifier.classify(dog);
            assertTrue(c.score() < 0.2, "dog.jpg scored " + c.score());
        }
    }
}
