package io.keshikaran.spring;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's shared fixtures (real images), located by the build's keshikaran.fixtures property. */
final class Fixtures {
    private Fixtures() {
    }

    static Path root() {
        String dir = System.getProperty("keshikaran.fixtures");
        Path root = dir != null ? Path.of(dir) : Path.of("..", "fixtures");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("fixtures not found at " + root.toAbsolutePath());
        }
        return root;
    }

    static Path image(String name) {
        return root().resolve("images").resolve(name);
    }

    static Path format(String name) {
        return root().resolve("formats").resolve(name);
    }
}
