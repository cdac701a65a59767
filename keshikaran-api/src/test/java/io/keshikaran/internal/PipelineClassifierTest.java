package io.keshikaran.internal;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.ClassificationResult;
import io.keshikaran.InferenceException;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelDescription;
import io.keshikaran.ModelPreset;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageInput;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.preprocess.FloatTensor;
import io.keshikaran.spi.ClassifierOptions;
import io.keshikaran.spi.InferenceSession;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The shared pipeline against a fake engine: ordering, failures, close and back-pressure, without
 * loading a model. The fake's score is the mean of the input tensor, so every image has a known,
 * distinct score. The timeouts only turn a deadlock into a failure; nothing here is timed.
 */
class PipelineClassifierTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    /**
     * A thread-safe fake engine: outputs Drawing, Hentai, Neutral, Porn, Sexy so that the nsfwjs
     * score (Hentai + Porn + Sexy) equals the mean of each batch item's tensor.
     */
    static final class FakeSession implements InferenceSession {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger failOnCall = new AtomicInteger(-1);
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        volatile CountDownLatch entered = new CountDownLatch(0);
        volatile CountDownLatch release = new CountDownLatch(0);
        final AtomicInteger running = new AtomicInteger();
        volatile boolean closedWhileRunning;
        volatile boolean closed;

        @Override
        public float[][] run(FloatTensor batch) {
            if (closed) {
                throw new IllegalStateException("fake session is closed");
            }
            running.incrementAndGet();
            try {
                threads.add(Thread.currentThread().getName());
                int call = calls.incrementAndGet();
                entered.countDown();
                release.await();
                if (call == failOnCall.get()) {
                    throw new InferenceException("fake engine failure on call " + call, null);
                }
                int n = (int) batch.shape()[0];
                float[] data = batch.toArray();
                int per = data.length / n;
                float[][] out = new float[n][];
                for (int i = 0; i < n; i++) {
                    double sum = 0;
                    for (int j = 0; j < per; j++) {
                        sum += data[i * per + j];
                    }
                    float m = (float) (sum / per);
                    out[i] = new float[] {1 - m, 0.2f * m, 0, 0.5f * m, 0.3f * m};
                }
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InferenceException("interrupted", e);
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public ModelDescription description() {
            return ModelPreset.NSFWJS.description().toBuilder().setName("fake").build();
        }

        @Override
        public String engineName() {
            return "fake";
        }

        @Override
        public void close() {
            if (running.get() > 0) {
                closedWhileRunning = true;
            }
            closed = true;
        }
    }

    private static PipelineClassifier pipeline(FakeSession session) {
        ClassifierOptions options = new ClassifierOptions("fake", Optional.empty(), Optional.empty(), Optional.empty(),
                ImageLimits.defaults(), 0, 0, DecodeOptions.defaults());
        return new PipelineClassifier(options, session);
    }

    /** A small PNG of one gray level, so each input has its own score. */
    private static byte[] png(int gray) {
        BufferedImage image = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 24; x++) {
                image.setRGB(x, y, gray << 16 | gray << 8 | gray);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static List<ImageInput> inputs(int n) {
        return IntStream.range(0, n).mapToObj(i -> ImageInput.of(png(i * 5), "gray-" + i)).toList();
    }

    @Test
    void resultsArriveInInputOrderWithTheSameScoresAsSingleCalls() throws Exception {
        FakeSession session = new FakeSession();
        try (PipelineClassifier classifier = pipeline(session)) {
            List<ImageInput> inputs = new ArrayList<>(inputs(40));
            inputs.add(7, ImageInput.of("not an image".getBytes(), "text"));
            List<ClassificationResult> results = new ArrayList<>();
            classifier.classifyAll(inputs.stream(), BatchOptions.defaults().withBatchSize(4).withDecodeThreads(3),
                    results::add);

            assertThat(results).extracting(ClassificationResult::index)
                    .containsExactlyElementsOf(IntStream.range(0, 41).mapToObj(i -> (long) i).toList());
            assertThat(results.get(7).error().orElseThrow().kind()).isEqualTo(InvalidImageException.Kind.NOT_AN_IMAGE);
            for (int i = 0; i < 40; i++) {
                ClassificationResult r = results.get(i < 7 ? i : i + 1);
                Classification single = classifier.classify(png(i * 5), "gray-" + i);
                assertThat(r.classification().orElseThrow().score()).isEqualTo(single.score());
                assertThat(r.classification().orElseThrow().image().orElseThrow().format()).isEqualTo("PNG");
            }
            assertThat(results.get(40).classification().orElseThrow().score())
                    .isGreaterThan(results.get(0).classification().orElseThrow().score());
        }
    }

    @Test
    void completionOrderDeliversEveryInputExactlyOnce() {
        FakeSession session = new FakeSession();
        try (PipelineClassifier classifier = pipeline(session)) {
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            classifier.classifyAll(inputs(30).stream(), BatchOptions.defaults().withDecodeThreads(4)
                    .withOrder(BatchOptions.Order.COMPLETION), r -> seen.add(r.index()));
            assertThat(seen).containsExactlyInAnyOrderElementsOf(LongStreamRange.of(30));
        }
    }

    @Test
    void anEngineFailureMidBatchEndsTheRunAndKeepsWhatWasDelivered() {
        FakeSession session = new FakeSession();
        session.failOnCall.set(3);
        try (PipelineClassifier classifier = pipeline(session)) {
            List<ClassificationResult> delivered = new ArrayList<>();
            assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> classifier.classifyAll(inputs(40).stream(),
                    BatchOptions.defaults().withBatchSize(2).withDecodeThreads(1), delivered::add))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("call 3"));
            assertThat(delivered).isNotEmpty().hasSizeLessThan(40).allMatch(ClassificationResult::isSuccess);
            // The classifier stays usable: the failure was one engine call's.
            List<ClassificationResult> after = new ArrayList<>();
            classifier.classifyAll(inputs(3).stream(), BatchOptions.defaults(), after::add);
            assertThat(after).hasSize(3).allMatch(ClassificationResult::isSuccess);
        }
    }

    @Test
    void aConsumerThatThrowsEndsTheRunWithItsException() {
        FakeSession session = new FakeSession();
        try (PipelineClassifier classifier = pipeline(session)) {
            AtomicInteger accepted = new AtomicInteger();
            IllegalArgumentException boom = new IllegalArgumentException("consumer failed");
            assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> classifier.classifyAll(inputs(40).stream(),
                    BatchOptions.defaults().withBatchSize(2), r -> {
                        if (accepted.incrementAndGet() == 5) {
                            throw boom;
                        }
                    })).isSameAs(boom));
            assertThat(accepted.get()).isEqualTo(5);
        }
    }

    @Test
    void closeDuringClassifyAllEndsItWithIllegalStateAndWaitsForTheEngineCall() throws Exception {
        FakeSession session = new FakeSession();
        session.entered = new CountDownLatch(1);
        session.release = new CountDownLatch(1);
        PipelineClassifier classifier = pipeline(session);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // An endless lazy stream: only close() can end this run.
        Thread batch = new Thread(() -> {
            try {
                AtomicInteger n = new AtomicInteger();
                classifier.classifyAll(Stream.generate(() -> ImageInput.of(png(n.incrementAndGet() % 200), "x")),
                        BatchOptions.defaults(), r -> { });
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        batch.start();
        assertThat(session.entered.await(60, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(classifier::close);
        closer.start();
        // close() must wait for the engine call in progress, not free the session under it.
        closer.join(300);
        assertThat(closer.isAlive()).isTrue();
        session.release.countDown();
        closer.join(HANG.toMillis());
        batch.join(HANG.toMillis());
        assertThat(closer.isAlive()).isFalse();
        assertThat(batch.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(session.closed).isTrue();
        assertThat(session.closedWhileRunning).isFalse();
    }

    @Test
    void aCallRacingCloseFailsFastInsteadOfWaiting() throws Exception {
        FakeSession session = new FakeSession();
        session.entered = new CountDownLatch(1);
        session.release = new CountDownLatch(1);
        PipelineClassifier classifier = pipeline(session);
        AtomicReference<Classification> inFlight = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                inFlight.set(classifier.classify(png(100), "first"));
            } catch (InvalidImageException e) {
                throw new AssertionError(e);
            }
        });
        first.start();
        assertThat(session.entered.await(60, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(classifier::close);
        closer.start();
        while (!classifier.isClosed()) {
            Thread.onSpinWait();
        }
        // The engine is busy and close() is waiting for it: a new call must not queue behind them.
        assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> classifier.classify(png(10), "late"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed"));
        assertThatThrownBy(() -> classifier.classifyAll(inputs(2).stream(), BatchOptions.defaults(), r -> { }))
                .isInstanceOf(IllegalStateException.class);
        session.release.countDown();
        first.join(HANG.toMillis());
        closer.join(HANG.toMillis());
        assertThat(inFlight.get()).isNotNull();
        assertThat(session.closedWhileRunning).isFalse();
    }

    @Test
    void aSlowConsumerHoldsBackTheReader() {
        FakeSession session = new FakeSession();
        try (PipelineClassifier classifier = pipeline(session)) {
            AtomicLong read = new AtomicLong();
            AtomicLong maxAhead = new AtomicLong();
            AtomicLong delivered = new AtomicLong();
            int window = 4;
            Stream<ImageInput> lazy = inputs(40).stream().peek(i -> {
                long ahead = read.incrementAndGet() - delivered.get();
                maxAhead.accumulateAndGet(ahead, Math::max);
            });
            classifier.classifyAll(lazy, new BatchOptions(2, 2, window, BatchOptions.Order.INPUT), r -> {
                delivered.incrementAndGet();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(delivered.get()).isEqualTo(40);
            assertThat(maxAhead.get()).isLessThanOrEqualTo(window + 1);
        }
    }

    @Test
    void repeatedSmallBatchesReuseThreads() {
        FakeSession session = new FakeSession();
        try (PipelineClassifier classifier = pipeline(session)) {
            for (int call = 0; call < 25; call++) {
                classifier.classifyAll(inputs(3).stream(), BatchOptions.defaults(), r -> { });
            }
            // One inference worker per call, drawn from the classifier's pool: 25 calls in a row
            // must not have needed 25 threads.
            assertThat(session.threads).isNotEmpty().hasSizeLessThan(5);
        }
    }

    @Test
    void thumbnailsComeWithResultsWhenAsked() {
        FakeSession session = new FakeSession();
        try (PipelineClassifier classifier = pipeline(session)) {
            List<ClassificationResult> results = new ArrayList<>();
            classifier.classifyAll(inputs(2).stream(), BatchOptions.defaults().withThumbnailSize(8), results::add);
            assertThat(results).allSatisfy(r -> {
                assertThat(r.thumbnail().orElseThrow().width()).isEqualTo(8);
                assertThat(r.thumbnail().orElseThrow().height()).isEqualTo(5);
            });
            List<ClassificationResult> plain = new ArrayList<>();
            classifier.classifyAll(inputs(2).stream(), BatchOptions.defaults(), plain::add);
            assertThat(plain).allMatch(r -> r.thumbnail().isEmpty());
        }
    }

    /** 0..n-1 as longs. */
    private static final class LongStreamRange {
        static List<Long> of(int n) {
            return IntStream.range(0, n).mapToObj(i -> (long) i).toList();
        }
    }
}
