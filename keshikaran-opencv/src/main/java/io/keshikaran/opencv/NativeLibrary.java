package io.keshikaran.opencv;

import org.opencv.core.Core;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads OpenCV's library from the {@code org.openpnp:opencv} jar, once per class loader. The
 * library (65 MB on Linux x86_64) is extracted to {@code <java.io.tmpdir>/keshikaran-<user>/} once
 * and reused by later JVMs (openpnp's own loader copies it anew at every start, 0.4-1 s).
 */
final class NativeLibrary {
    /** OpenCV's version as its library names it. */
    private static final String VERSION = "490";

    private NativeLibrary() {
    }

    private static final class Holder {
        static final String REASON = load();
    }

    /** {@code null} once loaded, else why it cannot load. */
    static String unavailableReason() {
        return Holder.REASON;
    }

    private static String load() {
        String resource = resource();
        if (resource == null) {
            return "no OpenCV library for " + System.getProperty("os.name") + " on " + System.getProperty("os.arch");
        }
        try {
            URL url = NativeLibrary.class.getClassLoader().getResource(resource);
            if (url == null) {
                return resource + " is not on the classpath (is org.openpnp:opencv?)";
            }
            Path dir = Path.of(System.getProperty("java.io.tmpdir"),
                    "keshikaran-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_"));
            Files.createDirectories(dir);
            // A jar entry's size comes from the jar's directory, without inflating 65 MB.
            long size = url.openConnection().getContentLengthLong();
            if (size < 0) {
                try (InputStream in = url.openStream()) {
                    size = in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            // Keyed by version and size: a different OpenCV jar never reuses another's library.
            String file = resource.substring(resource.lastIndexOf('/') + 1);
            Path target = dir.resolve("opencv-" + VERSION + "-" + size + "-" + file);
            if (!Files.isRegularFile(target) || Files.size(target) != size) {
                Path tmp = Files.createTempFile(dir, "opencv", ".tmp");
                try (InputStream in = url.openStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.load(target.toAbsolutePath().toString());
            // keshikaran decodes images in parallel itself; OpenCV's pool would oversubscribe.
            Core.setNumThreads(1);
            return null;
        } catch (IOException | RuntimeException | LinkageError e) {
            return "OpenCV failed to load: " + e;
        }
    }

    /** The library's path in the openpnp jar for this platform, or {@code null}. */
    private static String resource() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String dir;
        String file;
        if (os.startsWith("linux")) {
            dir = "linux";
            file = "libopencv_java" + VERSION + ".so";
        } else if (os.startsWith("mac")) {
            dir = "osx";
            file = "libopencv_java" + VERSION + ".dylib";
        } else if (os.startsWith("windows")) {
            dir = "windows";
            file = "opencv_java" + VERSION + ".dll";
        } else {
            return null;
        }
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "ARMv8";
            case "arm", "armv7l" -> "ARMv7";
            case "x86", "i386", "i686" -> "x86_32";
            default -> null;
        };
        return cpu == null ? null : "nu/pattern/opencv/" + dir + "/" + cpu + "/" + file;
    }
}
