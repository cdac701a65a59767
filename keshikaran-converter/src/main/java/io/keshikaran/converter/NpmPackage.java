package io.keshikaran.converter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of one npm package, read from the tarball that {@code npm pack} produces or from an extracted
 * package directory.
 *
 * <p>Paths are relative to the package root and use {@code /}, e.g. {@code dist/models/mobilenet_v2/model.min.js}.
 * The whole package is held in memory (nsfwjs 4.4.0 unpacks to about 42 MB), so that each file can be hashed
 * exactly as it was read and no temporary files are written.
 */
public final class NpmPackage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SortedMap<String, byte[]> files;
    private final String origin;
    private final String archiveFileName;
    private final String archiveSha256;

    private NpmPackage(SortedMap<String, byte[]> files, String origin, String archiveFileName, String archiveSha256) {
        this.files = Collections.unmodifiableSortedMap(files);
        this.origin = origin;
        this.archiveFileName = archiveFileName;
        this.archiveSha256 = archiveSha256;
    }

    /**
     * Reads a package tarball ({@code .tgz}). As npm does, the first path segment of every entry (normally
     * {@code package/}) is stripped.
     *
     * @param tarball the {@code .tgz} file
     * @return the package
     * @throws UncheckedIOException if the file cannot be read
     * @throws ModelFormatException if it is not a gzip-compressed tar with a single top directory
     */
    public static NpmPackage fromTarball(Path tarball) {
        byte[] archive;
        try {
            archive = Files.readAllBytes(tarball);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + tarball, e);
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        String topDirectory = null;
        try (InputStream in = new java.io.ByteArrayInputStream(archive);
             GzipCompressorInputStream gz = new GzipCompressorInputStream(new BufferedInputStream(in));
             TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isFile()) {
                    continue;
                }
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash <= 0) {
                    throw new ModelFormatException(tarball + ": entry '" + name + "' is not inside a top directory");
                }
                String top = name.substring(0, slash);
                if (topDirectory == null) {
                    topDirectory = top;
                } else if (!topDirectory.equals(top)) {
                    throw new ModelFormatException(tarball + ": entries under both '" + topDirectory + "/' and '"
                            + top + "/'");
                }
                String path = name.substring(slash + 1);
                if (files.put(path, tar.readAllBytes()) != null) {
                    throw new ModelFormatException(tarball + ": duplicate entry '" + name + "'");
                }
            }
        } catch (IOException e) {
            throw new ModelFormatException(tarball + " is not a readable .tgz: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new ModelFormatException(tarball + " contains no files");
        }
        return new NpmPackage(files, tarball.toString(), tarball.getFileName().toString(), sha256(archive));
    }

    /**
     * Reads an extracted package directory (the one holding {@code package.json}).
     *
     * @param root the package root
     * @return the package
     * @throws UncheckedIOException if a file cannot be read
     */
    public static NpmPackage fromDirectory(Path root) {
        if (!Files.isRegularFile(root.resolve("package.json"))) {
            throw new ModelFormatException(root + " is not an npm package directory: it has no package.json");
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                files.put(rel, Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + root, e);
        }
        return new NpmPackage(files, root.toString(), null, null);
    }

    /**
     * @param path a path relative to the package root
     * @return the file's bytes
     * @throws ModelFormatException if the package has no such file
     */
    public byte[] read(String path) {
        byte[] data = files.get(path);
        if (data == null) {
            throw new ModelFormatException("File '" + path + "' not found in " + origin);
        }
        return data.clone();
    }

    /**
     * @param path a path relative to the package root
     * @return whether the package has that file
     */
    public boolean contains(String path) {
        return files.containsKey(path);
    }

    /**
     * @param path a path relative to the package root
     * @return the lowercase hex SHA-256 of that file
     */
    public String sha256Of(String path) {
        byte[] data = files.get(path);
        if (data == null) {
            throw new ModelFormatException("File '" + path + "' not found in " + origin);
        }
        return sha256(data);
    }

    /** @return the parsed {@code package.json} */
    public JsonNode packageJson() {
        try {
            return JSON.readTree(read("package.json"));
        } catch (IOException e) {
            throw new ModelFormatException("package.json of " + origin + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** @return the package name from {@code package.json} */
    public String name() {
        return packageJson().path("name").asText();
    }

    /** @return the package version from {@code package.json} */
    public String version() {
        return packageJson().path("version").asText();
    }

    /** @return where the package was read from, for messages */
    public String origin() {
        return origin;
    }

    /** @return the tarball's file name, when read from a tarball */
    public Optional<String> archiveFileName() {
        return Optional.ofNullable(archiveFileName);
    }

    /** @return the tarball's SHA-256, when read from a tarball */
    public Optional<String> archiveSha256() {
        return Optional.ofNullable(archiveSha256);
    }

    /**
     * @param data bytes to hash
     * @return their lowercase hex SHA-256
     */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK provides SHA-256", e);
        }
    }
}
