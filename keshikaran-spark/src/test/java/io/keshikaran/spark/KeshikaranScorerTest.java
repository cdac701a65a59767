package io.keshikaran.spark;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.spark.LocalSpark.BadFile;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The scorer in Spark local mode, checked against the plain library on the same files. */
class KeshikaranScorerTest {
    private static final double TOLERANCE = 1e-6;

    @TempDir
    static Path folder;
    private static SparkSession spark;
    private static Classifier plain;
    private static Dataset<Row> files;
    private static StructType scoredSchema;
    private static Map<String, Row> scoredByFile;
    private static int partitions;

    @BeforeAll
    static void scoreTheFolder() throws Exception {
        spark = LocalSpark.session();
        plain = Classifier.builder().build();
        LocalSpark.writeImageFolder(folder);
        files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(folder.toString());
        // A small batch, so partitions span several batches and a batch boundary is crossed.
        Dataset<Row> scored = KeshikaranScorer.builder().optBatchSize(4).build().score(files);
        scoredSchema = scored.schema();
        partitions = scored.rdd().getNumPartitions();
        scoredByFile = scored.collectAsList().stream()
                .collect(Collectors.toMap(r -> Path.of(r.<String>getAs("path").replaceFirst("^file:", "")).getFileName().toString(),
                        Function.identity()));
    }

    @AfterAll
    static void closePlain() {
        plain.close();
    }

    @Test
    void everyImageScoresExactlyAsThePlainLibraryScoresTheFile() throws Exception {
        List<Path> images = LocalSpark.fixtureImages();
        assertThat(partitions).as("the job must actually run in parallel").isGreaterThan(1);
        assertThat(images).hasSizeGreaterThanOrEqualTo(10);
        for (Path image : images) {
            Row row = scoredByFile.get(image.getFileName().toString());
            assertThat(row).as(image.toString()).isNotNull();
            Classification expected = plain.classify(image);
            assertThat(row.<String>getAs("error")).as(image.toString()).isNull();
            assertThat(row.<Double>getAs("score")).as(image.toString()).isCloseTo(expected.score(), within(TOLERANCE));
            Map<String, Float> probabilities = probabilities(row);
            assertThat(probabilities.keySet()).containsExactlyInAnyOrderElementsOf(expected.probabilities().keySet());
            expected.probabilities().forEach((label, p) ->
                    assertThat(probabilities.get(label)).as(image + " " + label).isCloseTo(p, within((float) TOLERANCE)));
            assertThat(row.<String>getAs("model")).isEqualTo(plain.model().id());
        }
    }

    @Test
    void badFilesBecomeErrorRowsWithTheLibrarysReason() {
        assertThat(scoredByFile).hasSize(LocalSpark.fixtureImages().size() + BadFile.values().length);
        for (BadFile bad : BadFile.values()) {
            Row row = scoredByFile.get(bad.fileName);
            Path file = folder.resolve("bad").resolve(bad.fileName);
            String expectedReason = reasonOf(file);
            assertThat(row.<String>getAs("error")).as(bad.fileName).startsWith(bad.error).isEqualTo(expectedReason);
            assertThat(row.<Double>getAs("score")).as(bad.fileName).isNull();
            assertThat(row.<Object>getAs("probabilities")).as(bad.fileName).isNull();
            assertThat(row.<String>getAs("model")).isEqualTo(plain.model().id());
        }
    }

    @Test
    void keepsTheInputColumnsButNotTheBytes() {
        assertThat(scoredSchema.fieldNames())
                .containsExactly("path", "modificationTime", "length", "score", "probabilities", "error", "model");
        assertThat(scoredSchema.apply("score").dataType()).isEqualTo(DataTypes.DoubleType);
        assertThat(scoredSchema.apply("probabilities").dataType())
                .isEqualTo(DataTypes.createMapType(DataTypes.StringType, DataTypes.FloatType, false));
        Row dog = scoredByFile.get("dog.jpg");
        assertThat(dog.<Long>getAs("length")).isEqualTo(folder.resolve("images/dog.jpg").toFile().length());
    }

    @Test
    void allTasksOfAJvmShareOneClassifier() {
        KeshikaranScorer scorer = KeshikaranScorer.builder().build();
        // Eight tasks on two task threads, each reporting which classifier instance it got.
        List<Integer> instances = spark.range(0, 8, 1, 8)
                .mapPartitions((MapPartitionsFunction<Long, Integer>) rows ->
                        List.of(System.identityHashCode(scorer.sharedClassifier())).iterator(), Encoders.INT())
                .collectAsList();
        assertThat(instances).hasSize(8);
        assertThat(Set.copyOf(instances)).hasSize(1);
        // Another scorer with the same (default) setup maps to the same JVM-wide classifier.
        assertThat(ExecutorClassifiers.loaded()).contains(KeshikaranScorer.builder().build().config());
        assertThat(scorer.config()).isEqualTo(KeshikaranScorer.builder().build().config());
    }

    @Test
    void scoresAnyBinaryColumnWithoutAPathColumn() throws Exception {
        byte[] dog = Files.readAllBytes(LocalSpark.fixtures().resolve("images/dog.jpg"));
        byte[] coffee = Files.readAllBytes(LocalSpark.fixtures().resolve("images/coffee.png"));
        StructType schema = new StructType()
                .add("id", DataTypes.IntegerType, false)
                .add("image", DataTypes.BinaryType, true);
        List<Row> rows = List.of(RowFactory.create(1, dog), RowFactory.create(2, coffee),
                RowFactory.create(3, null), RowFactory.create(4, new byte[0]),
                RowFactory.create(5, Arrays.copyOf(dog, 100)));
        Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(2);

        List<Row> scored = KeshikaranScorer.builder()
                .optContentColumn("image")
                .optScoreColumn("nsfw_score")
                .build()
                .score(input)
                .orderBy("id")
                .collectAsList();

        assertThat(scored).extracting(r -> r.<Integer>getAs("id")).containsExactly(1, 2, 3, 4, 5);
        assertThat(scored.get(0).<Double>getAs("nsfw_score")).isCloseTo(plain.classify(dog).score(), within(TOLERANCE));
        assertThat(scored.get(1).<Double>getAs("nsfw_score")).isCloseTo(plain.classify(coffee).score(), within(TOLERANCE));
        assertThat(scored.get(2).<String>getAs("error")).isEqualTo("no image bytes (the content column is null)");
        assertThat(scored.get(3).<String>getAs("error")).isEqualTo("empty file");
        assertThat(scored.get(4).<String>getAs("error")).startsWith("corrupt or truncated JPEG data");
        assertThat(scored.subList(2, 5)).allSatisfy(r -> {
            assertThat(r.<Double>getAs("nsfw_score")).isNull();
            assertThat(r.<Object>getAs("probabilities")).isNull();
        });
        assertThat(scored.get(0).schema().fieldNames()).containsExactly("id", "nsfw_score", "probabilities", "error", "model");
    }

    @Test
    void rejectsInputsItCannotScoreBeforeAnyJobRuns() {
        KeshikaranScorer defaults = KeshikaranScorer.builder().build();
        assertThatThrownBy(() -> defaults.score(files.drop("content")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no column 'content' with image bytes")
                .hasMessageContaining("path");
        assertThatThrownBy(() -> defaults.score(files.selectExpr("path", "cast(length as string) as content")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold the encoded image bytes (binary), but it is string");
        assertThatThrownBy(() -> defaults.score(files.withColumnRenamed("length", "score")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already has a column 'score'");
        assertThatThrownBy(() -> KeshikaranScorer.builder().optPathColumn("file").build().score(files))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no path column 'file'");
        assertThatThrownBy(() -> KeshikaranScorer.builder().optErrorColumn("score").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("four different names");
        assertThatThrownBy(() -> KeshikaranScorer.builder().optBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aModelThatCannotLoadFailsTheJobWithTheLibrarysMessage() {
        Dataset<Row> scored = KeshikaranScorer.builder().optClassifier(b -> b.optModel("no_such_model")).build().score(files);
        assertThatThrownBy(scored::collectAsList)
                .hasStackTraceContaining("unknown model 'no_such_model'")
                .hasStackTraceContaining("mobilenet_v2");
    }

    private static Map<String, Float> probabilities(Row row) {
        scala.collection.Map<String, Float> map = row.getMap(row.fieldIndex("probabilities"));
        return new LinkedHashMap<>(CollectionConverters.asJava(map));
    }

    private static String reasonOf(Path file) {
        try {
            plain.classify(file);
            throw new AssertionError(file + " was expected to be a bad image");
        } catch (InvalidImageException e) {
            return e.reason();
        }
    }
}
