package io.keshikaran;

/** What keshikaran applies to a model's raw output to get per-label probabilities. */
public enum OutputActivation {
    /** Nothing: the model already outputs probabilities (the nsfwjs models end in softmax). */
    NONE,
    /** Softmax over all labels: the model outputs logits of mutually exclusive classes. */
    SOFTMAX,
    /** A sigmoid on each label independently: multi-label or single-logit models. */
    SIGMOID
}
