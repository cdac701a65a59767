package io.keshikaran.internal.json;

/**
 * A document that is not strict JSON (RFC 8259), or that nests deeper than allowed. The message
 * gives the reason and where: {@code <reason> at line L, column C}.
 */
public final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int line;
    private final int column;

    JsonException(String reason, int line, int column) {
        super(reason + " at line " + line + ", column " + column);
        this.reason = reason;
        this.line = line;
        this.column = column;
    }

    /** The reason without the position. */
    public String reason() {
        return reason;
    }

    /** The 1-based line of the offending character. */
    public int line() {
        return line;
    }

    /** The 1-based column (in UTF-16 chars) of the offending character. */
    public int column() {
        return column;
    }
}
