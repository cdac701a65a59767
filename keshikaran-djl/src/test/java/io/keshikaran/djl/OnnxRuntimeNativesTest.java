package io.keshikaran.djl;

import io.keshikaran.Classifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** ONNX Runtime's libraries are kept, checked and loaded from the cache instead of extracted at every start. */
@EnabledOnOs(OS.LINUX)
class OnnxRuntimeNativesTest {

    /** Child process: classifies one image on ONNX Runtime, then prints which ONNX Runtime library file it mapped. */
    public static void main(String[] args) throws Exception {
        try (Classifier c = Classifier.builder().optModel("mobilenet_v2").optEngine("onnxruntime").build()) {
            System.out.println("score " + c.classify(Path.of(args[0])).score());
        }
        System.out.println("property after start " + System.getProperty(OnnxRuntimeNatives.pathProperty("onnxruntime")));
        String main = null;
        String jni = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (main == null && line.endsWith("/libonnxruntime.so")) {
                main = line.substring(line.indexOf('/'));
            } else if (jni == null && line.endsWith("/libonnxruntime4j_jni.so")) {
                jni = line.substring(line.indexOf('/'));
            }
        }
        System.out.println("mapped " + main);
        System.out.println("mapped jni " + jni);
        // A second copy of ONNX Runtime's classes (as a redeployed web application has) must still
        // start: the JVM refuses to load one library file into two class loaders.
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        try (URLClassLoader second = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class.forName("ai.onnxruntime.OrtEnvironment", true, second).getMethod("getEnvironment").invoke(null);
            System.out.println("second class loader started");
        } catch (ReflectiveOperationException | LinkageError e) {
            // Expected only where the user named the library file: ONNX Runtime then loads that one file everywhere.
            System.out.println("second class loader failed: " + e);
        }
    }

    @Test
    void copiesMatchTheJarEntriesAndAreWrittenOnce(@TempDir Path root) throws IOException {
        Class<?> runtime = onnxRuntime();
        Map<String, Path> copies = OnnxRuntimeNatives.cachedCopies(runtime, root);

        assertThat(copies).containsOnlyKeys("onnxruntime", "onnxruntime4j_jni");
        for (Map.Entry<String, Path> copy : copies.entrySet()) {
            assertThat(OnnxRuntimeNatives.matches(copy.getValue(), entry(runtime, copy.getKey()))).isTrue();
        }
        Path folder = copies.get("onnxruntime").getParent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");

        Object fileKey = Files.readAttributes(copies.get("onnxruntime"), "unix:ino").get("ino");
        assertThat(OnnxRuntimeNatives.cachedCopies(runtime, root)).isEqualTo(copies);
        assertThat(Files.readAttributes(copies.get("onnxruntime"), "unix:ino").get("ino")).isEqualTo(fileKey);
    }

    @Test
    void aDamagedOrTruncatedCopyIsWrittenAgain(@TempDir Path root) throws IOException {
        Class<?> runtime = onnxRuntime();
        Path jni = OnnxRuntimeNatives.cachedCopies(runtime, root).get("onnxruntime4j_jni");
        byte[] bytes = Files.readAllBytes(jni);
        bytes[bytes.length / 2] ^= 1;
        Files.write(jni, bytes);
        assertThat(OnnxRuntimeNatives.matches(jni, entry(runtime, "onnxruntime4j_jni"))).isFalse();

        assertThat(OnnxRuntimeNatives.cachedCopies(runtime, root).get("onnxruntime4j_jni")).isEqualTo(jni);
        assertThat(OnnxRuntimeNatives.matches(jni, entry(runtime, "onnxruntime4j_jni"))).isTrue();

        Files.write(jni, new byte[] {1, 2, 3});
        OnnxRuntimeNatives.cachedCopies(runtime, root);
        assertThat(OnnxRuntimeNatives.matches(jni, entry(runtime, "onnxruntime4j_jni"))).isTrue();
        try (var left = Files.list(jni.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("libonnxruntime.so", "libonnxruntime4j_jni.so");
        }
    }

    @Test
    void aFolderOthersMayWriteToIsNotUsed(@TempDir Path root) throws IOException {
        Class<?> runtime = onnxRuntime();
        Path folder = OnnxRuntimeNatives.cachedCopies(runtime, root).get("onnxruntime").getParent();
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(OnnxRuntimeNatives.cachedCopies(runtime, root)).isNull();
    }

    @Test
    void theEngineLoadsTheCachedLibraryAndNothingIsRewrittenOnTheNextStart(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("engine-cache");
        List<String> first = child(tmp, "-DENGINE_CACHE_DIR=" + cache);
        Path mapped = Path.of(line(first, "mapped "));
        assertThat(mapped).startsWith(cache.resolve("onnxruntime").resolve("natives"));
        assertThat(Path.of(line(first, "mapped jni "))).isEqualTo(mapped.resolveSibling("libonnxruntime4j_jni.so"));
        assertThat(line(first, "property after start ")).isEqualTo("null");
        assertThat(first).contains("second class loader started");
        Object inode = Files.readAttributes(mapped, "unix:ino").get("ino");

        List<String> second = child(tmp, "-DENGINE_CACHE_DIR=" + cache);
        assertThat(Path.of(line(second, "mapped "))).isEqualTo(mapped);
        assertThat(Files.readAttributes(mapped, "unix:ino").get("ino")).isEqualTo(inode);
        assertThat(line(second, "score ")).isEqualTo(line(first, "score "));

        // Turned off, ONNX Runtime extracts its library as before, and scores the same.
        List<String> off = child(tmp, "-DENGINE_CACHE_DIR=" + tmp.resolve("unused"),
                "-D" + OnnxRuntimeNatives.CACHE_PROPERTY + "=false");
        assertThat(line(off, "mapped ")).startsWith(tmp.resolve("child-tmp").resolve("onnxruntime-java").toString());
        assertThat(tmp.resolve("unused")).doesNotExist();
        assertThat(line(off, "score ")).isEqualTo(line(first, "score "));

        // An explicit choice wins: the library named is loaded and nothing is cached.
        List<String> chosen = child(tmp, "-DENGINE_CACHE_DIR=" + tmp.resolve("unused"),
                "-D" + OnnxRuntimeNatives.pathProperty("onnxruntime") + "=" + mapped);
        assertThat(Path.of(line(chosen, "mapped "))).isEqualTo(mapped);
        assertThat(line(chosen, "property after start ")).isEqualTo(mapped.toString());
        assertThat(line(chosen, "second class loader ")).startsWith("failed").contains("already loaded in another classloader");
        assertThat(tmp.resolve("unused")).doesNotExist();
    }

    @Test
    void onnxRuntimeIsPointedAtTheRealPathNotThroughALink(@TempDir Path tmp) throws IOException {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        Map<String, Path> copies = OnnxRuntimeNatives.cachedCopies(onnxRuntime(), link.resolve("natives"));

        assertThat(copies.values()).allSatisfy(file -> assertThat(file).startsWith(real.toRealPath()));
    }

    @Test
    void aJarWithMoreLibrariesForThePlatformIsLeftToOnnxRuntime(@TempDir Path tmp) throws IOException {
        // As ONNX Runtime's GPU jar: its providers are looked for beside libonnxruntime.
        Path jar = tmp.resolve("onnxruntime_gpu.jar");
        String folder = "ai/onnxruntime/native/linux-x64/";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("libonnxruntime.so", "libonnxruntime4j_jni.so", "libonnxruntime_providers_cuda.so")) {
                out.putNextEntry(new JarEntry(folder + name));
                out.write(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.closeEntry();
            }
        }
        URL first = new URL("jar:" + jar.toUri() + "!/" + folder + "libonnxruntime.so");

        assertThat(OnnxRuntimeNatives.cachedCopies(first, "linux-x64", tmp.resolve("cache"))).isNull();
        assertThat(tmp.resolve("cache")).doesNotExist();
    }

    @Test
    void nothingIsCreatedBelowAFolderOthersMayWriteTo(@TempDir Path tmp) throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(OnnxRuntimeNatives.cachedCopies(onnxRuntime(), shared.resolve("djl").resolve("natives"))).isNull();
        assertThat(shared.resolve("djl")).doesNotExist();
    }

    @Test
    void missingFoldersAreMadeForTheirOwnerAloneAndAbandonedCopiesRemoved(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("djl").resolve("onnxruntime").resolve("natives");
        Path folder = OnnxRuntimeNatives.cachedCopies(onnxRuntime(), root).get("onnxruntime").getParent();
        for (Path level = folder; !level.equals(tmp); level = level.getParent()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(level))).as("%s", level).isEqualTo("rwx------");
        }

        Path abandoned = Files.write(folder.resolve("libonnxruntime.so123.tmp"), new byte[] {1});
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path writing = Files.write(folder.resolve("libonnxruntime.so456.tmp"), new byte[] {1});
        OnnxRuntimeNatives.cachedCopies(onnxRuntime(), root);
        assertThat(abandoned).doesNotExist();
        assertThat(writing).exists();
    }

    @Test
    void aCacheInTheTemporaryFolderIsNotUsed(@TempDir Path tmp) throws Exception {
        // As DJL's cache is where the home folder is not writable: ONNX Runtime extracts as before.
        List<String> lines = child(tmp, "-DENGINE_CACHE_DIR=" + tmp.resolve("child-tmp").resolve(".djl.ai"));
        assertThat(line(lines, "mapped ")).startsWith(tmp.resolve("child-tmp").resolve("onnxruntime-java").toString());
        assertThat(tmp.resolve("child-tmp").resolve(".djl.ai")).doesNotExist();
    }

    @Test
    void aFolderIsTrustedOnlyWhenNoOtherUserCanWriteToItOrAboveIt(@TempDir Path tmp) throws IOException {
        Path mine = Files.createDirectory(tmp.resolve("mine"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        assertThat(OnnxRuntimeNatives.trusted(mine, true)).as("under %s", tmp).isTrue();

        Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(OnnxRuntimeNatives.trusted(mine, true)).as("writable by its group").isFalse();

        Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwx------"));
        Path shared = tmp.resolve("shared");
        Files.createDirectory(shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path below = Files.createDirectory(shared.resolve("below"));
        assertThat(OnnxRuntimeNatives.trusted(below, true)).as("below a world-writable folder without the sticky bit").isFalse();

        Path link = Files.createSymbolicLink(tmp.resolve("link"), mine);
        assertThat(OnnxRuntimeNatives.trusted(link, true)).as("a symbolic link").isFalse();
    }

    private static List<String> child(Path tmp, String... properties) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile(tmp, "child", ".log");
        // The child's temporary folder is one of its own, beside the cache: a cache inside the
        // temporary folder is not used.
        Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));
        List<String> command = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + childTmp));
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

    private static JarEntry entry(Class<?> runtime, String library) throws IOException {
        String resource = "/" + OnnxRuntimeNatives.resourceName(OnnxRuntimeNatives.platform(), library);
        return ((JarURLConnection) runtime.getResource(resource).openConnection()).getJarEntry();
    }

    private static Class<?> onnxRuntime() {
        try {
            return Class.forName("ai.onnxruntime.OnnxRuntime", false, OnnxRuntimeNativesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
