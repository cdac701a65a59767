package io.keshikaran.djl;

import ai.djl.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * Keeps ONNX Runtime's native libraries in DJL's engine cache folder and points ONNX Runtime at
 * them there, so that a JVM maps the libraries instead of extracting them again. ONNX Runtime 1.21
 * otherwise inflates its 20 MB library out of its jar into a new temporary folder at every start:
 * 80-100 ms of the CLI's 0.55 s on one small image (docs/performance.md, "Start-up").
 *
 * <p>A copy is used only once it matches the jar entry's size and CRC-32, checked at every start
 * (a few milliseconds), so a partly written, damaged or replaced file is written again rather than
 * loaded; copies are written under a temporary name and moved into place, so concurrent JVMs never
 * load half a file. The folder ({@code <DJL engine cache>/onnxruntime/natives/<platform>-<CRC-32s>},
 * DJL's {@code ENGINE_CACHE_DIR} or {@code DJL_CACHE_DIR} move it) is created readable by its
 * owner only, and a folder others may write to is not used. Anything unexpected (no such entry
 * for the platform, ONNX Runtime not in a jar, a read-only or foreign folder) leaves ONNX Runtime
 * to extract as it always does. An explicit choice wins: nothing is done when
 * {@code onnxruntime.native.path} or a library's {@code onnxruntime.native.<library>.path} is set,
 * or when {@value #CACHE_PROPERTY} is {@code false}.
 */
final class OnnxRuntimeNatives {
    /** The system property that turns the cache off when {@code false}. */
    static final String CACHE_PROPERTY = "keshikaran.onnxruntime.nativeCache";
    private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimeNatives.class);
    /** What ONNX Runtime's CPU jar loads at start, in its loading order. */
    private static final String[] LIBRARIES = {"onnxruntime", "onnxruntime4j_jni"};
    private static boolean done;

    private OnnxRuntimeNatives() {
    }

    /**
     * Points ONNX Runtime at verified copies of its libraries in the cache, once per JVM, before
     * ONNX Runtime loads them; on any failure ONNX Runtime extracts them itself.
     *
     * @param classLoader the class loader ONNX Runtime's classes come from
     */
    static synchronized void useCache(ClassLoader classLoader) {
        if (done) {
            return;
        }
        done = true;
        if ("false".equalsIgnoreCase(System.getProperty(CACHE_PROPERTY)) || explicitChoice()) {
            return;
        }
        try {
            Map<String, Path> copies = cachedCopies(classLoader, Utils.getEngineCacheDir("onnxruntime").resolve("natives"));
            if (copies == null) {
                return;
            }
            copies.forEach((library, file) -> System.setProperty(pathProperty(library), file.toString()));
            LOG.debug("ONNX Runtime's libraries load from {}", copies.values());
        } catch (IOException | RuntimeException e) {
            LOG.debug("ONNX Runtime extracts its libraries itself: cannot use the cache: {}", e.toString());
        }
    }

    private static boolean explicitChoice() {
        if (System.getProperty("onnxruntime.native.path") != null) {
            return true;
        }
        for (String library : LIBRARIES) {
            if (System.getProperty(pathProperty(library)) != null) {
                return true;
            }
        }
        return false;
    }

    /** ONNX Runtime's system property for the file of one library. */
    static String pathProperty(String library) {
        return "onnxruntime.native." + library + ".path";
    }

    /**
     * Copies of ONNX Runtime's libraries for this platform in a folder of {@code root}, each the
     * same size and CRC-32 as its jar entry, written first where missing or different.
     *
     * @return the files by library name, or {@code null} when they cannot be cached: ONNX
     *         Runtime's jar holds none for this platform, its classes are not in a jar, or the
     *         folder may be written by others
     * @throws IOException the folder cannot be created or written, or a copy does not match
     */
    static Map<String, Path> cachedCopies(ClassLoader classLoader, Path root) throws IOException {
        String platform = platform();
        if (platform == null) {
            return null;
        }
        Map<String, JarEntry> entries = new LinkedHashMap<>();
        Map<String, URL> urls = new LinkedHashMap<>();
        StringBuilder folderName = new StringBuilder(platform);
        for (String library : LIBRARIES) {
            URL url = classLoader.getResource(resourceName(platform, library));
            if (url == null) {
                return null;
            }
            URLConnection connection = url.openConnection();
            if (!(connection instanceof JarURLConnection jar)) {
                return null;
            }
            JarEntry entry = jar.getJarEntry();
            if (entry.getSize() < 0 || entry.getCrc() < 0) {
                return null;
            }
            entries.put(library, entry);
            urls.put(library, url);
            folderName.append('-').append(Long.toHexString(entry.getCrc()));
        }
        Path folder = root.resolve(folderName.toString());
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(root);
            try {
                Files.createDirectory(folder, ownerOnly());
            } catch (FileAlreadyExistsException e) {
                // Another JVM made it meanwhile.
            }
        }
        if (othersMayWrite(folder)) {
            return null;
        }
        Map<String, Path> copies = new LinkedHashMap<>();
        for (String library : LIBRARIES) {
            JarEntry entry = entries.get(library);
            Path file = folder.resolve(fileName(library));
            if (!matches(file, entry)) {
                write(urls.get(library), entry, file);
            }
            copies.put(library, file);
        }
        return copies;
    }

    /** ONNX Runtime's own name for this platform's folder in its jar, or {@code null} for one it has none for. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx"
                : os.contains("win") ? "win" : null;
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        return osName == null || archName == null ? null : osName + "-" + archName;
    }

    private static String fileName(String library) {
        return System.mapLibraryName(library).replace("jnilib", "dylib");
    }

    private static String resourceName(String platform, String library) {
        return "ai/onnxruntime/native/" + platform + "/" + fileName(library);
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))};
    }

    private static boolean othersMayWrite(Path folder) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return false;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(folder);
        return permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** Whether the file exists with the entry's size and CRC-32. */
    static boolean matches(Path file, JarEntry entry) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != entry.getSize()) {
            return false;
        }
        CRC32 crc = new CRC32();
        // Read, not mapped: a mapping would count in the resident size until the GC dropped it.
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue() == entry.getCrc();
    }

    /** Writes the entry under a temporary name beside {@code file}, checks it, and moves it into place. */
    private static void write(URL url, JarEntry entry, Path file) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            CRC32 crc = new CRC32();
            long size = 0;
            try (InputStream in = url.openStream(); OutputStream out = Files.newOutputStream(temporary)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; size += n) {
                    crc.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            if (size != entry.getSize() || crc.getValue() != entry.getCrc()) {
                throw new IOException("the copy of " + entry.getName() + " does not match its jar entry");
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
