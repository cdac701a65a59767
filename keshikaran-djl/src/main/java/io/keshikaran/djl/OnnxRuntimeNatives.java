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
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.CRC32;

/**
 * Keeps ONNX Runtime's native libraries in DJL's engine cache folder and points ONNX Runtime at
 * them there for its start, so that a JVM maps the libraries instead of extracting them again.
 * ONNX Runtime 1.21 otherwise inflates its 20 MB library out of its jar into a new temporary folder
 * at every start: 50-70 ms of the CLI's 0.55 s on one small image (docs/performance.md, "Start-up").
 *
 * <p>When it is used: ONNX Runtime's classes come from the system class loader (an application or
 * the CLI, not a web application, which may be loaded twice and whose second copy could not load
 * the same library file again), from a jar holding libraries for this platform; the platform has
 * POSIX file permissions; and nobody chose otherwise ({@code onnxruntime.native.path} or a
 * library's {@code onnxruntime.native.<library>.path} set, or {@value #CACHE_PROPERTY} set to
 * {@code false}). Otherwise, and on any failure, ONNX Runtime extracts its libraries as it always
 * does.
 *
 * <p>What is trusted: the folder ({@code <DJL engine cache>/onnxruntime/natives/<platform>-<CRC-32s>},
 * moved by DJL's {@code ENGINE_CACHE_DIR} or {@code DJL_CACHE_DIR}) is created for its owner alone;
 * it and every folder above it must belong to this user or root and must not be writable by others
 * (a world-writable folder only with its sticky bit, like {@code /tmp}), as OpenSSH checks its
 * files, and a cache under {@code java.io.tmpdir} (where DJL goes when the home folder is not
 * writable) is not used. A copy is used only once it matches the jar entry's size and CRC-32,
 * checked at every start (a few milliseconds), so a partly written or damaged file is written
 * again; copies are written under a temporary name and moved into place, so concurrent JVMs never
 * load half a file; and a folder on a file system mounted {@code noexec}, where the library could
 * not be mapped, is not used. The properties that point ONNX Runtime at the copies are removed
 * again once the engine has started ({@link #engineStarted}).
 */
final class OnnxRuntimeNatives {
    /** The system property that turns the cache off when {@code false}. */
    static final String CACHE_PROPERTY = "keshikaran.onnxruntime.nativeCache";
    private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimeNatives.class);
    /** What ONNX Runtime's CPU jar loads at start, in its loading order. */
    private static final String[] LIBRARIES = {"onnxruntime", "onnxruntime4j_jni"};
    /** A folder's write bits for its group and others, and its sticky bit, in {@code unix:mode}. */
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int STICKY = 01000;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static boolean done;
    /** The properties set for the engine start under way, to remove once it is over. */
    private static final List<String> SET = new ArrayList<>();

    private OnnxRuntimeNatives() {
    }

    /**
     * Points ONNX Runtime at verified copies of its libraries in the cache, once per JVM, for the
     * engine start that follows (until {@link #engineStarted}); on any failure ONNX Runtime
     * extracts them itself.
     *
     * @param classLoader the class loader the engine is looked up with
     */
    static synchronized void useCache(ClassLoader classLoader) {
        if (done) {
            return;
        }
        done = true;
        try {
            if ("false".equalsIgnoreCase(System.getProperty(CACHE_PROPERTY)) || explicitChoice()) {
                return;
            }
            Class<?> runtime = Class.forName("ai.onnxruntime.OnnxRuntime", false, classLoader);
            if (runtime.getClassLoader() != ClassLoader.getSystemClassLoader()) {
                LOG.debug("ONNX Runtime extracts its libraries itself: its classes are not on the system class path");
                return;
            }
            Path root = Utils.getEngineCacheDir("onnxruntime").resolve("natives").toAbsolutePath();
            if (root.startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath())) {
                LOG.debug("ONNX Runtime extracts its libraries itself: DJL's cache {} is in the temporary folder", root);
                return;
            }
            Map<String, Path> copies = cachedCopies(runtime, root);
            if (copies == null) {
                return;
            }
            copies.forEach((library, file) -> {
                System.setProperty(pathProperty(library), file.toString());
                SET.add(pathProperty(library));
            });
            LOG.debug("ONNX Runtime's libraries load from {}", copies.values());
        } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("ONNX Runtime extracts its libraries itself: cannot use the cache: {}", e.toString());
        }
    }

    /**
     * Removes the properties {@link #useCache} set, once the engine start they were for is over
     * (ONNX Runtime has loaded its libraries, or failed to): another class loader that starts ONNX
     * Runtime later then extracts its own copy, as it must.
     */
    static synchronized void engineStarted() {
        SET.forEach(System::clearProperty);
        SET.clear();
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
     * same size and CRC-32 as its entry in the jar that holds {@code runtime}'s class (where ONNX
     * Runtime reads them), written first where missing or different.
     *
     * @param runtime a class of ONNX Runtime ({@code ai.onnxruntime.OnnxRuntime})
     * @return the files by library name, or {@code null} when they cannot be cached: ONNX
     *         Runtime's jar holds none for this platform, its classes are not in a jar, the file
     *         system has no POSIX permissions or does not allow mapping code, or the folder or one
     *         above it may be written by others
     * @throws IOException the folder cannot be created or written, or a copy does not match
     */
    static Map<String, Path> cachedCopies(Class<?> runtime, Path root) throws IOException {
        String platform = platform();
        if (platform == null || !FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
            return null;
        }
        URL first = runtime.getResource("/" + resourceName(platform, LIBRARIES[0]));
        return first == null ? null : cachedCopies(first, platform, root);
    }

    /**
     * {@link #cachedCopies(Class, Path)} from the URL of the jar entry of ONNX Runtime's main
     * library for {@code platform}.
     */
    static Map<String, Path> cachedCopies(URL first, String platform, Path root) throws IOException {
        URLConnection connection = first.openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
            return null;
        }
        // Uncached, so the jar is closed again below rather than held open for the JVM's life.
        jarConnection.setUseCaches(false);
        try (JarFile jar = jarConnection.getJarFile()) {
            if (!onlyTheCpuLibraries(jar, platform)) {
                // Such as ONNX Runtime's GPU jar: its provider libraries, which it extracts to its
                // temporary folder, are looked for beside libonnxruntime, so that must stay there too.
                return null;
            }
            Map<String, JarEntry> entries = new LinkedHashMap<>();
            StringBuilder folderName = new StringBuilder(platform);
            for (String library : LIBRARIES) {
                JarEntry entry = jar.getJarEntry(resourceName(platform, library));
                if (entry == null || entry.getSize() < 0 || entry.getCrc() < 0) {
                    return null;
                }
                entries.put(library, entry);
                folderName.append('-').append(Long.toHexString(entry.getCrc()));
            }
            Path folder = root.resolve(folderName.toString());
            if (!createTrusted(folder)) {
                LOG.debug("not caching ONNX Runtime's libraries in {}: it or a folder above it is not this user's alone", folder);
                return null;
            }
            // The checked path, not one through links, which someone could change before ONNX Runtime loads it.
            folder = folder.toRealPath();
            Path main = folder.resolve(fileName(LIBRARIES[0]));
            // access(X_OK) fails on a file system mounted noexec, where dlopen could not map the
            // library: asked of an earlier copy before reading it, of a new one once written.
            if (Files.isRegularFile(main, LinkOption.NOFOLLOW_LINKS)
                    && Files.getPosixFilePermissions(main).contains(PosixFilePermission.OWNER_EXECUTE)
                    && !Files.isExecutable(main)) {
                return noexec(folder);
            }
            removeAbandonedCopies(folder);
            Map<String, Path> copies = new LinkedHashMap<>();
            for (String library : LIBRARIES) {
                JarEntry entry = entries.get(library);
                Path file = folder.resolve(fileName(library));
                if (!matches(file, entry)) {
                    write(jar, entry, file);
                } else if (!Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE)) {
                    Files.setPosixFilePermissions(file, OWNER_ONLY);
                }
                copies.put(library, file);
            }
            return Files.isExecutable(main) ? copies : noexec(folder);
        }
    }

    private static Map<String, Path> noexec(Path folder) {
        LOG.debug("not caching ONNX Runtime's libraries in {}: its file system does not allow running code", folder);
        return null;
    }

    /** Whether the jar's folder for this platform holds ONNX Runtime's two CPU libraries and nothing else. */
    private static boolean onlyTheCpuLibraries(JarFile jar, String platform) {
        String prefix = "ai/onnxruntime/native/" + platform + "/";
        List<String> expected = new ArrayList<>();
        for (String library : LIBRARIES) {
            expected.add(resourceName(platform, library));
        }
        return jar.stream().map(JarEntry::getName)
                .filter(name -> name.startsWith(prefix) && name.length() > prefix.length())
                .allMatch(expected::contains);
    }

    /**
     * Makes {@code folder} where it is missing, each missing level for its owner alone, once the
     * nearest folder that exists is {@link #trusted}, so that nothing is made in a place that is
     * not this user's; then checks {@code folder} itself.
     */
    private static boolean createTrusted(Path folder) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            Path existing = folder.getParent();
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null || !trusted(existing, false)) {
                return false;
            }
            for (Path level : existing.relativize(folder)) {
                existing = existing.resolve(level);
                try {
                    Files.createDirectory(existing, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (FileAlreadyExistsException e) {
                    // Another JVM made it meanwhile; checked below like any other.
                }
            }
        }
        return trusted(folder, true);
    }

    /**
     * Removes temporary copies that a JVM killed while writing left behind (older than ten
     * minutes, so that none still being written is touched).
     */
    private static void removeAbandonedCopies(Path folder) {
        long before = System.currentTimeMillis() - 10 * 60 * 1000;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.tmp")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis() < before) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot clean {}: {}", folder, e.toString());
        }
    }

    /**
     * Whether {@code path} is a folder (for the cache's own folder, {@code own}, not a link) and
     * it and every folder above it, links resolved, belong to this user or root and may not be
     * written by others, except, above the cache's own folder, with the sticky bit (a folder's
     * owner alone may then rename what it holds).
     */
    static boolean trusted(Path path, boolean own) throws IOException {
        if (own ? !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) : !Files.isDirectory(path)) {
            return false;
        }
        int self = processUid(path);
        boolean first = own;
        for (Path p = path.toRealPath(); p != null; p = p.getParent(), first = false) {
            int uid = (Integer) Files.getAttribute(p, "unix:uid");
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            if (uid != self && uid != 0) {
                return false;
            }
            if ((mode & GROUP_OR_OTHERS_WRITE) != 0 && (first || (mode & STICKY) == 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * This process's user id: on Linux the owner of {@code /proc/self}, elsewhere the owner the
     * file system records for a file it creates in {@code folder}.
     */
    private static int processUid(Path folder) throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.isDirectory(self)) {
            return (Integer) Files.getAttribute(self, "unix:uid");
        }
        Path probe = Files.createTempFile(folder, "owner", ".tmp");
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid");
        } finally {
            Files.deleteIfExists(probe);
        }
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

    /** The library's entry in ONNX Runtime's jar, as ONNX Runtime names it (no leading slash). */
    static String resourceName(String platform, String library) {
        return "ai/onnxruntime/native/" + platform + "/" + fileName(library);
    }

    /** Whether the file exists with the entry's size and CRC-32. */
    static boolean matches(Path file, JarEntry entry) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != entry.getSize()) {
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
    private static void write(JarFile jar, JarEntry entry, Path file) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            CRC32 crc = new CRC32();
            long size = 0;
            try (InputStream in = jar.getInputStream(entry); OutputStream out = Files.newOutputStream(temporary)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; size += n) {
                    crc.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            if (size != entry.getSize() || crc.getValue() != entry.getCrc()) {
                throw new IOException("the copy of " + entry.getName() + " does not match its jar entry");
            }
            // Executable by its owner, so that access(X_OK) can tell a noexec file system.
            Files.setPosixFilePermissions(temporary, OWNER_ONLY);
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
