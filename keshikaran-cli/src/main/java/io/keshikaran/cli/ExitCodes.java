package io.keshikaran.cli;

/** The CLI's exit codes, documented in {@code --help} and the README. */
public final class ExitCodes {
    /** Every input was classified (and, with {@code --threshold}, none reached it). */
    public static final int OK = 0;
    /** With {@code --threshold}: no input failed and at least one scored at or above it. */
    public static final int THRESHOLD_REACHED = 1;
    /** The command line is invalid. */
    public static final int USAGE = 2;
    /** Some inputs could not be classified; the others were. */
    public static final int SOME_FAILED = 3;
    /** No input could be classified. */
    public static final int ALL_FAILED = 4;
    /** The model or engine could not be loaded. */
    public static final int MODEL_ERROR = 5;

    private ExitCodes() {
    }
}
