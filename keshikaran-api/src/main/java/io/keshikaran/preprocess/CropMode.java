package io.keshikaran.preprocess;

/** What happens between resizing and the model's input size. */
public enum CropMode {
    /** The whole image is resized to the input size, ignoring its aspect ratio ("squash"). */
    NONE,
    /**
     * The image is resized to the spec's resize size, then the centre input-size window is cut
     * out of it (Yahoo open_nsfw: 256x256, then the centre 224x224).
     */
    CENTER
}
