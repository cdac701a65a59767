package io.keshikaran.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thresholds file written and read back, in both formats, and the files it refuses. */
class ThresholdsFileTest {
    private static final ThresholdsFile FULL = ThresholdsFile.builder()
            .setModel("C:\\models\\my model=v2:final.onnx").optScoreLabels(List.of("Porn", "Hentai"))
            .setReviewThreshold(0.123456789012345).optRejectThreshold(0.875).build();
    private static final ThresholdsFile NO_REJECT = ThresholdsFile.builder()
            .setModel("mobilenet_v2").setReviewThreshold(1.0E-4).build();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"t.properties", "t.json", "T.JSON"})
    void writtenFilesReadBackEqual(String name) throws IOException {
        Path file = dir.resolve(name);
        FULL.write(file, List.of("calibrated on 21 images", "second line\nthird line"));
        assertEquals(FULL, ThresholdsFile.read(file));
        NO_REJECT.write(file, List.of());
        ThresholdsFile back = ThresholdsFile.read(file);
        assertEquals(NO_REJECT, back);
        assertTrue(back.rejectThreshold().isEmpty());
        assertTrue(back.scoreLabels().isEmpty());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "the temporary file is gone and the file replaced");
        }
    }

    @Test
    void propertiesAreJavaPropertiesWithTheCommentsFirst() throws IOException {
        Path file = dir.resolve("t.properties");
        FULL.write(file, List.of("calibrated", "two\nlines"));
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("# calibrated", "# two", "# lines"), lines.subList(0, 3));
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        assertEquals(4, p.size());
        assertEquals(FULL.model(), p.getProperty(ThresholdsFile.MODEL_KEY));
        assertEquals("Porn,Hentai", p.getProperty(ThresholdsFile.SCORE_LABELS_KEY));
        assertEquals("0.123456789012345", p.getProperty(ThresholdsFile.REVIEW_THRESHOLD_KEY));
        assertEquals("0.875", p.getProperty(ThresholdsFile.REJECT_THRESHOLD_KEY));

        NO_REJECT.write(file, List.of());
        assertEquals("keshikaran.model=mobilenet_v2\nkeshikaran.review-threshold=1.0E-4\n", Files.readString(file));
    }

    @Test
    void jsonIsLaidOutAsJacksonPrettyPrintsIt() throws IOException {
        Path file = dir.resolve("t.json");
        ThresholdsFile odd = ThresholdsFile.builder().setModel("a \"quoted\"\\ name\twith\u0001controls/é")
                .setReviewThreshold(0.5).build();
        for (ThresholdsFile t : List.of(FULL, NO_REJECT, odd)) {
            t.write(file, List.of("JSON has no comments"));
            String text = Files.readString(file);
            assertEquals(new ObjectMapper().readTree(text).toPrettyString() + "\n", text);
            assertEquals(t, ThresholdsFile.read(file));
        }
        assertTrue(Files.readString(file).contains("\"keshikaran.reject-threshold\" : null"));
    }

    @Test
    void otherKeysAreIgnoredAndJsonThresholdsMayBeText() throws IOException {
        Path props = Files.writeString(dir.resolve("application.properties"), "server.port=8080\n"
                + "keshikaran.model = mobilenet_v2\nkeshikaran.score-labels=Porn, Hentai\nkeshikaran.review-threshold=0.4\n");
        assertEquals(ThresholdsFile.builder().setModel("mobilenet_v2").optScoreLabels(List.of("Porn", "Hentai"))
                .setReviewThreshold(0.4).build(), ThresholdsFile.read(props));
        Path json = Files.writeString(dir.resolve("t.json"), "\uFEFF{\"keshikaran.model\": \"mobilenet_v2\", "
                + "\"keshikaran.review-threshold\": \" 0.25 \", \"keshikaran.reject-threshold\": 1, \"other\": [1, 2]}");
        ThresholdsFile t = ThresholdsFile.read(json);
        assertEquals(0.25, t.reviewThreshold());
        assertEquals(1.0, t.rejectThreshold().getAsDouble());
    }

    @Test
    void keysTheFileLacksKeepTheDefaults() throws IOException {
        ThresholdsFile defaults = ThresholdsFile.builder().setModel("mobilenet_v2_mid").setReviewThreshold(0.4)
                .optRejectThreshold(0.8).build();
        Path partial = Files.writeString(dir.resolve("t.properties"), "keshikaran.review-threshold=0.3\n");
        assertEquals(ThresholdsFile.builder().setModel("mobilenet_v2_mid").setReviewThreshold(0.3)
                .optRejectThreshold(0.8).build(), ThresholdsFile.read(partial, defaults));
        Path nullReject = Files.writeString(dir.resolve("t.json"),
                "{\"keshikaran.model\": \"mobilenet_v2\", \"keshikaran.reject-threshold\": null}");
        ThresholdsFile t = ThresholdsFile.read(nullReject, defaults);
        assertEquals("mobilenet_v2", t.model());
        assertEquals(0.4, t.reviewThreshold());
        assertEquals(0.8, t.rejectThreshold().getAsDouble());
    }

    @Test
    void aMissingKeyIsNamed() throws IOException {
        Path noModel = Files.writeString(dir.resolve("a.properties"), "keshikaran.review-threshold=0.3\n");
        assertMessage(noModel, "keshikaran.model is missing");
        Path blankModel = Files.writeString(dir.resolve("b.properties"), "keshikaran.model=\nkeshikaran.review-threshold=0.3\n");
        assertMessage(blankModel, "keshikaran.model is missing");
        Path noReview = Files.writeString(dir.resolve("c.json"), "{\"keshikaran.model\": \"mobilenet_v2\"}");
        assertMessage(noReview, "keshikaran.review-threshold is missing");
        Path nullReview = Files.writeString(dir.resolve("d.json"),
                "{\"keshikaran.model\": \"mobilenet_v2\", \"keshikaran.review-threshold\": null}");
        assertMessage(nullReview, "keshikaran.review-threshold is missing");
    }

    @Test
    void aValueThatIsNotANumberIsNamed() throws IOException {
        Path props = Files.writeString(dir.resolve("a.properties"),
                "keshikaran.model=mobilenet_v2\nkeshikaran.review-threshold=0.3\nkeshikaran.reject-threshold=high\n");
        assertMessage(props, "keshikaran.reject-threshold is not a number: high");
        Path json = Files.writeString(dir.resolve("b.json"),
                "{\"keshikaran.model\": \"mobilenet_v2\", \"keshikaran.review-threshold\": true}");
        assertMessage(json, "keshikaran.review-threshold is not a number: true");
        Path model = Files.writeString(dir.resolve("c.json"),
                "{\"keshikaran.model\": 7, \"keshikaran.review-threshold\": 0.3}");
        assertMessage(model, "keshikaran.model must be text, got 7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "-0.1", "NaN", "Infinity", "1e3"})
    void aThresholdOutsideZeroToOneIsNamed(String value) throws IOException {
        Path props = Files.writeString(dir.resolve("a.properties"),
                "keshikaran.model=mobilenet_v2\nkeshikaran.review-threshold=" + value + "\n");
        assertMessage(props, "keshikaran.review-threshold must be within 0..1, got " + value);
        if (!value.equals("NaN") && !value.equals("Infinity")) {
            Path json = Files.writeString(dir.resolve("b.json"),
                    "{\"keshikaran.model\": \"mobilenet_v2\", \"keshikaran.review-threshold\": 0.1, "
                            + "\"keshikaran.reject-threshold\": " + value + "}");
            assertMessage(json, "keshikaran.reject-threshold must be within 0..1, got ");
        }
    }

    @Test
    void filesThatAreNotPropertiesOrJsonAreNamed() throws IOException {
        assertMessage(Files.writeString(dir.resolve("a.json"), "{\"keshikaran.model\": \"m\",}"), "not valid JSON");
        assertMessage(Files.writeString(dir.resolve("b.json"), "[0.3]"), "must be one JSON object");
        assertMessage(Files.writeString(dir.resolve("c.properties"), "keshikaran.model=\\u00zz\n"), "not a valid properties file");
        assertMessage(Files.write(dir.resolve("d.properties"), new byte[] {'k', '=', (byte) 0xC3, '(' }), "not UTF-8 text");
        Path huge = dir.resolve("e.properties");
        Files.writeString(huge, "#".repeat((int) ThresholdsFile.MAX_FILE_BYTES) + "\n");
        assertMessage(huge, "more than a thresholds file may have");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ThresholdsFile.read(dir.resolve("missing.properties")));
    }

    @Test
    void theBuilderRefusesWhatTheFileCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> ThresholdsFile.builder().setReviewThreshold(0.3).build());
        assertThrows(IllegalArgumentException.class, () -> ThresholdsFile.builder().setModel("m").build());
        assertThrows(IllegalArgumentException.class,
                () -> ThresholdsFile.builder().setModel("m").setReviewThreshold(Double.NaN).build());
        assertThrows(IllegalArgumentException.class,
                () -> ThresholdsFile.builder().setModel("m").setReviewThreshold(0.3).optRejectThreshold(1.01).build());
        IllegalArgumentException comma = assertThrows(IllegalArgumentException.class, () -> ThresholdsFile.builder()
                .setModel("m").optScoreLabels(List.of("Porn,Hentai")).setReviewThreshold(0.3).build());
        assertTrue(comma.getMessage().contains("Porn,Hentai"), comma.getMessage());
        assertFalse(NO_REJECT.equals(FULL));
        assertEquals(FULL.hashCode(), ThresholdsFile.builder().setModel(FULL.model()).optScoreLabels(FULL.scoreLabels())
                .setReviewThreshold(FULL.reviewThreshold()).optRejectThreshold(0.875).build().hashCode());
    }

    private static void assertMessage(Path file, String expected) {
        IOException e = assertThrows(IOException.class, () -> ThresholdsFile.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
