package io.keshikaran.image;

import io.keshikaran.InvalidImageException;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes encoded images (JPEG, PNG, GIF, BMP, and whatever ImageIO plugins are on the classpath,
 * such as TwelveMonkeys' WebP and CMYK JPEG readers) into {@link RgbImage}s. Thread-safe.
 *
 * <p>The format is detected from the content, never from the file name. Every failure is an
 * {@link InvalidImageException} whose message names the input and the reason; decoders' runtime
 * exceptions on malformed data are caught and reported the same way. The {@link ImageLimits} are
 * enforced before any pixel memory is allocated.
 *
 * <p>Pixel semantics follow nsfwjs's reference decoder: the first frame of an animation, alpha
 * dropped (the stored colour under transparent pixels is kept), EXIF orientation ignored. See
 * {@link RgbImage#from(BufferedImage)} for the colour rules.
 */
public final class ImageDecoder {
    private final ImageLimits limits;

    /** A decoder with the given limits. */
    public ImageDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A decoder with {@link ImageLimits#defaults()}. */
    public static ImageDecoder withDefaults() {
        return new ImageDecoder(ImageLimits.defaults());
    }

    /** The limits this decoder enforces. */
    public ImageLimits limits() {
        return limits;
    }

    /**
     * Reads and decodes an image file.
     *
     * @throws InvalidImageException naming the path: missing, a directory, unreadable, empty, over
     *                               the size limit, or not a decodable image
     */
    public RgbImage decode(Path path) throws InvalidImageException {
        return decode(read(path), path.toString());
    }

    /**
     * Reads a whole stream (up to the file-size limit) and decodes it. The stream is not closed.
     *
     * @param name how to refer to the input in error messages, such as {@code "-"} for stdin
     */
    public RgbImage decode(InputStream in, String name) throws InvalidImageException {
        return decode(readBounded(in, name), name);
    }

    /**
     * Decodes an encoded image held in memory.
     *
     * @param name how to refer to the input in error messages
     */
    public RgbImage decode(byte[] encoded, String name) throws InvalidImageException {
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(name, "name");
        if (encoded.length == 0) {
            throw new InvalidImageException(name, "empty file");
        }
        if (encoded.length > limits.maxFileBytes()) {
            throw tooLarge(name, encoded.length);
        }
        try (ImageInputStream iis = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            ImageReader reader = findReader(iis, encoded, name);
            try {
                return RgbImage.from(read(reader, iis, name));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new InvalidImageException(name, "cannot read image: " + e.getMessage(), e);
        }
    }

    private BufferedImage read(ImageReader reader, ImageInputStream iis, String name)
            throws InvalidImageException {
        String format = formatName(reader);
        List<String> warnings = new ArrayList<>();
        reader.setInput(iis, true, true);
        reader.addIIOReadWarningListener(collectInto(warnings));
        try {
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new InvalidImageException(name, format + " header declares an empty image (" + width + "x" + height + ")");
            }
            long pixels = (long) width * height;
            if (pixels > limits.maxPixels()) {
                throw new InvalidImageException(name, String.format(Locale.ROOT,
                        "%s is %dx%d = %d pixels, over the limit of %d pixels (ImageLimits.maxPixels)",
                        format, width, height, pixels, limits.maxPixels()));
            }
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) {
                // The JDK's JPEG reader reports a truncated file as a warning and returns gray
                // filler; classifying that would give a confident score for pixels that don't exist.
                throw new InvalidImageException(name, "corrupt or truncated " + format + " data: " + warnings.get(0));
            }
            return image;
        } catch (InvalidImageException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidImageException(name, "corrupt or truncated " + format + " data: " + describe(e), e);
        } catch (RuntimeException e) {
            // Plugins signal malformed data with all kinds of runtime exceptions.
            throw new InvalidImageException(name, "corrupt " + format + " data: " + describe(e), e);
        }
    }

    private static IIOReadWarningListener collectInto(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }

    private static ImageReader findReader(ImageInputStream iis, byte[] encoded, String name)
            throws InvalidImageException {
        if (iis == null) {
            throw new InvalidImageException(name, "ImageIO cannot open an input stream");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
        if (!readers.hasNext()) {
            throw new InvalidImageException(name, looksLikeText(encoded)
                    ? "not an image (the content is text)"
                    : "not a recognised image format (supported: " + supportedFormats() + ")");
        }
        return readers.next();
    }

    /** The image formats the installed ImageIO readers can decode, such as {@code [bmp, gif, jpeg, png]}. */
    public static String supportedFormats() {
        TreeSet<String> names = new TreeSet<>();
        for (String n : ImageIO.getReaderFormatNames()) {
            names.add(n.toLowerCase(Locale.ROOT));
        }
        names.remove("jpg");
        names.remove("tif");
        return String.join(", ", names);
    }

    private static String formatName(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }

    private static boolean looksLikeText(byte[] bytes) {
        int n = Math.min(bytes.length, 512);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xFF;
            if (b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }

    private byte[] read(Path path) throws InvalidImageException {
        String name = path.toString();
        try {
            if (Files.isDirectory(path)) {
                throw new InvalidImageException(name, "is a directory");
            }
            long size = Files.size(path);
            if (size == 0) {
                throw new InvalidImageException(name, "empty file");
            }
            if (size > limits.maxFileBytes()) {
                throw tooLarge(name, size);
            }
            try (InputStream in = Files.newInputStream(path)) {
                return readBounded(in, name);
            }
        } catch (NoSuchFileException e) {
            throw new InvalidImageException(name, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new InvalidImageException(name, "permission denied", e);
        } catch (IOException e) {
            throw new InvalidImageException(name, "cannot read file: " + describe(e), e);
        }
    }

    private byte[] readBounded(InputStream in, String name) throws InvalidImageException {
        // Read at most one byte past the limit, so an endless stream cannot exhaust memory.
        long limit = limits.maxFileBytes();
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(chunk, 0, (int) Math.min(chunk.length, limit + 1 - total))) > 0) {
                buffer.write(chunk, 0, n);
                total += n;
                if (total > limit) {
                    throw streamTooLarge(name);
                }
            }
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new InvalidImageException(name, "cannot read input: " + describe(e), e);
        }
    }

    private InvalidImageException tooLarge(String name, long size) {
        return new InvalidImageException(name, String.format(Locale.ROOT,
                "%d bytes, over the limit of %d bytes (ImageLimits.maxFileBytes)", size, limits.maxFileBytes()));
    }

    private InvalidImageException streamTooLarge(String name) {
        return new InvalidImageException(name, String.format(Locale.ROOT,
                "more than %d bytes, the limit (ImageLimits.maxFileBytes)", limits.maxFileBytes()));
    }
}
