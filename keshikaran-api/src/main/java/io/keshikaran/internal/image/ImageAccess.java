package io.keshikaran.internal.image;

import io.keshikaran.image.ImageInput;
import io.keshikaran.image.RgbImage;

import java.io.InputStream;
import java.util.Objects;

/**
 * The decoder's access to what {@code io.keshikaran.image} keeps out of its public API (the JDK's
 * SharedSecrets pattern): {@link RgbImage} registers the implementation from its static
 * initializer. Taking ownership of a buffer without copying it matters for the decoder (a 60 MB
 * buffer per photo), but a public factory doing it would let callers mutate an "immutable" image.
 */
public final class ImageAccess {
    /** Implemented in {@code io.keshikaran.image}, which alone can reach these members. */
    public interface Bridge {
        /**
         * An image owning {@code rgb}, not a copy of it.
         *
         * @param width width in pixels
         * @param height height in pixels
         * @param rgb {@code width * height * 3} interleaved RGB bytes, referenced by nobody else
         * @return the image
         */
        RgbImage wrap(int width, int height, byte[] rgb);

        /**
         * {@code image} as a viewer shows it given an EXIF orientation tag value.
         *
         * @param image the image
         * @param orientation the tag value, 1 to 8; others are treated as 1
         * @return the rotated and/or mirrored image, or {@code image} itself
         */
        RgbImage oriented(RgbImage image, int orientation);

        /**
         * The encoded bytes of an input made from bytes.
         *
         * @param input the input
         * @return its bytes, not copied, or null
         */
        byte[] bytes(ImageInput input);

        /**
         * The stream of an input made from a stream.
         *
         * @param input the input
         * @return its stream, or null
         */
        InputStream stream(ImageInput input);
    }

    private static volatile Bridge bridge;

    private ImageAccess() {
    }

    /**
     * Called once, by {@link RgbImage}'s static initializer.
     *
     * @param implementation the implementation
     * @throws IllegalStateException if one is already registered
     */
    public static synchronized void register(Bridge implementation) {
        if (bridge != null) {
            throw new IllegalStateException("ImageAccess is already registered");
        }
        bridge = Objects.requireNonNull(implementation, "implementation");
    }

    static Bridge bridge() {
        Bridge b = bridge;
        if (b == null) {
            // Nothing may have touched RgbImage yet (a decoder creates the first image), so run its
            // static initializer, which registers the bridge.
            try {
                Class.forName(RgbImage.class.getName(), true, RgbImage.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            b = bridge;
        }
        return b;
    }
}
