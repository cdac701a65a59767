package io.keshikaran.djl;

import io.keshikaran.Classifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.JarURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;

import static org.assertj.core.api.Assertions.assertThat;

/** ONNX Runtime's libraries are kept, checked and loaded from the cache instead of extracted at every start. */
@EnabledOnOs(OS.LINUX)
class OnnxRuntimeNativesTest {

    /** Child process: classifies one image on ONNX Runtime, then prints which ONNX Runtime library file it mapped. */
    public static void main(String[] args) throws Exception {
        try (Classifier c = Classifier.builder().optModel("mobilenet_v2").optEngine("onnxruntime").build()) {
            System.out.println("score " + c.classify(Path.of(args[0])).score());
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.endsWith("/libonnxruntime.so")) {
                System.out.println("mapped " + line.substring(line.indexOf('/')));
                return;
            }
        }
    }

    @Test
    void copiesMatchTheJarEntriesAndAreWrittenOnce(@TempDir Path root) throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        Map<String, Path> copies = OnnxRuntimeNatives.cachedCopies(loader, root);

        assertThat(copies).containsOnlyKeys("onnxruntime", "onnxruntime4j_jni");
        for (Map.Entry<String, Path> copy : copies.entrySet()) {
            assertThat(OnnxRuntimeNatives.matches(copy.getValue(), entry(loader, copy.getKey()))).isTrue();
        }
        Path folder = copies.get("onnxruntime").getParent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");

        Object fileKey = Files.readAttributes(copies.get("onnxruntime"), "unix:ino").get("ino");
        assertThat(OnnxRuntimeNatives.cachedCopies(loader, root)).isEqualTo(copies);
        assertThat(Files.readAttributes(copies.get("onnxruntime"), "unix:ino").get("ino")).isEqualTo(fileKey);
    }

    @Test
    void aDamagedOrTruncatedCopyIsWrittenAgain(@TempDir Path root) throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        Path jni = OnnxRuntimeNatives.cachedCopies(loader, root).get("onnxruntime4j_jni");
        byte[] bytes = Files.readAllBytes(jni);
        bytes[bytes.length / 2] ^= 1;
        Files.write(jni, bytes);
        assertThat(OnnxRuntimeNatives.matches(jni, entry(loader, "onnxruntime4j_jni"))).isFalse();

        assertThat(OnnxRuntimeNatives.cachedCopies(loader, root).get("onnxruntime4j_jni")).isEqualTo(jni);
        assertThat(OnnxRuntimeNatives.matches(jni, entry(loader, "onnxruntime4j_jni"))).isTrue();

        Files.write(jni, new byte[] {1, 2, 3});
        OnnxRuntimeNatives.cachedCopies(loader, root);
        assertThat(OnnxRuntimeNatives.matches(jni, entry(loader, "onnxruntime4j_jni"))).isTrue();
        try (var left = Files.list(jni.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("libonnxruntime.so", "libonnxruntime4j_jni.so");
        }
    }

    @Test
    void aFolderOthersMayWriteToIsNotUsed(@TempDir Path root) throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        Path folder = OnnxRuntimeNatives.cachedCopies(loader, root).get("onnxruntime").getParent();
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(OnnxRuntimeNatives.cachedCopies(loader, root)).isNull();
    }

    @Test
    void theEngineLoadsTheCachedLibraryAndNothingIsRewrittenOnTheNextStart(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("engine-cache");
        List<String> first = child(tmp, "-DENGINE_CACHE_DIR=" + cache);
        Path mapped = Path.of(line(first, "mapped "));
        assertThat(mapped).startsWith(cache.resolve("onnxruntime").resolve("natives"));
        Object inode = Files.readAttributes(mapped, "unix:ino").get("ino");

        List<String> second = child(tmp, "-DENGINE_CACHE_DIR=" + cache);
        assertThat(Path.of(line(second, "mapped "))).isEqualTo(mapped);
        assertThat(Files.readAttributes(mapped, "unix:ino").get("ino")).isEqualTo(inode);
        assertThat(line(second, "score ")).isEqualTo(line(first, "score "));

        // Turned off, ONNX Runtime extracts its library as before, and scores the same.
        List<String> off = child(tmp, "-DENGINE_CACHE_DIR=" + tmp.resolve("unused"),
                "-D" + OnnxRuntimeNatives.CACHE_PROPERTY + "=false");
        assertThat(line(off, "mapped ")).doesNotStartWith(tmp.resolve("unused").toString());
        assertThat(tmp.resolve("unused")).doesNotExist();
        assertThat(line(off, "score ")).isEqualTo(line(first, "score "));
    }

    private static List<String> child(Path tmp, String... properties) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile(tmp, "child", ".log");
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OnnxRuntimeNativesTest.class.getName(),
                Fixtures.image("dog.jpg").toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        List<String> lines = Files.readAllLines(log);
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        return lines;
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in " + lines));
    }

    private static JarEntry entry(ClassLoader loader, String library) throws IOException {
        String resource = "ai/onnxruntime/native/" + OnnxRuntimeNatives.platform() + "/" + System.mapLibraryName(library);
        return ((JarURLConnection) loader.getResource(resource).openConnection()).getJarEntry();
    }
}
