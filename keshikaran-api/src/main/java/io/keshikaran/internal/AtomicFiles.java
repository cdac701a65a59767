package io.keshikaran.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writing a file so that a reader never sees half of it: the text goes to a new temporary file
 * beside it, with a random name, which then replaces the target in one move. Two writes of one
 * target at once (threads, processes, containers sharing a volume) each succeed, and the last
 * move wins. Used for the thresholds file and the CLI's HTML pages.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Writes {@code text} as UTF-8 to {@code target}, replacing it if it exists.
     *
     * @param target the file to write or replace
     * @param text   its whole content
     * @throws IOException if it cannot be written; the temporary file is removed then
     */
    public static void writeString(Path target, String text) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean created = false;
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                created = true;
                out.write(text);
            }
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (created) {
                // Gone after the move; only a file this call created is ever removed.
                Files.deleteIfExists(tmp);
            }
        }
    }
}
