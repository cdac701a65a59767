package io.keshikaran.djl;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.ClassificationResult;
import io.keshikaran.Classifier;
import io.keshikaran.image.ImageInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@link Classifier#classifyAll}: same results as one-by-one, bad inputs isolated, bounded memory. */
class BatchClassificationTest {
    private static Classifier classifier;
    private static List<Path> images;

    @BeforeAll
    static void load() throws Exception {
        classifier = Classifier.builder().build();
        try (Stream<Path> files = Files.list(Fixtures.root().resolve("images"))) {
            images = files.filter(p -> p.toString().matches(".*\\.(png|jpg)$")).sorted().toList();
        }
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void batchedResultsEqualOneByOneResults() throws Exception {
        List<ClassificationResult> results = classifier.classifyAll(images, BatchOptions.defaults().withBatchSize(5));
        assertThat(results).hasSameSizeAs(images);
        for (int i = 0; i < images.size(); i++) {
            Classification single = classifier.classify(images.get(i));
            ClassificationResult r = results.get(i);
            assertThat(r.index()).isEqualTo(i);
            assertThat(r.isSuccess()).isTrue();
            Classification batched = r.classification().orElseThrow();
            assertThat(batched.source()).isEqualTo(images.get(i).toString());
            for (String label : single.probabilities().keySet()) {
                // Batching changes the engine's kernel blocking, hence float rounding, not the result.
                assertThat((double) batched.probability(label)).isCloseTo(single.probability(label), within(1e-5));
            }
        }
    }

    @Test
    void badInputsFailAloneAndNothingIsLost(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("a.jpg"), "text");
        Path empty = Files.createFile(dir.resolve("b.png"));
        List<Path> mixed = new ArrayList<>();
        for (Path p : images) {
            mixed.add(p);
            mixed.add(text);
        }
        mixed.add(empty);
        mixed.add(dir.resolve("missing.png"));
        List<ClassificationResult> results = classifier.classifyAll(mixed, new BatchOptions(4, 2, 8, BatchOptions.Order.INPUT));
        assertThat(results).hasSameSizeAs(mixed);
        for (int i = 0; i < mixed.size(); i++) {
            ClassificationResult r = results.get(i);
            assertThat(r.source()).isEqualTo(mixed.get(i).toString());
            assertThat(r.isSuccess()).isEqualTo(i < mixed.size() - 2 && i % 2 == 0);
        }
        assertThat(results.get(1).error().orElseThrow().reason()).isEqualTo("not an image (the content is text)");
        assertThat(results.get(mixed.size() - 2).error().orElseThrow().reason()).isEqualTo("empty file");
        assertThat(results.get(mixed.size() - 1).error().orElseThrow().reason()).isEqualTo("no such file");
    }

    @Test
    void completionOrderDeliversEveryInputOnce() {
        Set<Long> seen = new HashSet<>();
        AtomicInteger calls = new AtomicInteger();
        List<ImageInput> inputs = IntStream.range(0, 60).mapToObj(i -> ImageInput.of(images.get(i % images.size()))).toList();
        classifier.classifyAll(inputs.stream(), BatchOptions.defaults().withOrder(BatchOptions.Order.COMPLETION), r -> {
            calls.incrementAndGet();
            assertThat(seen.add(r.index())).isTrue();
        });
        assertThat(calls.get()).isEqualTo(60);
        assertThat(seen).hasSize(60);
    }

    @Test
    void readsLazilyWithinTheWindow() {
        // The stream is consumed on demand: with a window of 4, at most 4 inputs are in flight, plus
        // the one a Stream iterator reads ahead to answer hasNext().
        AtomicInteger read = new AtomicInteger();
        AtomicInteger emitted = new AtomicInteger();
        AtomicInteger maxAhead = new AtomicInteger();
        Stream<ImageInput> lazy = IntStream.range(0, 40).mapToObj(i -> {
            maxAhead.accumulateAndGet(read.incrementAndGet() - emitted.get(), Math::max);
            return ImageInput.of(images.get(i % images.size()));
        });
        classifier.classifyAll(lazy, new BatchOptions(2, 2, 4, BatchOptions.Order.INPUT), r -> emitted.incrementAndGet());
        assertThat(emitted.get()).isEqualTo(40);
        assertThat(maxAhead.get()).isBetween(1, 5);
    }
}
