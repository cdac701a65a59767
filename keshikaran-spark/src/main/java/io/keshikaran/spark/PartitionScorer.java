package io.keshikaran.spark;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.InferenceException;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelException;
import io.keshikaran.image.ImageInput;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Scores one partition: reads up to {@code batchSize} rows, classifies them with the JVM's shared
 * classifier, emits their result rows, and repeats, so a partition is never held in memory whole.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionScorer.class);
    private static final String NULL_CONTENT = "no image bytes (the content column is null)";

    private final ClassifierConfig config;
    private final int batchSize;
    private final int contentIndex;
    private final int pathIndex;
    private final int[] passThrough;

    /**
     * @param contentIndex the binary column's position in the input
     * @param pathIndex    the name column's position, or -1 to name rows by position
     * @param passThrough  positions of the input columns copied to the output, in output order
     */
    PartitionScorer(ClassifierConfig config, int batchSize, int contentIndex, int pathIndex, int[] passThrough) {
        this.config = config;
        this.batchSize = batchSize;
        this.contentIndex = contentIndex;
        this.pathIndex = pathIndex;
        this.passThrough = passThrough.clone();
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        TaskContext task = TaskContext.get();
        String partition = task != null ? Integer.toString(task.partitionId()) : "?";
        return new Iterator<>() {
            private Iterator<Row> batch = Collections.emptyIterator();
            private long position;

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && input.hasNext()) {
                    batch = nextBatch().iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }

            private List<Row> nextBatch() {
                List<Row> rows = new ArrayList<>(batchSize);
                List<byte[]> contents = new ArrayList<>(batchSize);
                List<String> names = new ArrayList<>(batchSize);
                while (rows.size() < batchSize && input.hasNext()) {
                    Row row = input.next();
                    String name = pathIndex >= 0 && !row.isNullAt(pathIndex) ? row.getString(pathIndex) : null;
                    rows.add(row);
                    contents.add(row.isNullAt(contentIndex) ? null : (byte[]) row.get(contentIndex));
                    names.add(name != null ? name : "partition " + partition + " row " + position);
                    position++;
                }
                // Loaded here, not in call(): an empty partition must not load a model.
                Classifier classifier = classifier();
                List<Outcome> outcomes = classifyBatch(classifier, contents, names);
                String model = classifier.model().id();
                List<Row> out = new ArrayList<>(rows.size());
                for (int i = 0; i < rows.size(); i++) {
                    out.add(toRow(rows.get(i), outcomes.get(i), model));
                }
                return out;
            }
        };
    }

    private Classifier classifier() {
        try {
            return ExecutorClassifiers.get(config);
        } catch (ModelException e) {
            // Nothing in this job can be scored: fail the task with the library's message.
            throw new IllegalStateException("keshikaran cannot load its model: " + e.getMessage(), e);
        }
    }

    /**
     * The one place that decides how a batch reaches the classifier: one
     * {@link Classifier#classifyAll} call, which decodes on one thread while the previous images
     * run through the engine and stacks what is ready into one engine call. A bad image becomes an
     * error outcome and the batch goes on.
     */
    static List<Outcome> classifyBatch(Classifier classifier, List<byte[]> contents, List<String> names) {
        // Filled from the classifier's threads.
        AtomicReferenceArray<Outcome> outcomes = new AtomicReferenceArray<>(contents.size());
        List<ImageInput> inputs = new ArrayList<>(contents.size());
        List<Integer> positions = new ArrayList<>(contents.size());
        for (int i = 0; i < contents.size(); i++) {
            if (contents.get(i) == null) {
                outcomes.set(i, Outcome.failed(NULL_CONTENT));
            } else {
                inputs.add(ImageInput.of(contents.get(i), names.get(i)));
                positions.add(i);
            }
        }
        if (!inputs.isEmpty()) {
            // Spark already runs one task per core: one decoding thread per task is enough.
            BatchOptions options = new BatchOptions(inputs.size(), 1, inputs.size(), BatchOptions.Order.COMPLETION);
            try {
                classifier.classifyAll(inputs.stream(), options, result -> {
                    outcomes.set(positions.get((int) result.index()), result.classification().map(Outcome::scored)
                            .orElseGet(() -> Outcome.failed(result.error().orElseThrow().reason())));
                });
            } catch (InferenceException e) {
                // Find the image the engine fails on instead of failing the whole batch.
                LOG.warn("a batch of {} images failed in the engine, retrying them one by one: {}",
                        inputs.size(), e.getMessage());
                for (int i : positions) {
                    outcomes.set(i, classifyOne(classifier, contents.get(i), names.get(i)));
                }
            }
        }
        List<Outcome> list = new ArrayList<>(contents.size());
        for (int i = 0; i < contents.size(); i++) {
            list.add(Objects.requireNonNull(outcomes.get(i), "classifyAll returned no result for an input"));
        }
        return list;
    }

    private static Outcome classifyOne(Classifier classifier, byte[] content, String name) {
        if (content == null) {
            return Outcome.failed(NULL_CONTENT);
        }
        try {
            return Outcome.scored(classifier.classify(content, name));
        } catch (InvalidImageException e) {
            return Outcome.failed(e.reason());
        } catch (InferenceException e) {
            // The image decoded but the engine failed on it: record it like a bad image so one odd
            // input cannot fail a job of millions, and log it, since it may point at the engine.
            LOG.warn("{}: inference failed: {}", name, e.getMessage(), e);
            return Outcome.failed("inference failed: " + e.getMessage());
        }
    }

    private Row toRow(Row in, Outcome outcome, String model) {
        Object[] values = new Object[passThrough.length + 4];
        for (int i = 0; i < passThrough.length; i++) {
            values[i] = in.get(passThrough[i]);
        }
        int k = passThrough.length;
        Classification c = outcome.classification();
        values[k] = c != null ? c.score() : null;
        values[k + 1] = c != null ? CollectionConverters.asScala(c.probabilities()) : null;
        values[k + 2] = outcome.error();
        values[k + 3] = model;
        return RowFactory.create(values);
    }

    /** A classification or the reason there is none. */
    record Outcome(Classification classification, String error) {
        static Outcome scored(Classification c) {
            return new Outcome(c, null);
        }

        static Outcome failed(String error) {
            return new Outcome(null, error);
        }
    }
}
