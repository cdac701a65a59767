package io.keshikaran.image;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One encoded image to classify in a batch: a file, bytes in memory, or a stream. Immutable.
 * Decoding happens later, on the classifier's decoding threads.
 */
public final class ImageInput {
    private final String name;
    private final Path path;
    private final byte[] bytes;
    private final InputStream stream;

    private ImageInput(String name, Path path, byte[] bytes, InputStream stream) {
        this.name = name;
        this.path = path;
        this.bytes = bytes;
        this.stream = stream;
    }

    /**
     * A file; its name in results and errors is the path as given.
     *
     * @param path the file
     * @return a file; its name in results and errors is the path as given
     */
    public static ImageInput of(Path path) {
        return new ImageInput(path.toString(), path, null, null);
    }

    /**
     * Encoded bytes; the array is not copied, so don't modify it afterwards.
     *
     * @param encoded the encoded image bytes
     * @param name how to refer to it in the result and in errors
     * @return encoded bytes; the array is not copied, so don't modify it afterwards
     */
    public static ImageInput of(byte[] encoded, String name) {
        return new ImageInput(Objects.requireNonNull(name, "name"), null, Objects.requireNonNull(encoded, "encoded"), null);
    }

    /**
     * A stream, read once (up to the file-size limit) on a decoding thread and not closed; for
     * standard input, say. Don't reuse the input.
     *
     * @param encoded the encoded image bytes
     * @param name how to refer to it in the result and in errors
     * @return a stream input
     */
    public static ImageInput of(InputStream encoded, String name) {
        return new ImageInput(Objects.requireNonNull(name, "name"), null, null, Objects.requireNonNull(encoded, "encoded"));
    }

    /**
     * How the input is named in results and errors.
     *
     * @return how the input is named in results and errors
     */
    public String name() {
        return name;
    }

    /**
     * The file, for an input made with {@link #of(Path)}.
     *
     * @return the file, or empty for bytes or a stream
     */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    // The decoder reads these through ImageAccess: public accessors would hand out the caller's
    // uncopied array and a read-once stream.
    byte[] bytes() {
        return bytes;
    }

    InputStream stream() {
        return stream;
    }

    @Override
    public String toString() {
        return "ImageInput[" + name + "]";
    }
}
