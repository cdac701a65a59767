package io.keshikaran.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link AtomicFiles}: the target is replaced whole, and no temporary file is left either way. */
class AtomicFilesTest {
    @Test
    void replacesTheTargetAndLeavesNothingElse(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("report.html");
        Files.writeString(target, "old, longer content");
        AtomicFiles.writeString(target, "new é");
        assertThat(Files.readString(target)).isEqualTo("new é");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    /** Writers of one target at once never share a temporary file: each write succeeds, whole. */
    @Test
    void concurrentWritesOfOneTargetAllSucceed(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("thresholds.properties");
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String text = ("write " + i + "\n").repeat(100);
                writes.add(threads.submit(() -> {
                    AtomicFiles.writeString(target, text);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> w : writes) {
                w.get(); // a shared temporary name failed some with FileAlreadyExistsException
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(Files.readString(target)).matches("(write \\d+\n){100}");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFailedMoveLeavesTheTargetAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        // A directory of that name cannot be replaced by a file.
        Path target = Files.createDirectory(dir.resolve("thresholds.properties"));
        Files.writeString(target.resolve("inside"), "x");
        assertThatThrownBy(() -> AtomicFiles.writeString(target, "a=1")).isInstanceOf(IOException.class);
        assertThat(target).isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }
}
