package io.keshikaran;

/**
 * Base of keshikaran's checked exceptions: something is wrong with an input the caller supplied
 * (an image or a model), and the caller can react, for example by skipping that input.
 *
 * <p>Problems with the environment (a missing engine, a native library that fails to load) are
 * reported with unchecked exceptions instead, see {@link EngineUnavailableException}.
 */
public class KeshikaranException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that names the input and the reason.
     *
     * @param message names what failed and why
     */
    public KeshikaranException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message that names the input and the reason, keeping the cause.
     *
     * @param message names what failed and why
     * @param cause the underlying failure
     */
    public KeshikaranException(String message, Throwable cause) {
        super(message, cause);
    }
}
