package io.keshikaran;

/**
 * No inference engine can run the requested model: no backend is on the classpath, the requested
 * engine is not installed, or its native library failed to load. This is an environment problem,
 * so it is unchecked; the message says which dependency to add.
 */
public class EngineUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception whose message says what to add to the classpath.
     *
     * @param message what is missing and what to add
     */
    public EngineUnavailableException(String message) {
        super(message);
    }

    /**
     * Creates an exception whose message says what to add, keeping the cause.
     *
     * @param message what is missing and what to add
     * @param cause the cause
     */
    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
