package io.keshikaran.examples.upload;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An upload service guarded by keshikaran: the starter supplies the shared {@code Classifier}, the
 * {@code @SafeImage} constraint, the {@code keshikaran} health indicator and the metrics.
 */
@SpringBootApplication
public class UploadApplication {

    public static void main(String[] args) {
        SpringApplication.run(UploadApplication.class, args);
    }
}
