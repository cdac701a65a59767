package io.keshikaran;

/**
 * A model could not be loaded or does not fit its description: the file is missing or not a
 * model, its input shape differs from the description, it outputs a different number of labels,
 * or its description is invalid.
 *
 * <p>The message names the model file (or bundled model name) and the reason.
 */
public class ModelException extends KeshikaranException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names the model and the reason. */
    public ModelException(String message) {
        super(message);
    }

    /** Creates an exception whose message names the model and the reason, keeping the cause. */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
