package io.keshikaran;

/**
 * A model could not be loaded or does not fit its description: the file is missing or not a
 * model, its input shape differs from the description, it outputs a different number of labels,
 * or its description is invalid.
 *
 * <p>The message names the model file (or bundled model name) and the reason.
 *
 * <p>The name is shared with DJL's {@code ai.djl.ModelException} on purpose: it pairs with
 * {@link InvalidImageException} as the library's two checked failures, and keshikaran never lets
 * DJL's exception escape (it becomes the cause of this one), so code using keshikaran imports only
 * {@code io.keshikaran.ModelException}. In an IDE that also sees DJL, exclude {@code ai.djl.ModelException}
 * from auto-import.
 */
public class ModelException extends KeshikaranException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception whose message names the model and the reason.
     *
     * @param message names the model and the reason
     */
    public ModelException(String message) {
        super(message);
    }

    /**
     * Creates an exception whose message names the model and the reason, keeping the cause.
     *
     * @param message names the model and the reason
     * @param cause the underlying failure
     */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
