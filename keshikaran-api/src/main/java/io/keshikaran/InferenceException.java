package io.keshikaran;

/**
 * The engine failed while running a model on a valid input tensor. Because the input was already
 * validated, this points at a broken engine or environment, so it is unchecked.
 */
public class InferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the engine's failure as its cause.
     *
     * @param message says what the engine reported
     * @param cause the underlying failure
     */
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
