package io.keshikaran.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The repository's shared fixtures: real images and the outputs nsfwjs computed for them. */
final class Fixtures {
    private Fixtures() {
    }

    /** The fixtures folder, passed by Surefire as the {@code keshikaran.fixtures} property. */
    static Path root() {
        String dir = System.getProperty("keshikaran.fixtures");
        Path p = dir != null ? Path.of(dir) : Path.of("..", "fixtures");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("fixtures folder not found: " + p.toAbsolutePath());
        }
        return p;
    }

    static Path image(String name) {
        return root().resolve("images").resolve(name);
    }

    /** {@code fixtures/expected/nsfwjs-4.4.0.json}, written by tools/nsfwjs-reference. */
    static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(root().resolve("expected/nsfwjs-4.4.0.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image names that nsfwjs's output covers for a model. */
    static List<String> imagesFor(String model) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = expected().path("models").path(model).fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
