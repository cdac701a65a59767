package io.keshikaran.benchmarks;

import io.keshikaran.BatchOptions;
import io.keshikaran.Classifier;
import io.keshikaran.image.ImageInput;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Classifies many images through one {@link Classifier} with {@code classifyAll} and prints the
 * process's resident memory and the Java heap along the way, to show that memory stays flat (no
 * native leak in the engine sessions, no growing queues).
 *
 * <pre>
 * java -cp keshikaran-benchmarks/target/benchmarks.jar io.keshikaran.benchmarks.MemorySoak [IMAGES] [FOLDER]
 * </pre>
 * IMAGES defaults to 20000; FOLDER to fixtures/images, whose files are cycled (read from disk
 * each time). Heap is measured after a full GC at each checkpoint.
 */
public final class MemorySoak {
    private static final Set<Long> CHECKPOINTS = Set.of(1_000L, 2_000L, 5_000L, 10_000L, 15_000L, 20_000L);

    private MemorySoak() {
    }

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 20_000;
        Path folder = args.length > 1 ? Path.of(args[1]) : BenchImages.fixtureImages();
        List<Path> files = BenchImages.list(folder);
        System.out.printf(Locale.ROOT, "%d images cycling %d files from %s; %d cores, max heap %d MiB%n",
                total, files.size(), folder, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        report("JVM started", 0, System.nanoTime());
        long start = System.nanoTime();
        try (Classifier classifier = Classifier.builder().build()) {
            report("classifier loaded", 0, start);
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            long runStart = System.nanoTime();
            Stream<ImageInput> inputs = Stream.iterate(0L, i -> i < total, i -> i + 1)
                    .map(i -> ImageInput.of(files.get((int) (i % files.size()))));
            classifier.classifyAll(inputs, BatchOptions.defaults().withOrder(BatchOptions.Order.COMPLETION), r -> {
                if (!r.isSuccess()) {
                    failed.incrementAndGet();
                }
                long n = done.incrementAndGet();
                if (CHECKPOINTS.contains(n) || n == total) {
                    report("after " + n + " images", n, runStart);
                }
            });
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " images failed");
            }
        }
        report("classifier closed", total, start);
    }

    private static void report(String what, long images, long since) {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heapUsed = (rt.totalMemory() - rt.freeMemory()) >> 20;
        long[] rss = BenchImages.rssMiB();
        double seconds = (System.nanoTime() - since) / 1e9;
        System.out.printf(Locale.ROOT, "%-22s RSS %5d MiB  peak RSS %5d MiB  heap used %4d MiB  committed %4d MiB  %7.1f s%s%n",
                what, rss[0], rss[1], heapUsed, rt.totalMemory() >> 20, seconds,
                images > 0 ? String.format(Locale.ROOT, "  %.0f images/s", images / seconds) : "");
    }
}
