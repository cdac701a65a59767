package io.keshikaran.spark.examples;

import io.keshikaran.spark.KeshikaranScorer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Objects;

import static org.apache.spark.sql.functions.col;

/**
 * Example Spark job: scores every file under a folder (any Hadoop file system: local, HDFS, S3),
 * writes the results as Parquet, reads them back and shows the highest scores.
 *
 * <pre>{@code
 * spark-submit --class io.keshikaran.spark.examples.ScoreFolderJob \
 *     keshikaran-spark-0.1.0-SNAPSHOT-all.jar  s3a://bucket/images/  s3a://bucket/scores/  20
 * }</pre>
 *
 * <p>The Parquet output has one row per file: {@code path, score, probabilities, error, model}.
 * Files that are not decodable images are kept, with an {@code error} and no score.
 */
public final class ScoreFolderJob {
    /** Output columns, in order. */
    public static final List<String> COLUMNS = List.of("path", "score", "probabilities", "error", "model");

    private ScoreFolderJob() {
    }

    /**
     * What the job did.
     *
     * @param scored how many files were scored
     * @param failed how many files could not be scored (they have an error)
     * @param top    the highest-scoring rows, read back from the Parquet output, best first
     */
    public record Result(long scored, long failed, List<Row> top) {
        /** Copies {@code top}. */
        public Result {
            top = List.copyOf(Objects.requireNonNull(top, "top"));
        }
    }

    /** Arguments: input folder, output Parquet folder, and optionally how many top rows to show (10). */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: ScoreFolderJob INPUT_DIR OUTPUT_PARQUET_DIR [TOP_N]");
            System.exit(2);
        }
        int topN = args.length == 3 ? Integer.parseInt(args[2]) : 10;
        SparkSession spark = SparkSession.builder().appName("keshikaran-score-folder").getOrCreate();
        try {
            Result result = run(spark, args[0], args[1], topN);
            System.out.printf("scored %d files, %d could not be scored; results in %s%n",
                    result.scored(), result.failed(), args[1]);
        } finally {
            spark.stop();
        }
    }

    /**
     * Scores every file under {@code inputDir} (recursively), replaces {@code outputDir} with the
     * Parquet results, prints and returns the {@code topN} highest scores read back from it.
     */
    public static Result run(SparkSession spark, String inputDir, String outputDir, int topN) {
        if (topN < 0) {
            throw new IllegalArgumentException("topN must not be negative, got " + topN);
        }
        Dataset<Row> files = spark.read().format("binaryFile")
                .option("recursiveFileLookup", "true")
                .load(inputDir);
        KeshikaranScorer scorer = KeshikaranScorer.builder().build();
        scorer.score(files)
                .select(COLUMNS.stream().map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new))
                .write().mode(SaveMode.Overwrite).parquet(outputDir);

        Dataset<Row> results = spark.read().parquet(outputDir);
        long failed = results.where(col("error").isNotNull()).count();
        long scored = results.count() - failed;
        Dataset<Row> top = results.where(col("error").isNull())
                .orderBy(col("score").desc(), col("path"))
                .limit(topN);
        top.select("path", "score").show(topN, false);
        return new Result(scored, failed, top.collectAsList());
    }
}
