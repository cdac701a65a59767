package io.keshikaran.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelPreset;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.eval.ThresholdsFile;
import io.keshikaran.spring.internal.ObservedClassifier;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Real contexts, real models, real images: each keshikaran.* property and its failures. */
class KeshikaranAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KeshikaranAutoConfiguration.class));

    @Test
    void defaultsLoadTheDefaultModelOnOnnxRuntimeAndCloseItWithTheContext() {
        AtomicReference<ObservedClassifier> bean = new AtomicReference<>();
        runner.run(ctx -> {
            Classifier classifier = ctx.getBean(Classifier.class);
            assertThat(classifier.model().name()).isEqualTo(Classifier.DEFAULT_MODEL);
            assertThat(classifier.model().engine()).isEqualTo("onnxruntime");
            assertThat(classifier.classify(Fixtures.image("dog.jpg")).score()).isLessThan(0.2);
            assertThat(ctx.getBean(ModerationPolicy.class)).isEqualTo(new ModerationPolicy(0.4, 0.8));
            bean.set((ObservedClassifier) classifier);
            assertThat(bean.get().isClosed()).isFalse();
        });
        assertThat(bean.get().isClosed()).isTrue();
        assertThatThrownBy(() -> bean.get().classify(Fixtures.image("dog.jpg")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void modelEnginePoolSizeAndThreads() {
        runner.withPropertyValues("keshikaran.model=mobilenet_v2", "keshikaran.engine=ONNXRuntime",
                        "keshikaran.pool-size=2", "keshikaran.intra-op-threads=1",
                        "keshikaran.review-threshold=0.3", "keshikaran.reject-threshold=0.7")
                .run(ctx -> {
                    Classifier classifier = ctx.getBean(Classifier.class);
                    assertThat(classifier.model().name()).isEqualTo("mobilenet_v2");
                    assertThat(classifier.model().engine()).isEqualTo("onnxruntime");
                    // README: mobilenet_v2 gives the German shepherd 0.64, between these thresholds.
                    Classification c = classifier.classify(Fixtures.image("dog-german-shepherd.jpg"));
                    assertThat(ctx.getBean(ModerationPolicy.class).decide(c.score())).isEqualTo(Decision.REVIEW);
                });
    }

    @Test
    void modelPathWithPreset() {
        Path onnx = Path.of("..", "keshikaran-models", "src", "main", "resources", "io", "keshikaran", "models",
                "mobilenet_v2", "model.onnx").toAbsolutePath().normalize();
        runner.withPropertyValues("keshikaran.model-path=" + onnx, "keshikaran.preset=nsfwjs").run(ctx -> {
            Classifier fromFile = ctx.getBean(Classifier.class);
            assertThat(fromFile.model().name()).isEqualTo("model");
            assertThat(fromFile.model().version()).isEqualTo(ModelPreset.NSFWJS.id());
            try (Classifier bundled = Classifier.builder().optModel("mobilenet_v2").build()) {
                Path image = Fixtures.image("dog-german-shepherd.jpg");
                assertThat(fromFile.classify(image).probabilities())
                        .isEqualTo(bundled.classify(image).probabilities());
            }
        });
    }

    @Test
    void imageLimits() {
        runner.withPropertyValues("keshikaran.image.max-file-size=1KB").run(ctx ->
                assertThatThrownBy(() -> ctx.getBean(Classifier.class).classify(Fixtures.image("dog.jpg")))
                        .isInstanceOf(InvalidImageException.class)
                        .hasMessageContaining("over the limit of 1024 bytes"));
        runner.withPropertyValues("keshikaran.image.max-pixels=1000").run(ctx ->
                assertThatThrownBy(() -> ctx.getBean(Classifier.class).classify(Fixtures.image("dog.jpg")))
                        .isInstanceOf(InvalidImageException.class)
                        .hasMessageContaining("over the limit of 1000 pixels"));
    }

    @Test
    void decodeOptionsMatchTheCoreBuilder() throws Exception {
        DecodeOptions d = DecodeOptions.defaults();
        assertDecoding(d.toBuilder().optOrientation(DecodeOptions.Orientation.IGNORE).build(),
                Fixtures.format("jpeg-exif-orientation-6.jpg"), "keshikaran.decode.orientation=ignore");
        assertDecoding(d.toBuilder().optTransparency(DecodeOptions.Transparency.COMPOSITE).optBackground(0).build(),
                Fixtures.format("alpha/cat-chelsea-cutout.png"),
                "keshikaran.decode.transparency=composite", "keshikaran.decode.background=black");
        assertDecoding(d.toBuilder().optMaxFrames(1).build(), Fixtures.format("gif-animated.gif"),
                "keshikaran.decode.max-frames=1");
        assertDecoding(d.toBuilder().optFrameStep(2).optFrameAggregate(DecodeOptions.FrameAggregate.MEAN).build(),
                Fixtures.format("gif-animated.gif"),
                "keshikaran.decode.frame-step=2", "keshikaran.decode.frame-aggregate=mean");
        assertDecoding(d.toBuilder().optResolution(DecodeOptions.Resolution.FULL).build(),
                Fixtures.image("wallpaper-spacefun.jpg"), "keshikaran.decode.resolution=full");
        assertDecoding(DecodeOptions.nsfwjsCompatible(), Fixtures.format("gif-animated.gif"),
                "keshikaran.decode.nsfwjs-compatible=true");
    }

    /** The property gives what the equivalent builder option gives, and something other than the defaults. */
    private void assertDecoding(DecodeOptions expected, Path image, String... properties) throws Exception {
        try (Classifier core = Classifier.builder().optModel("mobilenet_v2").optDecodeOptions(expected).build();
             Classifier defaults = Classifier.builder().optModel("mobilenet_v2").build()) {
            Classification want = core.classify(image);
            Classification byDefault = defaults.classify(image);
            assertThat(want.probabilities().equals(byDefault.probabilities())
                    && want.frames().size() == byDefault.frames().size())
                    .as("%s changes nothing on %s", String.join(", ", properties), image).isFalse();
            runner.withPropertyValues("keshikaran.model=mobilenet_v2").withPropertyValues(properties).run(ctx -> {
                Classification got = ctx.getBean(Classifier.class).classify(image);
                assertThat(got.probabilities()).as(String.join(", ", properties)).isEqualTo(want.probabilities());
                assertThat(got.frames()).hasSameSizeAs(want.frames());
            });
        }
    }

    @Test
    void anApplicationsOwnClassifierWins() {
        runner.withUserConfiguration(OwnClassifier.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(Classifier.class);
            assertThat(ctx.getBean(Classifier.class)).isNotInstanceOf(ObservedClassifier.class);
            assertThat(ctx.getBean(Classifier.class).model().name()).isEqualTo("mobilenet_v2");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClassifier {
        @Bean
        Classifier myClassifier() throws Exception {
            return Classifier.builder().optModel("mobilenet_v2").build();
        }
    }

    @Test
    void disabled() {
        runner.withPropertyValues("keshikaran.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(Classifier.class));
    }

    @Test
    void badValuesFailStartUpNamingThePropertyAndTheAllowedValues() {
        assertRefused("keshikaran.model", "bundled models are", "keshikaran.model=mobilenet_v3");
        assertRefused("keshikaran.model-path", "no-such-model.onnx", "keshikaran.model-path=/no/such/dir/no-such-model.onnx");
        assertRefused("keshikaran.engine", "known engines: onnxruntime", "keshikaran.engine=tensorflow");
        assertRefused("keshikaran.pool-size", "at least 1", "keshikaran.pool-size=0");
        assertRefused("keshikaran.intra-op-threads", "at least 1", "keshikaran.intra-op-threads=-2");
        assertRefused("keshikaran.review-threshold", "not be above keshikaran.reject-threshold",
                "keshikaran.review-threshold=0.9", "keshikaran.reject-threshold=0.5");
        assertRefused("keshikaran.reject-threshold", "within 0..1", "keshikaran.reject-threshold=1.5");
        assertRefused("keshikaran.image.max-file-size", "at least 1 byte", "keshikaran.image.max-file-size=0B");
        assertRefused("keshikaran.image.max-pixels", "at least 1", "keshikaran.image.max-pixels=0");
        assertRefused("keshikaran.decode.background", "#RRGGBB", "keshikaran.decode.background=purple");
        assertRefused("keshikaran.decode.max-frames", "1..1000", "keshikaran.decode.max-frames=0");
        assertRefused("keshikaran.decode.frame-step", "1..1000", "keshikaran.decode.frame-step=5000");
        assertRefused("keshikaran.score-labels", "not a label of model", "keshikaran.score-labels=Porn,Nude");
    }

    @Test
    void scoreLabelsAsCalibrateWritesThem(@TempDir Path dir) throws Exception {
        // The file keshikaran calibrate --save-thresholds writes, bound as it is.
        Path file = dir.resolve("keshikaran.properties");
        ThresholdsFile.builder().setModel("mobilenet_v2").optScoreLabels(List.of("Porn", "Hentai"))
                .setReviewThreshold(0.3).optRejectThreshold(0.7).build().write(file, List.of("calibrated"));
        Properties written = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            written.load(in);
        }
        runner.withPropertyValues(written.stringPropertyNames().stream().map(k -> k + "=" + written.getProperty(k))
                .toArray(String[]::new)).run(ctx -> {
            Classifier classifier = ctx.getBean(Classifier.class);
            assertThat(classifier.model().name()).isEqualTo("mobilenet_v2");
            assertThat(ctx.getBean(ModerationPolicy.class)).isEqualTo(new ModerationPolicy(0.3, 0.7));
            io.keshikaran.Classification c = classifier.classify(Fixtures.image("dog.jpg"));
            assertThat(c.score()).isCloseTo(c.probability("Porn") + c.probability("Hentai"),
                    org.assertj.core.data.Offset.offset(1e-6));
        });
    }

    private void assertRefused(String property, String reason, String... values) {
        runner.withPropertyValues(values).run(ctx -> {
            assertThat(ctx).hasFailed();
            Throwable cause = ctx.getStartupFailure();
            while (cause != null && !(cause instanceof InvalidConfigurationPropertyValueException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("%s", ctx.getStartupFailure()).isNotNull();
            InvalidConfigurationPropertyValueException e = (InvalidConfigurationPropertyValueException) cause;
            assertThat(e.getName()).isEqualTo(property);
            assertThat(e.getReason()).contains(reason);
        });
    }
}
