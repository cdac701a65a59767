package io.keshikaran.video;

import io.keshikaran.Classifier;
import io.keshikaran.image.RgbImage;
import io.keshikaran.video.internal.SampledFrames;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures how many times faster than real time a clip is scored, and the process's resident memory
 * as scanning goes on. Not a test: run by hand (docs/performance.md has the commands).
 *
 * <pre>
 * java -cp ... io.keshikaran.video.VideoBenchmark CLIP [interval|keyframes] [runs]
 * java -cp ... io.keshikaran.video.VideoBenchmark CLIP exact [interval-seconds]
 * </pre>
 * Prints one line per run: wall time, video seconds, the real-time factor, frames scored and
 * decoded, and RSS at the start, the middle and the end of the scan. {@code exact} checks instead
 * that leaving out unneeded frames samples the same pixels as decoding every frame.
 */
public final class VideoBenchmark {
    private VideoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path clip = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("exact")) {
            exact(clip, args.length > 2 ? Double.parseDouble(args[2]) : 1.0);
            return;
        }
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

    /**
     * Checks that leaving out unneeded frames changes nothing: the clip sampled every
     * {@code interval} seconds with and without it must give the same frames, pixel for pixel, and
     * so the same scores; prints the frames decoded each way and the largest score difference.
     */
    private static void exact(Path clip, double interval) throws Exception {
        int minSide = 448; // what VideoClassifier scales to for the default model (224 px input)
        SampledFrames all;
        SampledFrames skipping;
        try (Classifier classifier = Classifier.builder().build()) {
            all = SampledFrames.decode(clip, interval, minSide, false);
            skipping = SampledFrames.decode(clip, interval, minSide, true);
            double maxScoreDiff = 0;
            for (int i = 0; i < Math.min(all.frames().size(), skipping.frames().size()); i++) {
                SampledFrames.Frame a = all.frames().get(i);
                SampledFrames.Frame b = skipping.frames().get(i);
                double sa = classifier.classify(new RgbImage(a.width(), a.height(), a.rgb()), "all").score();
                double sb = classifier.classify(new RgbImage(b.width(), b.height(), b.rgb()), "skipping").score();
                maxScoreDiff = Math.max(maxScoreDiff, Math.abs(sa - sb));
            }
            String difference = skipping.firstDifference(all);
            System.out.printf(Locale.ROOT, "%s every %s s: %d frames sampled; decoding all: %d frames decoded; "
                            + "skipping: %d decoded, %d packets not sent; %s; largest score difference %s%n",
                    clip.getFileName(), interval, all.frames().size(), all.framesDecoded(), skipping.framesDecoded(),
                    skipping.packetsSkipped(), difference == null ? "every sampled frame identical" : difference,
                    maxScoreDiff);
            if (difference != null) {
                System.exit(1);
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
