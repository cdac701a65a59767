package io.keshikaran.preprocess;

/** The order of a 4-d image tensor's axes. */
public enum Layout {
    /** batch, height, width, channels: TensorFlow's and Keras's layout. */
    NHWC,
    /** batch, channels, height, width: PyTorch's and Caffe's layout. */
    NCHW
}
