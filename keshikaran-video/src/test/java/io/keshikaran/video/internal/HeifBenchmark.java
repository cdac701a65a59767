package io.keshikaran.video.internal;

import io.keshikaran.spi.NativeImageDecoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures one HEIF/AVIF decode's wall time and the native memory it needs (the process's peak RSS
 * above its RSS before the decode, with the Java heap fixed and pre-touched so that heap arrays do
 * not count). Not a test: run by hand, one decode per process (docs/images.md has the command).
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp ... io.keshikaran.video.internal.HeifBenchmark FILE REDUCTION [RUNS]
 * </pre>
 */
public final class HeifBenchmark {
    private HeifBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        byte[] file = Files.readAllBytes(Path.of(args[0]));
        int reduction = Integer.parseInt(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        NativeImageDecoder ffmpeg = new FfmpegImageDecoder();
        // Warm up on a small file: loads the natives and the decoders' code.
        byte[] small = Files.readAllBytes(Path.of(System.getProperty("keshikaran.fixtures", "fixtures"),
                "formats", "heif", "avif-grid-2x2.avif"));
        ffmpeg.decode(small, ffmpeg.probe(small), 1);
        byte[] smallHeic = Files.readAllBytes(Path.of(System.getProperty("keshikaran.fixtures", "fixtures"),
                "formats", "heif", "heif-photo.heic"));
        ffmpeg.decode(smallHeic, ffmpeg.probe(smallHeic), 1);
        long before = status("VmRSS:");
        NativeImageDecoder.Header header = ffmpeg.probe(file);
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            NativeImageDecoder.Pixels pixels = ffmpeg.decode(file, header, reduction);
            double ms = (System.nanoTime() - start) / 1e6;
            long peak = status("VmHWM:");
            System.out.printf(Locale.ROOT, "%s %s %dx%d reduced by %d -> %dx%d: %.0f ms; RSS before %d MiB, peak %d MiB,"
                            + " native peak above before %.1f MiB = %.2f bytes per pixel of the full image%n",
                    Path.of(args[0]).getFileName(), header.format(), header.width(), header.height(), reduction,
                    pixels.width(), pixels.height(), ms, before >> 10, peak >> 10, (peak - before) / 1024.0,
                    (peak - before) * 1024.0 / ((long) header.width() * header.height()));
        }
    }

    /** A /proc/self/status field in KiB. */
    private static long status(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
