package io.keshikaran.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writing a file so that a reader never sees half of it: the text goes to a temporary file beside
 * it (named after this process and a counter, so no two writes share one, whatever the thread or
 * process), which then replaces the target in one move. Used for the thresholds file and the
 * CLI's HTML pages. Two writes of one target at once: each succeeds, and the last move wins.
 */
public final class AtomicFiles {
    private static final AtomicLong WRITES = new AtomicLong();

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
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid()
                + "-" + WRITES.incrementAndGet() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
