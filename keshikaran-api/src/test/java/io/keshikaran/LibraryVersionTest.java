package io.keshikaran;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LibraryVersionTest {

    @Test
    void modelInfoAndClassifierReportThePomsVersion() {
        String pom = System.getProperty("keshikaran.version");
        assertThat(pom).as("surefire passes ${project.version}").isNotBlank();
        ModelInfo info = new ModelInfo("m", "1", "here", "MIT", "onnxruntime");
        assertThat(info.libraryVersion()).isEqualTo(pom).isEqualTo(Classifier.libraryVersion());
        // Filtered, not the raw placeholder.
        assertThat(Classifier.libraryVersion()).doesNotContain("${").matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
