package io.keshikaran.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Finds the images the benchmarks run on. */
final class BenchImages {
    private BenchImages() {
    }

    /** An encoded image held in memory. */
    record Encoded(String name, byte[] bytes) {
    }

    /**
     * The repository's {@code fixtures/images}: the {@code keshikaran.fixtures} property's
     * {@code images} folder, or {@code fixtures/images} under the working directory or a parent.
     */
    static Path fixtureImages() {
        String prop = System.getProperty("keshikaran.fixtures");
        if (prop != null) {
            return requireDir(Path.of(prop, "images"));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("fixtures/images");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("fixtures/images not found: run from the repository or set -Dkeshikaran.fixtures=DIR");
    }

    /**
     * Where tools/bench/make-bench-images.sh writes its generated photos: {@code tools/bench/out}
     * beside the fixtures, or the {@code keshikaran.bench.out} property.
     */
    static Path generatedImages() {
        String prop = System.getProperty("keshikaran.bench.out");
        Path dir = prop != null ? Path.of(prop) : fixtureImages().getParent().getParent().resolve("tools/bench/out");
        return requireDir(dir);
    }

    static Path requireDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("folder not found: " + dir.toAbsolutePath());
        }
        return dir;
    }

    /** Image files (png, jpg, jpeg, webp, gif) under a folder, recursively, sorted. */
    static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.walk(requireDir(dir))) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g|webp|gif)"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Encoded> read(List<Path> files) {
        List<Encoded> out = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                out.add(new Encoded(f.getFileName().toString(), Files.readAllBytes(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Resident set size and its peak, from /proc/self/status, in MiB; -1 where unavailable. */
    static long[] rssMiB() {
        long rss = -1;
        long hwm = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line) / 1024;
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line) / 1024;
                }
            }
        } catch (IOException e) {
            // Not Linux: RSS stays unknown.
        }
        return new long[] {rss, hwm};
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
