package io.keshikaran.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr for long runs: a line redrawn in place at most 5 times a second, shown only on
 * a terminal and only once a run has taken more than a second, plus the summary line at the end.
 * Thread-safe.
 */
final class Progress {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean live;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long done;
    private long failed;
    private boolean drawn;

    Progress(PrintWriter err, boolean live) {
        this.err = err;
        this.live = live;
    }

    synchronized void update(boolean success) {
        done++;
        if (!success) {
            failed++;
        }
        if (!live) {
            return;
        }
        long now = System.nanoTime();
        if (now - start > SHOW_AFTER_NANOS && now - lastDraw > REDRAW_NANOS) {
            lastDraw = now;
            drawn = true;
            err.print("\r" + line(now) + "   ");
            err.flush();
        }
    }

    /** Clears the live line so a result or error line prints cleanly. */
    synchronized void clearLine() {
        if (drawn) {
            err.print("\r\033[K");
            drawn = false;
        }
    }

    /** Ends the live line and prints {@code keshikaran: N files, E errors, R images/s (T s)}. */
    synchronized void summary() {
        clearLine();
        err.println("keshikaran: " + line(System.nanoTime()));
        err.flush();
    }

    private String line(long now) {
        double seconds = (now - start) / 1e9;
        return String.format(Locale.ROOT, "%d files, %d errors, %.1f images/s (%.1f s)",
                done, failed, seconds > 0 ? (done - failed) / seconds : 0.0, seconds);
    }

    synchronized long done() {
        return done;
    }

    synchronized long failed() {
        return failed;
    }
}
