package io.keshikaran.converter;

/**
 * The input model is malformed or inconsistent: an unparsable literal, a missing file or weight, a weight whose
 * shape does not match its layer, weight data of the wrong length.
 */
public class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where */
    public ModelFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and where
     * @param cause the underlying failure
     */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
