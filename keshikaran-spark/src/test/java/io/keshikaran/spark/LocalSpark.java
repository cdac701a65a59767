package io.keshikaran.spark;

import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The tests' Spark: one local[2] session for the whole test JVM, on loopback only, without UI. */
public final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    /** The shared session; Spark stops it at JVM exit. */
    public static synchronized SparkSession session() {
        if (session == null) {
            Path work = Path.of("target", "spark-test").toAbsolutePath();
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("keshikaran-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.warehouse.dir", work.resolve("warehouse").toString())
                    .config("spark.local.dir", work.resolve("local").toString())
                    .getOrCreate();
        }
        return session;
    }

    /** The repository's fixtures folder, passed by Surefire as {@code keshikaran.fixtures}. */
    public static Path fixtures() {
        String dir = System.getProperty("keshikaran.fixtures");
        Path p = dir != null ? Path.of(dir) : Path.of("..", "fixtures");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("fixtures folder not found: " + p.toAbsolutePath());
        }
        return p;
    }

    /** The fixture images, sorted. */
    public static List<Path> fixtureImages() {
        try (var files = Files.list(fixtures().resolve("images"))) {
            return files.filter(p -> p.toString().matches(".*\\.(png|jpg)$")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Bad files the tests add next to the images, and the start of the error each must get. (No
     * empty file: Spark's file sources skip zero-byte files, so they never become rows.)
     */
    public enum BadFile {
        TEXT("notes.txt", "not an image (the content is text)"),
        NOT_AN_IMAGE("photo.png", "not a recognised image format"),
        TRUNCATED_JPEG("truncated.jpg", "corrupt or truncated JPEG data");

        public final String fileName;
        /** The start of the error. */
        public final String error;

        BadFile(String fileName, String error) {
            this.fileName = fileName;
            this.error = error;
        }
    }

    /**
     * Fills {@code dir} with copies of the fixture images, in {@code images/}, and the
     * {@link BadFile}s, in {@code bad/}, so the job also has to walk sub-folders.
     */
    public static void writeImageFolder(Path dir) {
        try {
            Path images = Files.createDirectories(dir.resolve("images"));
            for (Path image : fixtureImages()) {
                Files.copy(image, images.resolve(image.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
            Path bad = Files.createDirectories(dir.resolve("bad"));
            byte[] noise = new byte[4096];
            new Random(42).nextBytes(noise);
            Files.write(bad.resolve(BadFile.NOT_AN_IMAGE.fileName), noise);
            Files.writeString(bad.resolve(BadFile.TEXT.fileName), "These are notes, not a picture.\n");
            byte[] jpeg = Files.readAllBytes(fixtures().resolve("images/dog.jpg"));
            Files.write(bad.resolve(BadFile.TRUNCATED_JPEG.fileName), Arrays.copyOf(jpeg, jpeg.length / 2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
