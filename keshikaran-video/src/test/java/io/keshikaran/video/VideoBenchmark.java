package io.keshikaran.video;

import io.keshikaran.Classifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures how many times faster than real time a clip is scored, and the process's resident memory
 * as scanning goes on. Not a test: run by hand (docs/performance.md has the commands).
 *
 * <pre>
 * java -cp ... io.keshikaran.video.VideoBenchmark CLIP [interval|keyframes] [runs]
 * </pre>
 * Prints one line per run: wall time, video seconds, the real-time factor, frames scored and
 * decoded, and RSS at the start, the middle and the end of the scan.
 */
public final class VideoBenchmark {
    private VideoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path clip = Path.of(args[0]);
        boolean keyframes = args.length > 1 && args[1].equals("keyframes");
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (Classifier classifier = Classifier.builder().build()) {
            VideoClassifier.Builder b = VideoClassifier.builder().setClassifier(classifier);
            if (keyframes) {
                b.optKeyframesOnly();
            }
            VideoClassifier videos = b.build();
            for (int run = 0; run < runs; run++) {
                StringBuilder trace = new StringBuilder();
                long[] nextMinute = {0};
                long before = rssKiB();
                long cpuBefore = cpuNanos();
                long start = System.nanoTime();
                VideoClassification v = videos.classify(clip, f -> {
                    // RSS at each minute of video: flat means no growth with duration.
                    if (f.timeSeconds() >= nextMinute[0] * 60) {
                        trace.append(String.format(Locale.ROOT, " %d MiB (%.0f s)", rssKiB() / 1024, f.timeSeconds()));
                        nextMinute[0] = (long) (f.timeSeconds() / 60) + 1;
                    }
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpu = (cpuNanos() - cpuBefore) / 1e9;
                System.out.printf(Locale.ROOT, "%s %s: %.2f s for %.1f s of video = %.1fx real time; CPU %.2f s "
                                + "(%.1fx real time per core); %d frames scored, %d decoded; RSS before %d MiB, during%s, after %d MiB%n",
                        clip.getFileName(), keyframes ? "keyframes" : "1 frame/s", seconds, v.durationSeconds(),
                        v.durationSeconds() / seconds, cpu, v.durationSeconds() / cpu, v.frames().size(), v.framesDecoded(),
                        before / 1024, trace, rssKiB() / 1024);
            }
        }
    }

    /** CPU time of the whole process (every thread, native ones included). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux: report 0
        }
        return 0;
    }
}
