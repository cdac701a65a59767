package io.keshikaran.spark.examples;

import io.keshikaran.Classifier;
import io.keshikaran.spark.LocalSpark;
import io.keshikaran.spark.LocalSpark.BadFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The example job end to end in local mode: folder in, Parquet out, read back. */
class ScoreFolderJobTest {
    @TempDir
    Path work;

    @Test
    void writesReadableParquetAndReturnsTheHighestScores() throws Exception {
        SparkSession spark = LocalSpark.session();
        Path input = work.resolve("in");
        Path output = work.resolve("scores.parquet");
        LocalSpark.writeImageFolder(input);
        List<Path> images = LocalSpark.fixtureImages();

        ScoreFolderJob.Result result = ScoreFolderJob.run(spark, input.toString(), output.toString(), 3);

        assertThat(result.scored()).isEqualTo(images.size());
        assertThat(result.failed()).isEqualTo(BadFile.values().length);
        assertThat(Files.list(output).map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".parquet"));

        Dataset<Row> back = spark.read().parquet(output.toString());
        assertThat(back.columns()).containsExactlyElementsOf(ScoreFolderJob.COLUMNS);
        assertThat(back.count()).isEqualTo(images.size() + BadFile.values().length);
        List<Row> errors = back.where(col("error").isNotNull()).orderBy("path").collectAsList();
        assertThat(errors).extracting(r -> Path.of(r.<String>getAs("path")).getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(BadFile.values()).map(b -> b.fileName).toList());
        assertThat(errors).allSatisfy(r -> assertThat(r.<Double>getAs("score")).isNull());

        // The top 3 are the three highest scores the plain library gives these files.
        List<Double> expected = new ArrayList<>();
        try (Classifier plain = Classifier.builder().build()) {
            for (Path image : images) {
                expected.add(plain.classify(image).score());
            }
        }
        expected.sort(Comparator.reverseOrder());
        assertThat(result.top()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Row row = result.top().get(i);
            assertThat(row.<Double>getAs("score")).isCloseTo(expected.get(i), within(1e-6));
            assertThat(row.<String>getAs("error")).isNull();
            assertThat(row.<scala.collection.Map<String, Float>>getAs("probabilities").size()).isEqualTo(5);
        }
    }
}
