package io.keshikaran.spi;

import java.io.IOException;

/**
 * Thrown by a {@link NativeImageDecoder} for an input in a format only it reads (such as HEIF or
 * AVIF) that is sound but of a kind it does not decode: another coding, an auxiliary image (alpha,
 * depth) as the primary item, a layout it does not handle. keshikaran reports the input as an
 * unsupported format ({@link io.keshikaran.InvalidImageException.Kind#UNSUPPORTED_FORMAT}) with
 * this exception's message as the reason; any other {@link IOException} means damaged data
 * ({@link io.keshikaran.InvalidImageException.Kind#CORRUPT}).
 */
public class UnsupportedImageException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An unsupported kind of image.
     *
     * @param reason what is not supported, for the input's error message
     */
    public UnsupportedImageException(String reason) {
        super(reason);
    }
}
