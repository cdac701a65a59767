package io.keshikaran.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keshikaran.Classifier;
import io.keshikaran.ClassificationResult;
import io.keshikaran.InvalidImageException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Metrics and health of the auto-configured classifier, counted exactly on real classifications. */
class ObservabilityTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KeshikaranAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            // dog.jpg 0.06 -> accept; German shepherd 0.23 -> review (default model)
            .withPropertyValues("keshikaran.review-threshold=0.2", "keshikaran.reject-threshold=0.9");

    @Test
    void decisionsScoresLatencyAndErrorsByKind() {
        runner.run(ctx -> {
            Classifier classifier = ctx.getBean(Classifier.class);
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            String model = classifier.model().name();
            // Registered at start-up, before any image.
            assertThat(registry.get("keshikaran.decisions").tag("decision", "reject").counter().count()).isZero();

            classifier.classify(Fixtures.image("dog.jpg"));
            classifier.classify(Fixtures.image("dog.jpg"));
            classifier.classify(Fixtures.image("dog-german-shepherd.jpg"));
            assertThatThrownBy(() -> classifier.classify("plain text".getBytes(StandardCharsets.UTF_8), "a.txt"))
                    .isInstanceOf(InvalidImageException.class);
            assertThatThrownBy(() -> classifier.classify(Fixtures.format("empty.jpg")))
                    .isInstanceOf(InvalidImageException.class);
            List<ClassificationResult> batch = classifier.classifyAll(List.of(Fixtures.image("dog.jpg"),
                    Fixtures.format("png-claims-100000x100000.png")));
            assertThat(batch).extracting(ClassificationResult::isSuccess).containsExactly(true, false);

            assertThat(count(registry, "keshikaran.decisions", "decision", "accept")).isEqualTo(3);
            assertThat(count(registry, "keshikaran.decisions", "decision", "review")).isEqualTo(1);
            assertThat(count(registry, "keshikaran.decisions", "decision", "reject")).isZero();
            // Text and an empty file are both not images.
            assertThat(count(registry, "keshikaran.errors", "kind", "not_an_image")).isEqualTo(2);
            assertThat(count(registry, "keshikaran.errors", "kind", "too_large")).isEqualTo(1);
            // Batch items are counted and scored, but only single calls are timed.
            assertThat(registry.get("keshikaran.classification").tag("model", model).tag("outcome", "success")
                    .timer().count()).isEqualTo(3);
            assertThat(registry.get("keshikaran.classification").tag("outcome", "invalid_image").timer().count())
                    .isEqualTo(2);
            var scores = registry.get("keshikaran.score").tag("model", model).summary();
            assertThat(scores.count()).isEqualTo(4);
            assertThat(scores.max()).isBetween(0.2, 0.9);
        });
    }

    private static double count(MeterRegistry registry, String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }

    @Test
    void healthReportsTheModelAndGoesOutOfServiceWhenClosed() {
        runner.run(ctx -> {
            HealthIndicator indicator = ctx.getBean("keshikaranHealthIndicator", HealthIndicator.class);
            Classifier classifier = ctx.getBean(Classifier.class);
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("loaded", true)
                    .containsEntry("model", "mobilenet_v2_mid")
                    .containsEntry("version", classifier.model().version())
                    .containsEntry("engine", "onnxruntime")
                    .containsEntry("libraryVersion", System.getProperty("keshikaran.version"))
                    .containsEntry("inFlight", 0);
            assertThat(System.getProperty("keshikaran.version")).isNotBlank();
            classifier.close();
            assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(indicator.health().getDetails()).containsEntry("loaded", false);
        });
    }

    @Test
    void withoutActuatorAndMicrometer() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KeshikaranAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.actuate"))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().doesNotHaveBean("keshikaranHealthIndicator")
                            .doesNotHaveBean("keshikaranMicrometerObserver");
                    assertThat(ctx.getBean(Classifier.class).classify(Fixtures.image("dog.jpg")).score()).isLessThan(0.2);
                });
    }

    @Test
    void switchedOff() {
        runner.withPropertyValues("keshikaran.metrics.enabled=false", "management.health.keshikaran.enabled=false")
                .run(ctx -> {
                    ctx.getBean(Classifier.class).classify(Path.of(Fixtures.image("dog.jpg").toString()));
                    assertThat(ctx.getBean(MeterRegistry.class).find("keshikaran.decisions").meters()).isEmpty();
                    assertThat(ctx).doesNotHaveBean("keshikaranHealthIndicator");
                });
    }
}
