package io.keshikaran.image;

import io.keshikaran.InvalidImageException;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One encoded image to classify in a batch: a file, or bytes already in memory. Immutable.
 * Decoding happens later, on the classifier's decoding threads.
 */
public final class ImageInput {
    private final String name;
    private final Path path;
    private final byte[] bytes;

    private ImageInput(String name, Path path, byte[] bytes) {
        this.name = name;
        this.path = path;
        this.bytes = bytes;
    }

    /** A file; its name in results and errors is the path as given. */
    public static ImageInput of(Path path) {
        return new ImageInput(path.toString(), path, null);
    }

    /** Encoded bytes; the array is not copied, so don't modify it afterwards. */
    public static ImageInput of(byte[] encoded, String name) {
        return new ImageInput(Objects.requireNonNull(name, "name"), null, Objects.requireNonNull(encoded, "encoded"));
    }

    /** How the input is named in results and errors. */
    public String name() {
        return name;
    }

    /** Decodes the input with the given decoder. */
    public RgbImage decode(ImageDecoder decoder) throws InvalidImageException {
        return path != null ? decoder.decode(path) : decoder.decode(bytes, name);
    }

    @Override
    public String toString() {
        return "ImageInput[" + name + "]";
    }
}
