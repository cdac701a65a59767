package io.keshikaran.djl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes the {@code onnxruntime-java*} folder ONNX Runtime leaves in {@code java.io.tmpdir}. ONNX
 * Runtime 1.21 extracts its native libraries into a new temporary folder and marks the folder and
 * then each library for deletion on exit; the JVM deletes in reverse order, so it tries the folder
 * while it still holds the libraries, fails, and an empty folder stays behind after every run.
 *
 * <p>The folder is recognised as the one that appeared while this process started the engine, and a
 * shutdown hook (which runs before the JVM's own deletions) removes it with its content; the loaded
 * libraries stay mapped, so deleting their files is harmless on Linux and macOS. Engine start
 * happens once per process, so this does too.
 */
final class NativeTempFolders {
    private static final Logger LOG = LoggerFactory.getLogger(NativeTempFolders.class);
    private static final String PREFIX = "onnxruntime-java";
    private static Set<Path> before;
    private static boolean done;

    private NativeTempFolders() {
    }

    static synchronized void beforeStart() {
        if (!done && before == null) {
            before = list();
        }
    }

    static synchronized void afterStart() {
        if (done || before == null) {
            return;
        }
        done = true;
        Set<Path> created = list();
        created.removeAll(before);
        before = null;
        if (created.isEmpty()) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> created.forEach(NativeTempFolders::delete),
                "keshikaran-onnxruntime-temp-cleanup"));
    }

    private static Set<Path> list() {
        Set<Path> found = new HashSet<>();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            dirs.forEach(found::add);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot list {}: {}", tmp, e.toString());
        }
        return found;
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // A folder we cannot delete is the state ONNX Runtime would have left anyway.
        }
    }
}
