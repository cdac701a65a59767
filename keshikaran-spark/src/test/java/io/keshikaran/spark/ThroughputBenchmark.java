package io.keshikaran.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Measures scoring throughput in local mode (not a test; run by hand, see the module README).
 * Arguments: image folder, master (such as {@code local[2]}), batch size, intra-op threads, rounds.
 * Each round scores the whole folder into Spark's no-op sink; the first round includes loading
 * the model.
 */
public final class ThroughputBenchmark {
    private ThroughputBenchmark() {
    }

    public static void main(String[] args) {
        String folder = args[0];
        String master = args.length > 1 ? args[1] : "local[2]";
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : KeshikaranScorer.DEFAULT_BATCH_SIZE;
        int intraOp = args.length > 3 ? Integer.parseInt(args[3]) : KeshikaranScorer.DEFAULT_INTRA_OP_THREADS;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        long jvmStart = System.nanoTime();
        SparkSession spark = SparkSession.builder().master(master).appName("keshikaran-throughput")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(folder);
        long count = files.count();
        KeshikaranScorer scorer = KeshikaranScorer.builder().optBatchSize(batchSize).optClassifier(b -> b.optIntraOpThreads(intraOp)).build();
        System.out.printf(Locale.ROOT, "%d files, %d partitions, %s, batch %d, intra-op %d, Spark ready after %.1f s%n",
                count, files.rdd().getNumPartitions(), master, batchSize, intraOp, (System.nanoTime() - jvmStart) / 1e9);
        // CPU time is less distorted than wall time when other processes share the machine.
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            long cpuStart = os.getProcessCpuTime();
            scorer.score(files).write().format("noop").mode("overwrite").save();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMs = (os.getProcessCpuTime() - cpuStart) / 1e6;
            System.out.printf(Locale.ROOT, "round %d: %.2f s, %.1f images/s, %.1f ms CPU per image%n",
                    round, seconds, count / seconds, cpuMs / count);
        }
        spark.stop();
    }
}
