package io.keshikaran.converter;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.sun.management.OperatingSystemMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Compares the bundled models (the files in keshikaran-models): file size, session load and warm single-image
 * latency on ONNX Runtime with 1 and 2 intra-op threads. Not part of the normal build:
 *
 * <pre>
 * mvn -pl keshikaran-converter test -Dtest=ModelComparisonBenchmark -Dkeshikaran.benchmark=true
 * </pre>
 *
 * <p>The machine is shared with other builds, so wall-clock numbers are inflated by whatever else runs; the table
 * therefore also reports CPU time, which background load barely changes: with 1 intra-op thread the CPU time of the
 * calling thread (where ORT then does all the work), with 2 the CPU time of the whole process per inference,
 * measured over each block of consecutive runs (the median over blocks). The
 * models are measured interleaved, round by round, so that load bursts hit them alike; minima show what the
 * machine does when it is quiet. Results go to stdout and {@code target/model-comparison.md}.
 */
@EnabledIfSystemProperty(named = "keshikaran.benchmark", matches = "true")
class ModelComparisonBenchmark {

    private static final List<String> MODELS = List.of("mobilenet_v2", "mobilenet_v2_mid", "inception_v3");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final StringBuilder report = new StringBuilder();

    private void log(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println(line);
        report.append(line).append('\n');
    }

    /** Per-run wall and calling-thread CPU milliseconds, and process CPU milliseconds per run of each block. */
    private static final class Samples {
        final List<Double> wall = new ArrayList<>();
        final List<Double> threadCpu = new ArrayList<>();
        final List<Double> processCpuPerRunOfBlocks = new ArrayList<>();
    }

    @Test
    void measure() throws Exception {
        Path root = Path.of(System.getProperty("keshikaran.bundled.models"));
        List<float[]> images224 = inputs(224);
        List<float[]> images299 = inputs(299);
        log("CPU: %d available processors, load average %.2f at start; ONNX Runtime %s (Java API), optimization ALL,"
                        + " batch 1, %d fixture images", Runtime.getRuntime().availableProcessors(),
                OS.getSystemLoadAverage(), OrtEnvironment.getEnvironment().getVersion(), images224.size());
        for (int threads : new int[] {1, 2}) {
            Map<String, OrtSession> sessions = new LinkedHashMap<>();
            Map<String, Samples> loads = new LinkedHashMap<>();
            Map<String, Samples> runs = new LinkedHashMap<>();
            for (String model : MODELS) {
                byte[] bytes = Files.readAllBytes(root.resolve(model).resolve("model.onnx"));
                Samples load = new Samples();
                for (int i = 0; i < 5; i++) {
                    OrtSession s = time(load, () -> session(bytes, threads));
                    if (i < 4) {
                        s.close();
                    } else {
                        sessions.put(model, s);
                    }
                }
                loads.put(model, load);
                runs.put(model, new Samples());
                List<float[]> in = model.equals("inception_v3") ? images299 : images224;
                int size = model.equals("inception_v3") ? 299 : 224;
                for (int i = 0; i < 10; i++) {
                    Onnx.run(sessions.get(model), in.get(i % in.size()), 1, size, size, 3);
                }
            }
            for (int round = 0; round < 20; round++) {
                for (String model : MODELS) {
                    boolean big = model.equals("inception_v3");
                    List<float[]> in = big ? images299 : images224;
                    int size = big ? 299 : 224;
                    int count = big ? 5 : 20;
                    long processCpu = OS.getProcessCpuTime();
                    for (int i = 0; i < count; i++) {
                        float[] x = in.get(i % in.size());
                        time(runs.get(model), () -> Onnx.run(sessions.get(model), x, 1, size, size, 3));
                    }
                    // Process CPU time ticks in 10 ms steps here: only a block of runs measures it usefully.
                    runs.get(model).processCpuPerRunOfBlocks.add((OS.getProcessCpuTime() - processCpu) / 1e6 / count);
                }
            }
            sessions.values().forEach(s -> {
                try {
                    s.close();
                } catch (OrtException e) {
                    throw new IllegalStateException(e);
                }
            });
            log("%n### %d intra-op thread%s (load average now %.2f)%n", threads, threads == 1 ? "" : "s",
                    OS.getSystemLoadAverage());
            log("| model | file size (bytes) | session load wall, median (ms) | warm latency wall, min / median / p90 (ms)"
                    + " | warm latency CPU, median (ms) | runs |");
            log("|---|---|---|---|---|---|");
            for (String model : MODELS) {
                Samples r = runs.get(model);
                List<Double> cpu = threads == 1 ? r.threadCpu : r.processCpuPerRunOfBlocks;
                log("| %s | %,d | %.0f | %.1f / %.1f / %.1f | %.1f (%s) | %d |", model,
                        Files.size(root.resolve(model).resolve("model.onnx")), StorageBenchmark.percentile(loads.get(model).wall, 50),
                        StorageBenchmark.percentile(r.wall, 0), StorageBenchmark.percentile(r.wall, 50), StorageBenchmark.percentile(r.wall, 90), StorageBenchmark.percentile(cpu, 50),
                        threads == 1 ? "calling thread" : "process", r.wall.size());
            }
        }
        Files.writeString(Path.of("target", "model-comparison.md"), report);
    }

    private interface Timed<T> {
        T run() throws Exception;
    }

    private static <T> T time(Samples samples, Timed<T> work) throws Exception {
        long threadCpu = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        T result = work.run();
        samples.wall.add((System.nanoTime() - t0) / 1e6);
        samples.threadCpu.add((THREADS.getCurrentThreadCpuTime() - threadCpu) / 1e6);
        return result;
    }

    private static OrtSession session(byte[] model, int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setIntraOpNumThreads(threads);
        return OrtEnvironment.getEnvironment().createSession(model, options);
    }

    private static List<float[]> inputs(int size) throws Exception {
        Path images = Path.of(System.getProperty("keshikaran.fixtures", "")).resolve("images");
        List<float[]> inputs = new ArrayList<>();
        if (Files.isDirectory(images)) {
            try (Stream<Path> s = Files.list(images)) {
                for (Path p : s.filter(f -> f.toString().matches("(?i).*\\.(jpe?g|png)$")).sorted().toList()) {
                    inputs.add(NsfwjsPreprocessing.preprocess(p, size));
                }
            }
        }
        if (inputs.isEmpty()) {
            inputs.add(RealNsfwjsModelTest.syntheticInput(size));
        }
        return inputs;
    }
}
