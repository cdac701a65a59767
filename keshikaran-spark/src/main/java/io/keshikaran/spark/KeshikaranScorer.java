package io.keshikaran.spark;

import io.keshikaran.Classifier;
import io.keshikaran.ModelException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Scores the images in a Spark {@link Dataset}: every row's encoded image bytes (such as the
 * {@code content} column of Spark's {@code binaryFile} source) become a score, the model's
 * probabilities and, for an image that cannot be decoded, an error instead.
 *
 * <pre>{@code
 * Dataset<Row> files = spark.read().format("binaryFile")
 *         .option("recursiveFileLookup", "true").load("s3a://bucket/images/");
 * Dataset<Row> scored = KeshikaranScorer.builder().build().score(files);
 * scored.write().parquet("s3a://bucket/scores/");
 * }</pre>
 *
 * <p><b>Output:</b> every input column except the bytes, then
 * <ul>
 *   <li>{@code score} double: 0 (not explicit) to 1 (explicit); null when the image failed</li>
 *   <li>{@code probabilities} map&lt;string,float&gt;: every label of the model with its probability;
 *       null when the image failed</li>
 *   <li>{@code error} string: why the image could not be scored, such as {@code empty file} or
 *       {@code not an image (the content is text)}; null when it was scored</li>
 *   <li>{@code model} string: the model that scored it, such as {@code mobilenet_v2@nsfwjs-4.4.0}</li>
 * </ul>
 * A bad image, a null content value or a failed inference never fails the job: it becomes a row
 * with an error. A model that cannot be loaded does fail it, because nothing could be scored.
 *
 * <p><b>Execution:</b> {@link #score} is lazy like any transformation. On each executor JVM, the
 * first task loads one {@link Classifier} that all later tasks share (see
 * {@link ExecutorClassifiers}); the model comes from the application jar, nothing is downloaded.
 * Each task scores its partition in batches of {@link Builder#optBatchSize batchSize} rows, so only
 * one batch of encoded images per task is in memory at a time.
 *
 * <p>Immutable, serializable and thread-safe.
 */
public final class KeshikaranScorer implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default name of the input column with the encoded image bytes, as in {@code binaryFile}: {@value}. */
    public static final String DEFAULT_CONTENT_COLUMN = "content";
    /** Default name of the input column that names each image in errors and logs: {@value}. */
    public static final String DEFAULT_PATH_COLUMN = "path";
    /** Default output column names. */
    public static final String DEFAULT_SCORE_COLUMN = "score";
    /** Default output column names. */
    public static final String DEFAULT_PROBABILITIES_COLUMN = "probabilities";
    /** Default output column names. */
    public static final String DEFAULT_ERROR_COLUMN = "error";
    /** Default output column names. */
    public static final String DEFAULT_MODEL_COLUMN = "model";
    /** Default number of rows a task reads before classifying them: {@value}. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Threads per inference inside the engine unless the setup says otherwise: {@value}; Spark's tasks supply the parallelism. */
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    private final ClassifierConfig classifier;
    private final int batchSize;
    private final String contentColumn;
    private final String pathColumn;
    private final boolean pathColumnRequired;
    private final String scoreColumn;
    private final String probabilitiesColumn;
    private final String errorColumn;
    private final String modelColumn;

    private KeshikaranScorer(Builder b) {
        this.classifier = new ClassifierConfig(b.setup);
        this.batchSize = b.batchSize;
        this.contentColumn = b.contentColumn;
        this.pathColumn = b.pathColumn;
        this.pathColumnRequired = b.pathColumnRequired;
        this.scoreColumn = b.scoreColumn;
        this.probabilitiesColumn = b.probabilitiesColumn;
        this.errorColumn = b.errorColumn;
        this.modelColumn = b.modelColumn;
    }

    /** A builder; every setting is optional. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds the score columns to {@code input}, dropping its content column. Lazy: nothing runs
     * until an action such as {@code write()} or {@code collect()}.
     *
     * @throws IllegalArgumentException if the content column is missing or not binary, a path
     *                                  column set with {@link Builder#optPathColumn} is missing or not a string, or an
     *                                  output column name is already taken by an input column
     */
    public Dataset<Row> score(Dataset<Row> input) {
        StructType in = input.schema();
        StructType out = outputSchema(in);
        int contentIndex = in.fieldIndex(contentColumn);
        int pathIndex = Arrays.asList(in.fieldNames()).contains(pathColumn) ? in.fieldIndex(pathColumn) : -1;
        int[] passThrough = new int[in.fields().length - 1];
        for (int i = 0, k = 0; i < in.fields().length; i++) {
            if (i != contentIndex) {
                passThrough[k++] = i;
            }
        }
        return input.mapPartitions(new PartitionScorer(classifier, batchSize, contentIndex, pathIndex, passThrough),
                Encoders.row(out));
    }

    /**
     * The schema {@link #score} produces for an input schema: the input's columns without the
     * content column, then score, probabilities, error and model.
     *
     * @throws IllegalArgumentException as {@link #score}
     */
    public StructType outputSchema(StructType input) {
        List<String> names = Arrays.asList(input.fieldNames());
        if (!names.contains(contentColumn)) {
            throw new IllegalArgumentException("no column '" + contentColumn + "' with image bytes; the input has "
                    + names + "; name the binary column with optContentColumn");
        }
        StructField content = input.apply(contentColumn);
        if (!content.dataType().equals(DataTypes.BinaryType)) {
            throw new IllegalArgumentException("column '" + contentColumn + "' must hold the encoded image bytes "
                    + "(binary), but it is " + content.dataType().simpleString());
        }
        if (names.contains(pathColumn)) {
            StructField path = input.apply(pathColumn);
            if (!path.dataType().equals(DataTypes.StringType)) {
                throw new IllegalArgumentException("path column '" + pathColumn + "' must be a string, but it is "
                        + path.dataType().simpleString());
            }
        } else if (pathColumnRequired) {
            throw new IllegalArgumentException("no path column '" + pathColumn + "'; the input has " + names);
        }
        List<StructField> fields = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (StructField f : input.fields()) {
            if (!f.name().equals(contentColumn)) {
                fields.add(f);
                taken.add(f.name());
            }
        }
        for (String name : outputColumns()) {
            if (!taken.add(name)) {
                throw new IllegalArgumentException("the input already has a column '" + name
                        + "'; choose other output names with optScoreColumn, optProbabilitiesColumn, "
                        + "optErrorColumn or optModelColumn");
            }
        }
        fields.add(DataTypes.createStructField(scoreColumn, DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField(probabilitiesColumn,
                DataTypes.createMapType(DataTypes.StringType, DataTypes.FloatType, false), true));
        fields.add(DataTypes.createStructField(errorColumn, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(modelColumn, DataTypes.StringType, false));
        return DataTypes.createStructType(fields);
    }

    private List<String> outputColumns() {
        return List.of(scoreColumn, probabilitiesColumn, errorColumn, modelColumn);
    }

    /**
     * This JVM's shared classifier for this scorer's settings, loading it on first use: for
     * scoring inside your own UDFs or {@code mapPartitions} code on executors. Do not close it;
     * it is closed when the JVM exits.
     *
     * @throws ModelException if the model cannot be loaded
     */
    public Classifier sharedClassifier() throws ModelException {
        return ExecutorClassifiers.get(classifier);
    }

    /** The executors' classifier configuration; equal configs share one classifier per JVM. */
    ClassifierConfig config() {
        return classifier;
    }

    /** Rows a task classifies per batch. */
    public int batchSize() {
        return batchSize;
    }

    @Override
    public String toString() {
        return "KeshikaranScorer[" + classifier + ", batchSize=" + batchSize
                + ", " + contentColumn + " -> " + String.join(", ", outputColumns()) + "]";
    }

    /** Configures a {@link KeshikaranScorer}. Not thread-safe; {@link #build()} validates. */
    public static final class Builder {
        private ClassifierSetup setup = builder -> {
        };
        private int batchSize = DEFAULT_BATCH_SIZE;
        private String contentColumn = DEFAULT_CONTENT_COLUMN;
        private String pathColumn = DEFAULT_PATH_COLUMN;
        private boolean pathColumnRequired;
        private String scoreColumn = DEFAULT_SCORE_COLUMN;
        private String probabilitiesColumn = DEFAULT_PROBABILITIES_COLUMN;
        private String errorColumn = DEFAULT_ERROR_COLUMN;
        private String modelColumn = DEFAULT_MODEL_COLUMN;

        private Builder() {
        }

        /**
         * How each executor builds its classifier, with {@link Classifier.Builder}'s own options:
         * model, engine, limits, decode options, threads. Default: the library's defaults, with one
         * intra-op thread per inference, because Spark already runs one task per executor core
         * (raise it with {@code b.optIntraOpThreads(n)} only when an executor has more cores than
         * concurrent tasks).
         *
         * @param setup sets options on the executors' builder; must be serializable
         * @return this builder
         */
        public Builder optClassifier(ClassifierSetup setup) {
            this.setup = Objects.requireNonNull(setup, "setup");
            return this;
        }

        /** Rows a task reads and classifies at a time; default {@value #DEFAULT_BATCH_SIZE}. */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** The binary input column with the encoded images; default {@value #DEFAULT_CONTENT_COLUMN}. */
        public Builder optContentColumn(String column) {
            this.contentColumn = requireName(column);
            return this;
        }

        /**
         * The string input column that names each image in error messages and logs. Default
         * {@value #DEFAULT_PATH_COLUMN} if the input has it; without one, rows are named by
         * partition and position. A column set here must exist.
         */
        public Builder optPathColumn(String column) {
            this.pathColumn = requireName(column);
            this.pathColumnRequired = true;
            return this;
        }

        /** Output column for the score; default {@value #DEFAULT_SCORE_COLUMN}. */
        public Builder optScoreColumn(String column) {
            this.scoreColumn = requireName(column);
            return this;
        }

        /** Output column for the probabilities; default {@value #DEFAULT_PROBABILITIES_COLUMN}. */
        public Builder optProbabilitiesColumn(String column) {
            this.probabilitiesColumn = requireName(column);
            return this;
        }

        /** Output column for the error; default {@value #DEFAULT_ERROR_COLUMN}. */
        public Builder optErrorColumn(String column) {
            this.errorColumn = requireName(column);
            return this;
        }

        /** Output column for the model id; default {@value #DEFAULT_MODEL_COLUMN}. */
        public Builder optModelColumn(String column) {
            this.modelColumn = requireName(column);
            return this;
        }

        /**
         * Validates and builds. Does not load the model: that happens on the executors.
         *
         * @throws IllegalArgumentException if two output columns share a name, or the classifier setup
         *                                  is not serializable
         */
        public KeshikaranScorer build() {
            Set<String> outputs = new HashSet<>(List.of(scoreColumn, probabilitiesColumn, errorColumn, modelColumn));
            if (outputs.size() != 4) {
                throw new IllegalArgumentException("output columns must have four different names, got "
                        + List.of(scoreColumn, probabilitiesColumn, errorColumn, modelColumn));
            }
            return new KeshikaranScorer(this);
        }

        private static String requireName(String column) {
            Objects.requireNonNull(column, "column");
            if (column.isBlank()) {
                throw new IllegalArgumentException("column name must not be blank");
            }
            return column;
        }
    }
}
