package io.keshikaran.converter;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Measures the weight-storage variants on the real nsfwjs models: file size, session load time, warm latency
 * (batch 1) and the largest output difference to float32 storage on real photos. Not part of the normal build:
 *
 * <pre>
 * mvn -pl keshikaran-converter test -Dtest=StorageBenchmark -Dkeshikaran.benchmark=true \
 *     -Dkeshikaran.benchmark.images=/path/to/photos [-Dkeshikaran.benchmark.dump=/tmp/inputs]
 * </pre>
 *
 * Sessions use ONNX Runtime's default optimization level (all) and one intra-op thread, so that numbers are
 * comparable on a shared machine; variants are measured interleaved, round by round, so that background load
 * affects them alike. Results go to stdout and {@code target/storage-benchmark.md}.
 */
@EnabledIfSystemProperty(named = "keshikaran.benchmark", matches = "true")
class StorageBenchmark {

    private final StringBuilder report = new StringBuilder();

    private void log(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println(line);
        report.append(line).append('\n');
    }

    /** Wall-clock and current-thread CPU milliseconds of repeated measurements. */
    private static final class Timings {
        final List<Double> wall = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();

        void time(Run run) throws Exception {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            run.run();
            wall.add((System.nanoTime() - t0) / 1e6);
            cpu.add((THREADS.getCurrentThreadCpuTime() - c0) / 1e6);
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void measure() throws Exception {
        NpmPackage pkg = NpmPackage.fromTarball(Path.of(System.getProperty("keshikaran.nsfwjs.tarball")));
        List<Path> images = images();
        String dump = System.getProperty("keshikaran.benchmark.dump");
        log("Images: %d from %s", images.size(), System.getProperty("keshikaran.benchmark.images"));
        log("CPU: %d available processors, load average %.2f; ORT intra-op threads 1; optimization ALL",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        log("Wall = elapsed time; CPU = CPU time of the calling thread, which with one intra-op thread is where ORT"
                + " does the work, and which background load barely affects.");
        for (NsfwjsModels.Model model : NsfwjsModels.Model.values()) {
            boolean small = model != NsfwjsModels.Model.INCEPTION_V3;
            Map<WeightStorage, byte[]> files = new EnumMap<>(WeightStorage.class);
            for (WeightStorage s : WeightStorage.values()) {
                files.put(s, NsfwjsModels.toOnnx(pkg, model, s).toByteArray());
            }
            int size = small ? 224 : 299;
            log("%n### %s (%dx%d)%n", model.id(), size, size);
            log("| storage | file size (bytes) | session load, wall median (min) (ms) | session load, CPU median (ms) "
                    + "| warm latency, wall median / p90 (ms) | warm latency, CPU median (ms) "
                    + "| latency, ORT optimizations off, CPU median (ms) | max abs diff vs float32 |");
            log("|---|---|---|---|---|---|---|---|");

            Map<WeightStorage, Timings> loads = new EnumMap<>(WeightStorage.class);
            for (int round = 0; round < 9; round++) {
                for (WeightStorage s : WeightStorage.values()) {
                    loads.computeIfAbsent(s, k -> new Timings()).time(() -> Onnx.session(files.get(s), true).close());
                }
            }

            List<float[]> inputs = new ArrayList<>();
            for (Path image : images) {
                float[] x = NsfwjsPreprocessing.preprocess(image, size);
                inputs.add(x);
                if (dump != null) {
                    Files.createDirectories(Path.of(dump));
                    ByteBuffer buf = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asFloatBuffer().put(x);
                    Files.write(Path.of(dump, image.getFileName() + "." + size + ".bin"), buf.array());
                }
            }
            if (inputs.isEmpty()) {
                inputs.add(RealNsfwjsModelTest.syntheticInput(size));
            }

            Map<WeightStorage, OrtSession> sessions = new EnumMap<>(WeightStorage.class);
            Map<WeightStorage, List<float[]>> outputs = new EnumMap<>(WeightStorage.class);
            Map<WeightStorage, Timings> latency = new EnumMap<>(WeightStorage.class);
            for (WeightStorage s : WeightStorage.values()) {
                OrtSession session = Onnx.session(files.get(s), true);
                sessions.put(s, session);
                List<float[]> out = new ArrayList<>();
                for (float[] x : inputs) {
                    out.add(Onnx.run(session, x, 1, size, size, 3).values());
                }
                outputs.put(s, out);
                for (int i = 0; i < 10; i++) {
                    Onnx.run(session, inputs.get(0), 1, size, size, 3);
                }
            }
            int perRound = small ? 15 : 5;
            for (int round = 0; round < 20; round++) {
                for (WeightStorage s : WeightStorage.values()) {
                    for (int i = 0; i < perRound; i++) {
                        float[] x = inputs.get(i % inputs.size());
                        latency.computeIfAbsent(s, k -> new Timings())
                                .time(() -> Onnx.run(sessions.get(s), x, 1, size, size, 3));
                    }
                }
            }
            for (OrtSession session : sessions.values()) {
                session.close();
            }

            Map<WeightStorage, Timings> unoptimized = new EnumMap<>(WeightStorage.class);
            for (WeightStorage s : WeightStorage.values()) {
                try (OrtSession session = Onnx.session(files.get(s), false)) {
                    Timings t = new Timings();
                    for (int i = 0; i < 3; i++) {
                        Onnx.run(session, inputs.get(0), 1, size, size, 3);
                    }
                    for (int i = 0; i < (small ? 20 : 6); i++) {
                        t.time(() -> Onnx.run(session, inputs.get(0), 1, size, size, 3));
                    }
                    unoptimized.put(s, t);
                }
            }

            for (WeightStorage s : WeightStorage.values()) {
                double maxDiff = 0;
                for (int i = 0; i < inputs.size(); i++) {
                    float[] a = outputs.get(WeightStorage.FLOAT32).get(i);
                    float[] b = outputs.get(s).get(i);
                    for (int c = 0; c < a.length; c++) {
                        maxDiff = Math.max(maxDiff, Math.abs(a[c] - b[c]));
                    }
                }
                log("| %s | %,d | %.0f (%.0f) | %.0f | %.1f / %.1f | %.1f | %.1f | %.2e |", s.id(), files.get(s).length,
                        percentile(loads.get(s).wall, 50), percentile(loads.get(s).wall, 0),
                        percentile(loads.get(s).cpu, 50),
                        percentile(latency.get(s).wall, 50), percentile(latency.get(s).wall, 90),
                        percentile(latency.get(s).cpu, 50), percentile(unoptimized.get(s).cpu, 50), maxDiff);
            }
            log("%nProbabilities (float32 storage), per image:");
            for (int i = 0; i < inputs.size(); i++) {
                log("- %s: %s", images.isEmpty() ? "synthetic" : images.get(i).getFileName(),
                        Arrays.toString(outputs.get(WeightStorage.FLOAT32).get(i)));
            }
        }
        log("%nLoad average at the end: %.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Files.writeString(Path.of("target", "storage-benchmark.md"), report);
    }

    /** The p-th percentile (0 = min) of measurements, nearest rank; shared with {@link ModelComparisonBenchmark}. */
    static double percentile(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.round(p / 100.0 * (sorted.length - 1)))];
    }

    private static List<Path> images() throws IOException {
        String dir = System.getProperty("keshikaran.benchmark.images");
        if (dir == null) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            return s.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png)$")).sorted().toList();
        }
    }
}
