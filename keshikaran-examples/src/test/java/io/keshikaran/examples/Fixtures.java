package io.keshikaran.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's shared fixtures: real images, malformed files, and nsfwjs's own outputs. */
public final class Fixtures {
    private Fixtures() {
    }

    /** The fixtures folder, passed by Surefire as the {@code keshikaran.fixtures} property. */
    public static Path root() {
        String dir = System.getProperty("keshikaran.fixtures");
        Path p = dir != null ? Path.of(dir) : Path.of("..", "fixtures");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("fixtures folder not found: " + p.toAbsolutePath());
        }
        return p;
    }

    /** A real photo or drawing from {@code fixtures/images}. */
    public static Path image(String name) {
        return root().resolve("images").resolve(name);
    }

    /** A special-case file from {@code fixtures/formats}: truncated, random bytes, text, ... */
    public static Path format(String name) {
        return root().resolve("formats").resolve(name);
    }

    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** nsfwjs 4.4.0's probabilities for one image, in label order, or null if it has none. */
    public static JsonNode nsfwjs(String model, String image) {
        try {
            JsonNode root = new ObjectMapper().readTree(root().resolve("expected/nsfwjs-4.4.0.json").toFile());
            JsonNode node = root.path("models").path(model).path(image);
            return node.isMissingNode() ? null : node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
