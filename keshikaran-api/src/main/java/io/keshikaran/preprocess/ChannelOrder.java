package io.keshikaran.preprocess;

/** The order of the colour channels a model expects. */
public enum ChannelOrder {
    /** red, green, blue. */
    RGB,
    /** blue, green, red, as Caffe models such as Yahoo open_nsfw expect. */
    BGR
}
