package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.image.ImageInput;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.image.RgbImage;
import io.keshikaran.spi.NativeImageDecoder;
import io.keshikaran.spi.UnsupportedImageException;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.spi.ImageReaderSpi;

/**
 * Decodes JPEG, PNG, GIF, WebP and BMP files into {@link RgbImage}s, using the JDK's ImageIO and
 * whatever ImageIO plugins are on the classpath (keshikaran-djl brings TwelveMonkeys' JPEG, WebP
 * and BMP readers, which add CMYK/YCCK JPEG, WebP and more BMP variants). Thread-safe.
 *
 * <p><b>Native decoding:</b> when a {@link NativeImageDecoder} is on the classpath
 * (keshikaran-leptonica, which keshikaran-djl brings) and loads, still JPEG, PNG and WebP images it
 * accepts are decoded by it (JPEG at reduced resolution by DCT scaling), and so is each frame of an
 * animated WebP (handed over as a still WebP), and everything else by ImageIO; see
 * {@link DecodeOptions.Decoder}. Limits, orientation and transparency are applied here either way.
 * HEIF and AVIF, which ImageIO cannot read, are decoded only by a native decoder (keshikaran-video's
 * FFmpeg): without one they are refused naming keshikaran-video, and its failures are the input's
 * errors rather than a fallback to ImageIO.
 *
 * <p><b>PNG:</b> with {@code Decoder.AUTO}, the PNGs {@link PngDecoder} handles (any bit depth,
 * interlaced or not, an RGB ICC profile applied; not APNG, no colour key on gray below 8 bits)
 * are decoded by it, row by row and averaged as they arrive, before any native decoder is asked;
 * one whose data it finds damaged goes to ImageIO, which reports the error.
 *
 * <p><b>GIF:</b> with {@code Decoder.AUTO}, GIFs are decoded by {@link GifDecoder} through the same
 * frame loop as ImageIO's frames (placement, disposal, sampling, limits, memory), to the JDK
 * reader's pixels; whatever it declines (what would make the JDK's reader fail or warn, and the
 * few LZW oddities whose result depends on that reader's leftovers) is decoded by ImageIO from the
 * start, which reports any error.
 *
 * <p><b>Detection:</b> the format comes from the content, never from the file name. Formats other
 * than the five above are refused, even when an ImageIO reader for them is installed.
 *
 * <p><b>Pixels:</b> {@link DecodeOptions} decide EXIF orientation, transparency and animation
 * frames. Colour: ICC profiles are applied (converted to sRGB): RGB ones here, to the pixels the
 * native decoder or {@link PngDecoder} decoded (reduced or not), others by ImageIO's readers and
 * for PNG iCCP here; CMYK and YCCK JPEGs are converted by TwelveMonkeys (the embedded profile,
 * or its built-in formula when there is none). Gray, palette and 16-bit rules are those of
 * {@link RgbImage#from(BufferedImage)}. docs/images.md explains each choice.
 *
 * <p><b>Resolution:</b> given the model's input size ({@link #withTargetSize}), a large still image
 * is decoded at reduced resolution as {@link DecodeOptions.Resolution#REDUCED} describes, unless
 * the options ask for {@link DecodeOptions.Resolution#FULL}.
 *
 * <p><b>Limits:</b> the {@link ImageLimits} are enforced before pixel memory is allocated: the file
 * size before reading (streams are read only up to the limit), each frame's and each canvas's
 * pixel count from the headers. For animations the pixels decoded so far (every decoded frame plus
 * every sampled canvas) also count against {@code maxPixels}: sampling stops, without an error,
 * before a frame that would exceed it.
 *
 * <p><b>Hostile input:</b> headers are checked against the file before a reader trusts them (WebP:
 * RIFF and chunk lengths, the bitstream's size against the container's, frames inside the canvas,
 * VP8 partitions, and enough VP8 data for the declared size, so that a lossy WebP's work is
 * proportional to its length; JPEG and WebP: ICC profiles that declare more bytes than they hold
 * are ignored). Memory: one decode holds at most about {@code 2 maxFileBytes + 55 maxPixels} bytes
 * ({@link ImageLimits} gives the formula); all decodes of the JVM together at most half its
 * maximum heap: each reserves its estimate first, waits while others hold too much, and a decode
 * that could never fit is refused. Native decodes reserve their off-heap estimate
 * ({@code nativeCost}) from a budget of their own (192 MiB, or the system property
 * {@code keshikaran.decoder.nativeMemory}); one larger than that budget is not refused but decodes
 * alone.
 *
 * <p><b>Errors:</b> every failure is an {@link InvalidImageException} whose message is
 * {@code "<input>: <reason>"}. Truncated data is refused rather than decoded to filler pixels.
 * Decoders' exceptions and errors on malformed data ({@link RuntimeException},
 * {@link StackOverflowError}, a plugin's {@link LinkageError}, and {@link OutOfMemoryError}, which
 * the limits should make impossible) are reported the same way, with the original as the cause.
 */
public final class ImageDecoder {
    private static final System.Logger LOG = System.getLogger(ImageDecoder.class.getName());
    /** The formats keshikaran accepts, as ImageIO names them (lower case). */
    private static final Set<String> ACCEPTED_FORMATS = Set.of("jpeg", "png", "gif", "webp", "bmp");
    /** ICC profiles larger than this (inflated) are ignored; real ones are well under 1 MB. */
    static final int MAX_ICC_PROFILE_BYTES = 4 * 1024 * 1024;
    /** Reduced decoding keeps at least this many times the target size in each dimension. */
    static final int REDUCED_MIN_SCALE = 2;

    // The cost model: bytes of heap per pixel, upper bounds measured on the readers (docs/images.md).
    /** TwelveMonkeys' VP8 decoder: its macroblock grid (about 15 KB per 16x16 block) plus its raster, per pixel of the full frame. */
    static final int LOSSY_WEBP_BYTES_PER_PIXEL = 40;
    /** TwelveMonkeys' VP8L decoder: its ARGB buffers and raster, per pixel of the full frame. */
    static final int LOSSLESS_WEBP_BYTES_PER_PIXEL = 24;
    /** The JDK's and TwelveMonkeys' other readers: the raster (up to 16-bit RGBA), per decoded pixel. */
    static final int RASTER_BYTES_PER_PIXEL = 8;
    /** Turning a raster into an {@link RgbImage} (RGB and alpha planes, colour conversion, transparency, orientation), per decoded pixel. */
    static final int CONVERSION_BYTES_PER_PIXEL = 14;
    /** An animation's canvas, its snapshot and GIF's saved "previous" canvas, per canvas pixel. */
    static final int CANVAS_BYTES_PER_PIXEL = 12;
    /** A sampled frame kept until the decode returns, per pixel it is kept at (the canvas, reduced at reduced resolution). */
    static final int SAMPLED_FRAME_BYTES_PER_PIXEL = 3;
    /** Converting decoded RGB samples from an ICC profile ({@link IccConversion}) holds three copies of them. */
    static final int CONVERSION_COPIES = 3;

    // Native decoding (outside the heap), upper bounds measured per image (peak RSS) on the decoders.
    /** The decoded image (up to 4 channels) and its RGB and alpha copies, per decoded pixel; a PNG's rows and image (7-8). */
    static final int NATIVE_BYTES_PER_DECODED_PIXEL = 8;
    /** A lossy WebP: Leptonica's 4-byte image, libwebp's alpha plane and row caches (4.2 measured at 4096x4096). */
    static final int LOSSY_WEBP_BYTES_PER_NATIVE_PIXEL = 5;
    /** A lossless WebP: libwebp's own ARGB image beside Leptonica's (8.9 measured at 4096x4096). */
    static final int LOSSLESS_WEBP_BYTES_PER_NATIVE_PIXEL = 10;
    /** A progressive JPEG's DCT coefficients (2 bytes per sample, 3 samples without chroma subsampling), per pixel of the full image. */
    static final int PROGRESSIVE_JPEG_BYTES_PER_PIXEL = 6;
    /** The codec's own fixed buffers (Huffman tables, libwebp's caches, a demuxer's), per decode, whichever decoder. */
    static final long NATIVE_CODEC_BYTES = 4L << 20;

    private final ImageLimits limits;
    private final DecodeOptions options;
    private final int targetWidth;
    private final int targetHeight;

    /** A decoder with the given limits and {@link DecodeOptions#defaults()}. */
    public ImageDecoder(ImageLimits limits) {
        this(limits, DecodeOptions.defaults());
    }

    /** A decoder with the given limits and options. */
    public ImageDecoder(ImageLimits limits, DecodeOptions options) {
        this(limits, options, 0, 0);
    }

    private ImageDecoder(ImageLimits limits, DecodeOptions options, int targetWidth, int targetHeight) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.options = Objects.requireNonNull(options, "options");
        this.targetWidth = targetWidth;
        this.targetHeight = targetHeight;
    }

    /**
     * A decoder like this one that knows the size images will be resized to (the model's input
     * size), so that {@link DecodeOptions.Resolution#REDUCED} can decode large stills smaller.
     * Classifiers set it; a decoder without it decodes every pixel.
     */
    public ImageDecoder withTargetSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        return new ImageDecoder(limits, options, width, height);
    }

    /**
     * The source subsampling step for a {@code width x height} image: the largest n that keeps the
     * decoded image at least {@value #REDUCED_MIN_SCALE} times the target in both dimensions, the
     * target's larger side counting for both (so EXIF rotation cannot matter); 1 when the image is
     * not that large or there is no target.
     */
    static int subsampling(int width, int height, int targetWidth, int targetHeight) {
        if (targetWidth <= 0 || targetHeight <= 0) {
            return 1;
        }
        long side = (long) REDUCED_MIN_SCALE * Math.max(targetWidth, targetHeight);
        return (int) Math.max(1, Math.min(width / side, height / side));
    }

    /**
     * Starts loading the native decoders in the background, unless {@code options} choose the
     * Java decoder, so that their libraries load while the caller does something else (a
     * classifier loads its model); decodes that come first wait for the same load.
     *
     * @param options the options decodes will use
     */
    public static void preloadNativeDecoders(DecodeOptions options) {
        NativeDecoders.preload(options.decoder());
    }

    /** A decoder with {@link ImageLimits#defaults()} and {@link DecodeOptions#defaults()}. */
    public static ImageDecoder withDefaults() {
        return new ImageDecoder(ImageLimits.defaults());
    }

    /** The limits this decoder enforces. */
    public ImageLimits limits() {
        return limits;
    }

    /** The options this decoder applies. */
    public DecodeOptions options() {
        return options;
    }

    /**
     * Reads and decodes an image file; for an animation, its first frame.
     *
     * @throws InvalidImageException naming the path: missing, a directory, unreadable, empty, over
     *                               a limit, truncated, or not a decodable image
     */
    public RgbImage decode(Path path) throws InvalidImageException {
        return decode(read(path), path.toString());
    }

    /**
     * Reads a whole stream (up to the file-size limit) and decodes it; for an animation, its first
     * frame. The stream is not closed.
     *
     * @param name how to refer to the input in error messages, such as {@code "-"} for stdin
     */
    public RgbImage decode(InputStream in, String name) throws InvalidImageException {
        return decode(readBounded(in, name, "input"), name);
    }

    /**
     * Decodes an encoded image held in memory; for an animation, its first frame.
     *
     * @param name how to refer to the input in error messages
     */
    public RgbImage decode(byte[] encoded, String name) throws InvalidImageException {
        return decodeFrames(encoded, name, 1).first();
    }

    /**
     * Reads and decodes an image file with all the frames {@link DecodeOptions} sample.
     *
     * @throws InvalidImageException as {@link #decode(Path)}
     */
    public DecodedImage decodeFrames(Path path) throws InvalidImageException {
        return decodeFrames(read(path), path.toString());
    }

    /** Reads a whole stream (up to the file-size limit) and decodes its sampled frames. The stream is not closed. */
    public DecodedImage decodeFrames(InputStream in, String name) throws InvalidImageException {
        return decodeFrames(readBounded(in, name, "input"), name);
    }

    /** Decodes the sampled frames of an encoded image held in memory. */
    public DecodedImage decodeFrames(byte[] encoded, String name) throws InvalidImageException {
        return decodeFrames(encoded, name, options.maxFrames());
    }

    /**
     * Decodes the sampled frames of a batch input: a file, bytes or a stream (read once).
     *
     * @throws InvalidImageException as {@link #decode(Path)}, naming the input
     */
    public DecodedImage decodeFrames(ImageInput input) throws InvalidImageException {
        Optional<Path> path = input.path();
        if (path.isPresent()) {
            return decodeFrames(path.get());
        }
        byte[] bytes = ImageAccess.bridge().bytes(input);
        return bytes != null ? decodeFrames(bytes, input.name()) : decodeFrames(ImageAccess.bridge().stream(input), input.name());
    }

    /**
     * Converts an already decoded image with this decoder's transparency option (EXIF orientation
     * is a property of files and is not applied).
     */
    public RgbImage toRgb(BufferedImage image) {
        return Pixels.of(image).toRgb(options);
    }

    private DecodedImage decodeFrames(byte[] encoded, String name, int maxFrames) throws InvalidImageException {
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(name, "name");
        if (encoded.length == 0) {
            throw new InvalidImageException(name, InvalidImageException.Kind.NOT_AN_IMAGE, "empty file");
        }
        if (encoded.length > limits.maxFileBytes()) {
            throw tooLarge(name, encoded.length);
        }
        boolean auto = NativeDecoders.resolve(options.decoder()) == DecodeOptions.Decoder.AUTO;
        PngDecoder.Header png = auto ? PngDecoder.probe(encoded) : null;
        PngProfile pngProfile = new PngProfile(encoded);
        boolean damagedPng = false;
        int pngReduction = png == null ? 1 : reduction(png.width(), png.height());
        if (png != null && suitsPngDecoder(png, pngProfile, pngReduction)) {
            DecodedImage decoded = decodePng(encoded, png, pngReduction, pngProfile, name);
            if (decoded != null) {
                return decoded;
            }
            // ImageIO decides, as after a native failure; libpng would print its complaint on stderr first.
            damagedPng = true;
        }
        // Whatever the decoder choice: neither ImageIO nor the native decoder reads an APNG's
        // frames, and scoring its default image alone would let a later frame go unseen.
        if (png == null) {
            PngDecoder.Animation apng = PngDecoder.probeAnimation(encoded);
            if (apng != null) {
                DecodedImage decoded = decodeApng(encoded, apng, pngProfile, name, maxFrames);
                if (decoded != null) {
                    return decoded;
                }
            }
        }
        if (auto && RawMetadata.isGif(encoded)) {
            DecodedImage decoded = decodeGif(encoded, name, maxFrames);
            if (decoded != null) {
                return decoded;
            }
        }
        NativeDecoders.Chain fast = damagedPng ? null : NativeDecoders.select(options.decoder());
        if (fast != null) {
            DecodedImage decoded = decodeNatively(fast, encoded, name);
            if (decoded != null) {
                return decoded;
            }
        }
        String heif = HeifBrands.format(encoded);
        if (heif != null) {
            // No reader for it here: ImageIO would call it "not a recognised image format".
            String notLoaded = NativeDecoders.notLoaded();
            throw new InvalidImageException(name, InvalidImageException.Kind.UNSUPPORTED_FORMAT, heif
                    + " images need keshikaran-video's decoder (FFmpeg), which "
                    + (NativeDecoders.resolve(options.decoder()) == DecodeOptions.Decoder.JAVA
                    ? "DecodeOptions.Decoder.JAVA turns off" : notLoaded.isEmpty()
                    ? "is not on the classpath: add keshikaran-video" : "did not load: " + notLoaded));
        }
        String format = "image";
        ImageReader reader = null;
        FrameDecoder decoder = null;
        encoded = RawMetadata.withoutOversizedIccProfile(encoded, MAX_ICC_PROFILE_BYTES);
        try (ByteArrayImageInputStream iis = new ByteArrayImageInputStream(encoded)) {
            reader = findReader(iis, encoded, name);
            format = formatName(reader);
            decoder = new FrameDecoder(reader, iis, encoded, name, format, maxFrames, pngProfile);
            return decoder.decode();
        } catch (InvalidImageException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidImageException(name, "corrupt or truncated " + format + " data: " + describe(e), e);
        } catch (RuntimeException | StackOverflowError e) {
            // Plugins signal malformed data with all kinds of exceptions, and some with errors.
            throw new InvalidImageException(name, "corrupt " + format + " data: " + describe(e), e);
        } catch (LinkageError e) {
            // A plugin failing to initialise on this input is the input's problem; keshikaran's own
            // classes missing is a broken installation and must not pass for a bad image.
            StackTraceElement[] at = e.getStackTrace();
            if (at.length > 0 && at[0].getClassName().startsWith("io.keshikaran.")) {
                throw e;
            }
            throw new InvalidImageException(name, "corrupt " + format + " data: " + describe(e), e);
        } catch (OutOfMemoryError e) {
            throw new InvalidImageException(name, InvalidImageException.Kind.TOO_LARGE, "not enough memory to decode this " + format
                    + " (lower ImageLimits.maxPixels or give the JVM more heap)", e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
            if (decoder != null) {
                decoder.releaseMemory();
            }
        }
    }

    /**
     * The still image decoded by a native decoder, or {@code null} when ImageIO must do it: an
     * input no native decoder takes, over a limit, with a gray or malformed profile, or that fails
     * (ImageIO then reports the error in its words). An RGB profile is applied to the decoded
     * pixels. Formats ImageIO does not read (HEIF, AVIF) end here: their errors are reported from
     * the native decoder's reason, and a profile that cannot be applied is ignored.
     */
    private DecodedImage decodeNatively(NativeDecoders.Chain fast, byte[] encoded, String name) throws InvalidImageException {
        NativeDecoders.Probed probed;
        try {
            probed = fast.probe(encoded);
        } catch (IOException | RuntimeException e) {
            String format = HeifBrands.format(encoded);
            if (format == null) {
                return handedToImageIo("a native decoder's probe", name, e);
            }
            throw nativeOnlyFailure(name, format, e);
        }
        if (probed == null) {
            return null;
        }
        NativeImageDecoder.Header header = probed.header();
        boolean nativeOnly = !ACCEPTED_FORMATS.contains(header.format().toLowerCase(Locale.ROOT));
        if (header.width() <= 0 || header.height() <= 0) {
            if (nativeOnly) {
                throw new InvalidImageException(name, InvalidImageException.Kind.CORRUPT, header.format()
                        + " header declares an empty image (" + header.width() + "x" + header.height() + ")");
            }
            return null;
        }
        long pixels = (long) header.width() * header.height();
        if (pixels > limits.maxPixels()) {
            if (nativeOnly) {
                throw new InvalidImageException(name, InvalidImageException.Kind.TOO_LARGE, String.format(Locale.ROOT,
                        "%s is %dx%d = %d pixels, over the limit of %d pixels (ImageLimits.maxPixels)",
                        header.format(), header.width(), header.height(), pixels, limits.maxPixels()));
            }
            return null;
        }
        ICC_Profile rgb = header.iccProfile() == null ? null : rgbProfile(header.iccProfile());
        if (header.iccProfile() != null && rgb == null && !nativeOnly) {
            // Gray or malformed: ImageIO's reader decides what the profile means.
            return null;
        }
        ICC_Profile profile = rgb == null || isSrgb(rgb) ? null : rgb;
        int reduction = reduction(header.width(), header.height());
        Pixels decoded;
        if (nativeOnly) {
            decoded = decodeWithinOrFail(probed.decoder(), encoded, header, reduction, name);
        } else {
            decoded = decodeWithin(probed.decoder(), encoded, header, reduction, name);
            if (decoded == null) {
                return null;
            }
        }
        if (profile != null) {
            Pixels converted = convertedToSrgb(decoded, profile, name);
            if (converted == null && !nativeOnly) {
                return null;
            }
            // Formats only a native decoder reads keep their colours as encoded when the profile fails.
            decoded = converted == null ? decoded : converted;
        }
        return orientedStill(header.format(), decoded.toRgb(options), header.width(), header.height(), encoded);
    }

    /**
     * Logs at debug level why a faster decoder left an input to ImageIO, which then decodes it or
     * reports the error in its words, and returns {@code null}. Damaged data is expected there; a
     * {@link RuntimeException} is a bug of that decoder, so its stack trace is logged too.
     */
    private static <T> T handedToImageIo(String decoder, String name, Exception e) {
        LOG.log(System.Logger.Level.DEBUG, () -> decoder + " left " + name + " to ImageIO: " + e,
                e instanceof RuntimeException ? e : null);
        return null;
    }

    /**
     * Decodes a probed image with the native decoder once its estimate ({@link #nativeCost}) is
     * reserved from the native memory budget; {@code null} when it fails (ImageIO then decodes the
     * input and reports the error in its words).
     */
    private static Pixels decodeWithin(NativeImageDecoder fast, byte[] encoded, NativeImageDecoder.Header header,
                                       int reduction, String name) throws InvalidImageException {
        try {
            return decodeWithinOrFail(fast, encoded, header, reduction, name);
        } catch (InvalidImageException e) {
            if (e.kind() != InvalidImageException.Kind.CORRUPT) {
                throw e;
            }
            return handedToImageIo("the native decoder " + fast.name(), name, (Exception) e.getCause());
        }
    }

    /**
     * {@link #decodeWithin} for formats no other decoder reads: a failure is the input's error,
     * {@code corrupt <FORMAT> data: <the decoder's reason>}.
     */
    private static Pixels decodeWithinOrFail(NativeImageDecoder fast, byte[] encoded, NativeImageDecoder.Header header,
                                             int reduction, String name) throws InvalidImageException {
        DecodeMemory memory = DecodeMemory.nativeMemory();
        long reserved = acquire(memory, nativeCost(fast, encoded, header, reduction), name);
        try {
            NativeImageDecoder.Pixels decoded = fast.decode(encoded, header, reduction);
            return new Pixels(decoded.width(), decoded.height(), decoded.rgb(), decoded.alpha());
        } catch (IOException | RuntimeException e) {
            throw nativeOnlyFailure(name, header.format(), e);
        } finally {
            memory.release(reserved);
        }
    }

    /**
     * A native decoder's failure as the input's error: {@code unsupported <FORMAT> data: <reason>}
     * for an {@link UnsupportedImageException} (a kind of file of its format it does not
     * decode), else {@code corrupt <FORMAT> data: <reason>}.
     */
    private static InvalidImageException nativeOnlyFailure(String name, String format, Exception e) {
        boolean unsupported = e instanceof UnsupportedImageException;
        return new InvalidImageException(name, unsupported ? InvalidImageException.Kind.UNSUPPORTED_FORMAT
                : InvalidImageException.Kind.CORRUPT, (unsupported ? "unsupported " : "corrupt ") + format + " data: "
                + describe(e), e);
    }

    /**
     * Whether keshikaran's streaming decoder ({@link PngDecoder}) should decode this probed PNG:
     * not when it is over a limit (ImageIO reports that), has colours to convert from an ICC
     * profile, or needs more than the heap budget.
     */
    private boolean suitsPngDecoder(PngDecoder.Header header, PngProfile profile, int reduction) {
        return (long) header.width() * header.height() <= limits.maxPixels()
                && !(header.hasIccProfile() && !header.colourManageable() && profile.get() != null)
                && DecodeMemory.HEAP.fits(PngDecoder.heapBytes(header, reduction));
    }

    /**
     * The PNG decoded by keshikaran's streaming decoder, or {@code null} when its data is damaged.
     * An opaque PNG's ICC profile is applied to the decoded (reduced) pixels, the cheaper order; a
     * translucent one's to each row before the transparency option blends it with the (sRGB)
     * background. {@link #suitsPngDecoder} leaves gray images with an RGB profile to ImageIO.
     */
    private DecodedImage decodePng(byte[] encoded, PngDecoder.Header header, int reduction, PngProfile profile,
                                   String name) throws InvalidImageException {
        ICC_Profile icc = header.hasIccProfile() ? profile.get() : null;
        boolean convertRows = icc != null && !header.opaque();
        long reserved = acquire(DecodeMemory.HEAP, PngDecoder.heapBytes(header, reduction), name);
        byte[] rgb;
        try {
            rgb = PngDecoder.decode(encoded, header, reduction, options, convertRows ? icc : null);
        } catch (IOException | RuntimeException e) {
            return handedToImageIo("keshikaran's PNG decoder", name, e);
        } finally {
            DecodeMemory.HEAP.release(reserved);
        }
        int[] size = PngDecoder.outputSize(header, reduction);
        Pixels pixels = new Pixels(size[0], size[1], rgb, null);
        if (icc != null && !convertRows) {
            pixels = convertedToSrgb(pixels, icc, name);
            if (pixels == null) {
                return null;
            }
        }
        return orientedStill("PNG", pixels.toRgb(options), header.width(), header.height(), encoded);
    }

    /**
     * Decoded pixels converted from {@code profile} to sRGB, or {@code null} when LittleCMS cannot
     * (ImageIO's reader then decides what the profile means), with the heap the conversion takes
     * (three copies of the samples) reserved first. Applied after a native or keshikaran decode, so
     * a reduced decode converts the reduced pixels: an iPhone photo (Display P3) takes an sRGB
     * photo's path instead of a full-size ImageIO decode. The order differs from ImageIO's (convert,
     * then reduce) only in how block edges average; docs/images.md gives the measured difference.
     */
    private static Pixels convertedToSrgb(Pixels pixels, ICC_Profile profile, String name) throws InvalidImageException {
        long reserved = acquire(DecodeMemory.HEAP, (long) CONVERSION_COPIES * pixels.rgb.length, name);
        try {
            return converted(pixels, profile, name);
        } finally {
            DecodeMemory.HEAP.release(reserved);
        }
    }

    /**
     * {@link #convertedToSrgb} for a caller that has reserved the heap for it
     * ({@value #CONVERSION_COPIES} copies of the samples) within its own reservation.
     */
    private static Pixels converted(Pixels pixels, ICC_Profile profile, String name) {
        try {
            return pixels.convertFrom(profile);
        } catch (RuntimeException e) {
            // A profile LittleCMS parses but cannot transform with (CMMException, ProfileDataException).
            return handedToImageIo("the colour conversion from the embedded ICC profile", name, e);
        }
    }

    /**
     * A still decoded outside ImageIO (the PNG decoder, the native decoder), its file's EXIF
     * orientation applied, reporting its stored size oriented.
     */
    private DecodedImage orientedStill(String format, RgbImage stored, int storedWidth, int storedHeight,
                                       byte[] encoded) {
        int orientation = orientation(encoded);
        return still(format, ImageAccess.bridge().oriented(stored, orientation), storedWidth, storedHeight, orientation);
    }

    /**
     * The GIF decoded by {@link GifDecoder} through the same frame loop as ImageIO's frames, or
     * {@code null} when ImageIO must decode it: whatever GifDecoder finds that would make ImageIO
     * fail or warn, and any error of this path (a limit, memory), which ImageIO then reports in
     * its words.
     */
    private DecodedImage decodeGif(byte[] encoded, String name, int maxFrames) throws InvalidImageException {
        GifDecoder gif;
        try {
            gif = GifDecoder.open(encoded);
        } catch (IOException | RuntimeException e) {
            return handedToImageIo("keshikaran's GIF decoder", name, e);
        }
        if (gif == null) {
            return null;
        }
        int[] screen = RawMetadata.gifScreen(encoded);
        return decodeWithoutReader(gif.frames(), "GIF", screen[0], screen[1], encoded, name, maxFrames,
                "keshikaran's GIF decoder");
    }

    /**
     * An animated PNG's frames through the same frame loop as GIF's, or {@code null} when the
     * still decoders must take it (they show the default image): a first frame that cannot be
     * decoded, or an error of this path (a limit, memory), which they then report in their words.
     * A later frame that cannot be decoded is the input's error: the file would otherwise be
     * scored by its first frame alone.
     */
    private DecodedImage decodeApng(byte[] encoded, PngDecoder.Animation apng, PngProfile profile, String name,
                                    int maxFrames) throws InvalidImageException {
        return decodeWithoutReader(new ApngFrames(encoded, apng, profile::get, name), "PNG", apng.header().width(),
                apng.header().height(), encoded, name, maxFrames, "keshikaran's PNG decoder (APNG)");
    }

    /**
     * Frames that keshikaran decodes itself (GIF, APNG) through the frame loop, or {@code null}
     * when this path fails (the decoder named {@code decoder} then leaves the input to the others);
     * an APNG's damaged later frame is the input's error.
     */
    private DecodedImage decodeWithoutReader(FrameSource source, String format, int screenWidth, int screenHeight,
                                             byte[] encoded, String name, int maxFrames, String decoder)
            throws InvalidImageException {
        FrameDecoder frames = null;
        try {
            frames = new FrameDecoder(source, encoded, name, format, maxFrames);
            return frames.decodeFrameSequence(screenWidth, screenHeight);
        } catch (ApngFrames.DamagedFrame e) {
            throw e.error();
        } catch (IOException | InvalidImageException | RuntimeException e) {
            return handedToImageIo(decoder, name, e);
        } finally {
            if (frames != null) {
                frames.releaseMemory();
            }
        }
    }

    /**
     * How much a decoder that reduces by powers of two (DCT scaling, area averaging) may reduce
     * an image of this stored size: 1 at full resolution, else up to 8.
     */
    private int reduction(int width, int height) {
        if (options.resolution() != DecodeOptions.Resolution.REDUCED) {
            return 1;
        }
        return Integer.highestOneBit(Math.min(8, subsampling(width, height, targetWidth, targetHeight)));
    }

    /** Waits for {@code bytes} of {@code memory} (at most its capacity) and reserves them. */
    private static long acquire(DecodeMemory memory, long bytes, String name) throws InvalidImageException {
        try {
            return memory.acquireUpTo(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidImageException(name, InvalidImageException.Kind.UNREADABLE,
                    "interrupted while waiting for memory to decode", e);
        }
    }

    /**
     * The ICC profile a PNG's colours must be converted from to become sRGB, or {@code null} when
     * they are used as stored: no iCCP chunk, a malformed or oversized one, a gray profile, or sRGB.
     */
    private static ICC_Profile pngConversionProfile(byte[] encoded) {
        byte[] icc = RawMetadata.pngIccProfile(encoded, MAX_ICC_PROFILE_BYTES);
        // A malformed profile is ignored: the stored colours are still the best guess.
        return icc == null ? null : rgbConversionProfile(icc);
    }

    /** The RGB profile that is not sRGB which {@code icc} holds, or {@code null}: sRGB, not RGB, or malformed. */
    private static ICC_Profile rgbConversionProfile(byte[] icc) {
        ICC_Profile profile = rgbProfile(icc);
        return profile == null || isSrgb(profile) ? null : profile;
    }

    /** The RGB profile (sRGB or not) which {@code icc} holds, parsed once, or {@code null}: not RGB, or malformed. */
    private static ICC_Profile rgbProfile(byte[] icc) {
        try {
            ICC_Profile profile = ICC_Profile.getInstance(icc);
            return profile.getColorSpaceType() == ColorSpace.TYPE_RGB ? profile : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A PNG's {@link #pngConversionProfile}, inflated when first asked for: routing (whether
     * {@link PngDecoder} may decode the PNG) and ImageIO's decode (converting its colours) share
     * it, so one decode inflates a profile at most once. {@link RawMetadata#withoutOversizedIccProfile}
     * returns a PNG unchanged, so the bytes routing saw are the bytes ImageIO decodes.
     */
    private static final class PngProfile {
        private final byte[] encoded;
        private boolean inflated;
        private ICC_Profile profile;

        PngProfile(byte[] encoded) {
            this.encoded = encoded;
        }

        /** The profile to convert the PNG's colours from, or {@code null} when they are used as stored. */
        ICC_Profile get() {
            if (!inflated) {
                profile = pngConversionProfile(encoded);
                inflated = true;
            }
            return profile;
        }
    }

    /**
     * Memory outside the heap that a native decode holds at most (docs/performance.md, "Memory"):
     * a copy of the file, the codec's fixed buffers, and the pixels' memory, which is the
     * decoder's own estimate when it gives one ({@link NativeImageDecoder#nativeMemory}), else
     * keshikaran's for the format ({@link #pixelMemory}). Estimating per format matters for speed:
     * two large images decode at once only when their estimates fit the budget together.
     */
    static long nativeCost(NativeImageDecoder decoder, byte[] encoded, NativeImageDecoder.Header header, int reduction) {
        long own;
        try {
            own = decoder.nativeMemory(encoded, header, reduction);
        } catch (RuntimeException e) {
            own = -1; // a broken estimate of a third-party decoder: keshikaran's own
        }
        long fixed = encoded.length + NATIVE_CODEC_BYTES;
        long pixels = own >= 0 ? own : pixelMemory(encoded, header, reduction);
        // Saturated: a decoder may say Long.MAX_VALUE for "decode alone", which the budget caps.
        return pixels > Long.MAX_VALUE - fixed ? Long.MAX_VALUE : fixed + pixels;
    }

    /**
     * The pixels' native memory as keshikaran estimates it for the format: the decoded image
     * (JPEG decodes straight to the reduced size by DCT scaling, the others in full),
     * {@value #NATIVE_BYTES_PER_DECODED_PIXEL} bytes per decoded pixel for JPEG and PNG, what
     * libwebp needs for a WebP, and for a progressive JPEG the coefficients of the whole image.
     */
    static long pixelMemory(byte[] encoded, NativeImageDecoder.Header header, int reduction) {
        long full = (long) header.width() * header.height();
        return switch (header.format()) {
            case "JPEG" -> (long) ceilDiv(header.width(), reduction) * ceilDiv(header.height(), reduction)
                    * NATIVE_BYTES_PER_DECODED_PIXEL
                    + (RawMetadata.isProgressiveJpeg(encoded) ? full * PROGRESSIVE_JPEG_BYTES_PER_PIXEL : 0);
            // A file whose structure is unsound counts as lossless: the dearer guess.
            case "WEBP" -> full * (WebPStructure.check(encoded).lossy() ? LOSSY_WEBP_BYTES_PER_NATIVE_PIXEL
                    : LOSSLESS_WEBP_BYTES_PER_NATIVE_PIXEL);
            default -> full * NATIVE_BYTES_PER_DECODED_PIXEL;
        };
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The EXIF orientation to apply: the file's, or 1 when the options ignore it. */
    private int orientation(byte[] encoded) {
        return options.orientation() == DecodeOptions.Orientation.APPLY ? RawMetadata.exifOrientation(encoded) : 1;
    }

    /**
     * A still image, reporting the size stored in the file as a viewer shows it: orientations 5 to 8
     * turn it a quarter, so width and height swap.
     */
    private static DecodedImage still(String format, RgbImage image, int storedWidth, int storedHeight, int orientation) {
        boolean swapped = orientation >= 5 && orientation <= 8;
        return new DecodedImage(format, false, List.of(new DecodedImage.Frame(0, image)),
                swapped ? storedHeight : storedWidth, swapped ? storedWidth : storedHeight);
    }

    /**
     * Decodes the frames of one input; one instance per decode. Frames come from ImageIO's
     * reader, or without a reader from {@link GifDecoder} or an animated PNG's {@link ApngFrames}:
     * {@link #source} is chosen once, here.
     */
    private final class FrameDecoder {
        private final ImageReader reader;
        private final FrameSource source;
        /** For a PNG read by ImageIO: the profile its colours are converted from; {@code null} without a reader. */
        private final PngProfile pngProfile;
        private final ByteArrayImageInputStream iis;
        private final byte[] encoded;
        private final String name;
        private final String format;
        private final int maxFrames;
        private final List<String> warnings = new ArrayList<>();
        private final int orientation;
        private final DecodeMemory memory = DecodeMemory.HEAP;
        /** Bytes reserved in {@link #memory}, released when the decode ends. */
        private long reserved;
        /** For WebP: whether a frame is lossy, which makes TwelveMonkeys' decoder costlier. */
        private boolean lossyWebP;
        /** For an animated WebP: frames go to the native decoder, so TwelveMonkeys' working set is not reserved. */
        private boolean webpFramesNative;
        /** An animation's sampled frames are kept box-averaged by this factor (reduced resolution), 1 at full. */
        private int frameReduction = 1;

        FrameDecoder(ImageReader reader, ByteArrayImageInputStream iis, byte[] encoded, String name,
                     String format, int maxFrames, PngProfile pngProfile) {
            this(reader, iis, null, encoded, name, format, maxFrames, pngProfile);
        }

        /** Frames decoded without ImageIO: {@link GifDecoder}'s, or an animated PNG's. */
        FrameDecoder(FrameSource source, byte[] encoded, String name, String format, int maxFrames) {
            this(null, null, source, encoded, name, format, maxFrames, null);
        }

        private FrameDecoder(ImageReader reader, ByteArrayImageInputStream iis, FrameSource source, byte[] encoded,
                             String name, String format, int maxFrames, PngProfile pngProfile) {
            this.reader = reader;
            this.iis = iis;
            this.source = source != null ? source : new ReaderFrames();
            this.pngProfile = pngProfile;
            this.encoded = encoded;
            this.name = name;
            this.format = format;
            this.maxFrames = maxFrames;
            this.orientation = orientation(encoded);
        }

        DecodedImage decode() throws IOException, InvalidImageException {
            boolean gif = "GIF".equals(format);
            // Only GIF needs ImageIO's metadata (frame placement and disposal); skipping it for the
            // others avoids parsing (and inflating) chunks nobody reads.
            reader.setInput(iis, false, !gif);
            reader.addIIOReadWarningListener(collectInto(warnings));
            if (gif) {
                int[] screen = RawMetadata.gifScreen(encoded);
                return decodeFrameSequence(screen[0], screen[1]);
            }
            if ("WEBP".equals(format)) {
                WebPStructure.Result structure = WebPStructure.check(encoded);
                if (structure.problem() != null) {
                    throw new InvalidImageException(name, "corrupt or truncated WEBP data: " + structure.problem());
                }
                lossyWebP = structure.lossy();
                // At least two frames, to tell an animation from a one-frame file.
                RawMetadata.WebPAnimation animation = RawMetadata.webpAnimation(encoded, Math.max(2, framesNeeded()));
                if (animation != null) {
                    return decodeWebPAnimation(animation);
                }
            }
            return decodeStill();
        }

        /** Frames that must be decoded to sample {@code maxFrames}: every frame up to the last sampled one. */
        private int framesNeeded() {
            return (maxFrames - 1) * options.frameStep() + 1;
        }

        private DecodedImage decodeStill() throws IOException, InvalidImageException {
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkSize(width, height, 0, "");
            int step = options.resolution() == DecodeOptions.Resolution.REDUCED
                    ? subsampling(width, height, targetWidth, targetHeight) : 1;
            reserve(frameCost(width, height, step));
            Pixels pixels = Pixels.of(readFrame(0, step));
            if ("PNG".equals(format)) {
                pixels = applyPngProfile(pixels);
            }
            return still(format, finish(pixels), width, height, orientation);
        }

        /**
         * Frames drawn in turn onto a canvas of (at least) the given size, each placed and disposed
         * of as its source says: GIF's, and APNG's.
         */
        private DecodedImage decodeFrameSequence(int screenWidth, int screenHeight) throws IOException, InvalidImageException {
            int frameWidth = source.width(0);
            int frameHeight = source.height(0);
            checkSize(frameWidth, frameHeight, 0, "");
            FrameSource.Placement first = source.placement(0);
            // A logical screen smaller than the first frame (0x0 is common) grows to hold it.
            int width = (int) Math.max(screenWidth, Math.min(Integer.MAX_VALUE, (long) first.x() + frameWidth));
            int height = (int) Math.max(screenHeight, Math.min(Integer.MAX_VALUE, (long) first.y() + frameHeight));
            checkSize(width, height, -1, " canvas");
            frameReduction = reduction(width, height);
            reserve(animationCost(width, height, 1, frameWidth, frameHeight));
            Canvas canvas = new Canvas(width, height);
            List<DecodedImage.Frame> frames = new ArrayList<>();
            long budget = 0;
            int index = 0;
            for (; frames.size() < maxFrames; index++) {
                if (index > 0 && !source.hasFrame(index)) {
                    break;
                }
                int w = source.width(index);
                int h = source.height(index);
                checkSize(w, h, index, "");
                boolean sampled = index % options.frameStep() == 0;
                budget += (long) w * h + (sampled ? (long) width * height : 0);
                if (index > 0 && budget > limits.maxPixels()) {
                    break;
                }
                if (!reserve(animationCost(width, height, frames.size() + 1, w, h))) {
                    break;
                }
                FrameSource.Placement placement = index == 0 ? first : source.placement(index);
                Pixels before = placement.disposal() == FrameSource.Disposal.PREVIOUS ? canvas.snapshot() : null;
                source.draw(index, placement, canvas);
                if (sampled) {
                    frames.add(new DecodedImage.Frame(index, finishFrame(canvas.snapshot())));
                }
                if (placement.disposal() == FrameSource.Disposal.BACKGROUND) {
                    canvas.clear(placement.x(), placement.y(), w, h);
                } else if (before != null) {
                    canvas.restore(before);
                }
            }
            boolean animated = index > 1 || source.hasFrame(1);
            return animation(animated, frames, width, height);
        }

        private DecodedImage decodeWebPAnimation(RawMetadata.WebPAnimation animation)
                throws IOException, InvalidImageException {
            int width = animation.canvasWidth();
            int height = animation.canvasHeight();
            checkSize(width, height, -1, " canvas");
            frameReduction = reduction(width, height);
            if (animation.frames().isEmpty()) {
                throw new InvalidImageException(name, "corrupt WEBP data: an animation without frames");
            }
            RawMetadata.WebPFrame firstFrame = animation.frames().get(0);
            // Frames go to the native decoder as stills, converted from an RGB profile one by one, as
            // TwelveMonkeys converts each frame it reads; a gray, malformed or missing profile that
            // the header flags is left to TwelveMonkeys, which decides what it means.
            ICC_Profile rgb = animation.iccFlagged() && animation.iccProfile() != null ? rgbProfile(animation.iccProfile()) : null;
            boolean nativeFrames = !animation.iccFlagged() || rgb != null;
            ICC_Profile profile = rgb == null || isSrgb(rgb) ? null : rgb;
            NativeDecoders.Chain fast = nativeFrames ? NativeDecoders.select(options.decoder()) : null;
            webpFramesNative = fast != null;
            // Only frames the native decoder reads are converted here (TwelveMonkeys converts its own).
            long conversionPerPixel = profile == null || fast == null ? 0 : CONVERSION_COPIES * 3;
            reserve(animationCost(width, height, 1, firstFrame.width(), firstFrame.height())
                    + conversionPerPixel * firstFrame.width() * firstFrame.height());
            Canvas canvas = new Canvas(width, height);
            List<DecodedImage.Frame> frames = new ArrayList<>();
            long budget = 0;
            int index = 0;
            for (; frames.size() < maxFrames && index < animation.frames().size(); index++) {
                RawMetadata.WebPFrame placement = animation.frames().get(index);
                int w = reader.getWidth(index);
                int h = reader.getHeight(index);
                checkSize(w, h, index, "");
                if (w != placement.width() || h != placement.height()) {
                    throw new InvalidImageException(name, "corrupt WEBP data: frame " + index + " is " + w + "x" + h
                            + " but its header says " + placement.width() + "x" + placement.height());
                }
                boolean sampled = index % options.frameStep() == 0;
                budget += (long) w * h + (sampled ? (long) width * height : 0);
                if (index > 0 && budget > limits.maxPixels()) {
                    break;
                }
                if (!reserve(animationCost(width, height, frames.size() + 1, w, h) + conversionPerPixel * w * h)) {
                    break;
                }
                Pixels frame = fast != null ? nativeFrame(fast, placement, profile) : null;
                if (frame == null) {
                    if (!reserveForTwelveMonkeys(width, height, frames.size() + 1, w, h, index == 0)) {
                        break;
                    }
                    frame = Pixels.of(readFrame(index));
                }
                canvas.draw(frame, placement.x(), placement.y(), placement.blend());
                if (sampled) {
                    frames.add(new DecodedImage.Frame(index, finishFrame(canvas.snapshot())));
                }
                if (placement.disposeToBackground()) {
                    canvas.clear(placement.x(), placement.y(), w, h);
                }
            }
            return animation(animation.frames().size() > 1, frames, width, height);
        }

        /**
         * An animated WebP's frame decoded by the native decoder from a still WebP made of its
         * chunks, converted from {@code profile} when there is one, or {@code null} when it
         * declines or fails (or the conversion does): TwelveMonkeys then reads the frame and
         * reports any error as before.
         */
        private Pixels nativeFrame(NativeDecoders.Chain fast, RawMetadata.WebPFrame placement, ICC_Profile profile)
                throws InvalidImageException {
            byte[] still = RawMetadata.webpFrameFile(encoded, placement);
            NativeDecoders.Probed probed;
            try {
                probed = still == null ? null : fast.probe(still);
            } catch (IOException | RuntimeException e) {
                return handedToImageIo("a native decoder's probe", name, e);
            }
            NativeImageDecoder.Header header = probed == null ? null : probed.header();
            if (header == null || header.width() != placement.width() || header.height() != placement.height()) {
                return null;
            }
            Pixels frame = decodeWithin(probed.decoder(), still, header, 1, name);
            if (frame == null || frame.width != placement.width() || frame.height != placement.height()) {
                return null;
            }
            // The conversion's heap is part of the frame's reservation (decodeWebPAnimation): a
            // decode holding heap never waits for more heap.
            return profile == null ? frame : converted(frame, profile, name);
        }

        /**
         * Heap for ImageIO's reader to read a {@code w x h} frame keeping every {@code step}-th
         * pixel, and to convert it. The conversion holds the raster, not the reader's working set:
         * for WebP, whose decoders need far more than their raster while reading, the larger of
         * the two counts.
         */
        private long frameCost(int w, int h, int step) {
            long full = (long) w * h;
            long out = (long) ((w + step - 1) / step) * ((h + step - 1) / step);
            long converting = out * (RASTER_BYTES_PER_PIXEL + CONVERSION_BYTES_PER_PIXEL);
            if ("WEBP".equals(format) && !webpFramesNative) {
                return Math.max(converting, full * (lossyWebP ? LOSSY_WEBP_BYTES_PER_PIXEL : LOSSLESS_WEBP_BYTES_PER_PIXEL));
            }
            return converting;
        }

        /**
         * Before an animated WebP's frame the native decoder declined goes to TwelveMonkeys: grows the
         * reservation to its working set. At the first frame, when nothing is kept yet, it may wait
         * for memory (releasing what it holds meanwhile); later, false means "stop sampling here".
         */
        private boolean reserveForTwelveMonkeys(int width, int height, int sampled, int w, int h, boolean first)
                throws InvalidImageException {
            webpFramesNative = false;
            long bytes = animationCost(width, height, sampled, w, h);
            if (reserve(bytes)) {
                return true;
            }
            if (!first) {
                return false;
            }
            releaseMemory();
            return reserve(bytes);
        }

        /** Heap of an animation while it decodes a {@code w x h} frame with {@code sampled} frames kept. */
        private long animationCost(int width, int height, int sampled, int w, int h) {
            long canvas = (long) width * height;
            long kept = (long) (width / frameReduction) * (height / frameReduction);
            // Reduced, a frame is averaged from a full-size RGB copy (the transparency option applied).
            long averaging = frameReduction > 1 ? canvas * SAMPLED_FRAME_BYTES_PER_PIXEL : 0;
            return canvas * CANVAS_BYTES_PER_PIXEL + averaging + sampled * kept * SAMPLED_FRAME_BYTES_PER_PIXEL
                    + source.frameCost(w, h);
        }

        /**
         * Grows this decode's reservation to {@code bytes}. The first reservation waits for memory
         * and fails for a working set larger than the whole budget; later ones (an animation's
         * next frame) never wait, so that no waiting thread holds memory: false means "stop
         * sampling here", as the pixel budget does.
         */
        private boolean reserve(long bytes) throws InvalidImageException {
            if (bytes <= reserved) {
                return true;
            }
            if (reserved > 0) {
                if (!memory.tryAcquire(bytes - reserved)) {
                    return false;
                }
                reserved = bytes;
                return true;
            }
            if (!memory.fits(bytes)) {
                throw new InvalidImageException(name, InvalidImageException.Kind.TOO_LARGE, String.format(Locale.ROOT,
                        "decoding this %s needs about %d MB of heap, more than the %d MB decoding may use "
                        + "(half the JVM's maximum heap; lower ImageLimits.maxPixels or give the JVM more heap)",
                        format, bytes >> 20, memory.capacity() >> 20));
            }
            try {
                memory.acquire(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InvalidImageException(name, InvalidImageException.Kind.UNREADABLE,
                        "interrupted while waiting for memory to decode", e);
            }
            reserved = bytes;
            return true;
        }

        void releaseMemory() {
            memory.release(reserved);
            reserved = 0;
        }

        /** Transparency, then orientation: what every returned frame goes through. */
        private RgbImage finish(Pixels pixels) {
            return ImageAccess.bridge().oriented(pixels.toRgb(options), orientation);
        }

        /**
         * The same for a sampled animation frame, kept box-averaged to the reduced size: a large
         * animation then keeps its sampled frames in a small heap (a 1920x1080 frame 1.5 MB, not 6).
         */
        private RgbImage finishFrame(Pixels canvasSnapshot) {
            return ImageAccess.bridge().oriented(canvasSnapshot.toRgb(options, frameReduction), orientation);
        }

        /** An animation's result: its size is the canvas's (oriented), whatever size its frames are kept at. */
        private DecodedImage animation(boolean animated, List<DecodedImage.Frame> frames, int width, int height) {
            boolean swapped = orientation >= 5 && orientation <= 8;
            return new DecodedImage(format, animated, frames, swapped ? height : width, swapped ? width : height);
        }

        private BufferedImage readFrame(int index) throws IOException, InvalidImageException {
            return readFrame(index, 1);
        }

        /** Reads a frame, keeping every {@code step}-th pixel of every {@code step}-th row. */
        private BufferedImage readFrame(int index, int step) throws IOException, InvalidImageException {
            warnings.clear();
            iis.clearReadPastEnd();
            String where = index > 0 ? " (frame " + index + ")" : "";
            BufferedImage image;
            try {
                if (step > 1) {
                    ImageReadParam param = reader.getDefaultReadParam();
                    param.setSourceSubsampling(step, step, 0, 0);
                    image = reader.read(index, param);
                } else {
                    image = reader.read(index);
                }
            } catch (IOException e) {
                throw new InvalidImageException(name, "corrupt or truncated " + format + " data" + where + ": " + describe(e), e);
            }
            for (String warning : warnings) {
                if (!harmless(warning)) {
                    // A truncated JPEG decodes to gray filler with only a warning; classifying
                    // that would give a confident score for pixels that don't exist.
                    throw new InvalidImageException(name, "corrupt or truncated " + format + " data" + where + ": " + warning);
                }
            }
            return image;
        }

        private void checkSize(int width, int height, int index, String what) throws InvalidImageException {
            String subject = format + (index > 0 ? " frame " + index : "") + what;
            if (width <= 0 || height <= 0) {
                throw new InvalidImageException(name, InvalidImageException.Kind.CORRUPT, subject + " header declares an empty image (" + width + "x" + height + ")");
            }
            long pixels = (long) width * height;
            if (pixels > limits.maxPixels()) {
                throw new InvalidImageException(name, InvalidImageException.Kind.TOO_LARGE, String.format(Locale.ROOT,
                        "%s is %dx%d = %d pixels, over the limit of %d pixels (ImageLimits.maxPixels)",
                        subject, width, height, pixels, limits.maxPixels()));
            }
        }

        private Pixels applyPngProfile(Pixels pixels) {
            ICC_Profile profile = pngProfile.get();
            return profile == null ? pixels : pixels.convertFrom(profile);
        }

        /** Frames read by ImageIO's reader: every format's, and the GIFs {@link GifDecoder} declines. */
        private final class ReaderFrames implements FrameSource {
            @Override
            public boolean hasFrame(int index) throws IOException {
                try {
                    reader.getWidth(index);
                    return true;
                } catch (IndexOutOfBoundsException e) {
                    return false;
                }
            }

            @Override
            public int width(int index) throws IOException {
                return reader.getWidth(index);
            }

            @Override
            public int height(int index) throws IOException {
                return reader.getHeight(index);
            }

            @Override
            public long frameCost(int w, int h) {
                return FrameDecoder.this.frameCost(w, h, 1);
            }

            /** From the JDK GIF reader's metadata; none (the top left corner, no disposal) for other formats. */
            @Override
            public FrameSource.Placement placement(int index) throws IOException {
                IIOMetadata metadata = reader.getImageMetadata(index);
                int x = 0;
                int y = 0;
                FrameSource.Disposal disposal = FrameSource.Disposal.NONE;
                if (metadata != null) {
                    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_gif_image_1.0");
                    IIOMetadataNode descriptor = child(root, "ImageDescriptor");
                    if (descriptor != null) {
                        x = intAttribute(descriptor, "imageLeftPosition");
                        y = intAttribute(descriptor, "imageTopPosition");
                    }
                    IIOMetadataNode control = child(root, "GraphicControlExtension");
                    if (control != null) {
                        disposal = switch (control.getAttribute("disposalMethod")) {
                            case "restoreToBackgroundColor" -> FrameSource.Disposal.BACKGROUND;
                            case "restoreToPrevious" -> FrameSource.Disposal.PREVIOUS;
                            default -> FrameSource.Disposal.NONE;
                        };
                    }
                }
                return new FrameSource.Placement(x, y, disposal);
            }

            @Override
            public void draw(int index, FrameSource.Placement placement, Canvas canvas) throws IOException, InvalidImageException {
                canvas.draw(Pixels.of(readFrame(index)), placement.x(), placement.y(), true);
            }
        }
    }

    private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
        for (int i = 0; i < parent.getLength(); i++) {
            if (parent.item(i) instanceof IIOMetadataNode node && name.equals(node.getNodeName())) {
                return node;
            }
        }
        return null;
    }

    private static int intAttribute(IIOMetadataNode node, String name) {
        try {
            return Integer.parseInt(node.getAttribute(name));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Whether a profile is some version of sRGB, by its description. Converting sRGB to sRGB through
     * LittleCMS would only add rounding differences.
     */
    static boolean isSrgb(ICC_Profile profile) {
        byte[] desc = profile.getData(ICC_Profile.icSigProfileDescriptionTag);
        if (desc == null) {
            return false;
        }
        // 'desc' (ICC v2) holds ASCII, 'mluc' (v4) UTF-16BE: dropping NULs reads both.
        String text = new String(desc, StandardCharsets.ISO_8859_1).replace("\0", "");
        return text.contains("sRGB");
    }

    /**
     * Warnings that do not mean missing or made-up pixels: data after the end marker, ignored
     * chunks or profiles, a missing JPEG end marker, and TwelveMonkeys' note that a CMYK JPEG
     * without a profile is converted with its built-in formula. Any other warning fails the decode.
     */
    private static boolean harmless(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("extraneous bytes") || w.contains("ignor") || w.contains("missing eoi")
                || w.contains("inaccurate cmyk") || w.contains("icc") || w.contains("color profile");
    }

    private static IIOReadWarningListener collectInto(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }

    private static ImageReader findReader(ByteArrayImageInputStream iis, byte[] encoded, String name)
            throws IOException, InvalidImageException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
        iis.seek(0);
        iis.clearReadPastEnd();
        String unsupported = null;
        ImageReader other = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (isExcludedReader(reader)) {
                reader.dispose();
                continue;
            }
            String format = formatName(reader).toLowerCase(Locale.ROOT);
            if (ACCEPTED_FORMATS.contains(format)) {
                if (isShippedReader(reader)) {
                    if (other != null) {
                        other.dispose();
                    }
                    return reader;
                }
                if (other == null) {
                    other = reader;
                    continue;
                }
            } else if (!"wbmp".equals(format) && unsupported == null) {
                // WBMP has no signature; its reader claims plenty of random data.
                unsupported = format.toUpperCase(Locale.ROOT);
            }
            reader.dispose();
        }
        if (other != null) {
            return other;
        }
        if (unsupported != null) {
            throw new InvalidImageException(name, InvalidImageException.Kind.UNSUPPORTED_FORMAT, unsupported + " images are not supported (supported: "
                    + supportedFormats() + ")");
        }
        throw new InvalidImageException(name, InvalidImageException.Kind.NOT_AN_IMAGE, looksLikeText(encoded)
                ? "not an image (the content is text)"
                : "not a recognised image format (supported: " + supportedFormats() + ")");
    }

    /**
     * Whether a reader is one keshikaran ships and tests (the JDK's or TwelveMonkeys'). ImageIO's
     * order among plugins for one format is unspecified, and other plugins on the classpath read
     * less. Another plugin is used only for a format these lack.
     */
    private static boolean isShippedReader(ImageReader reader) {
        String type = providerType(reader);
        return type.startsWith("com.sun.imageio.") || type.startsWith("com.twelvemonkeys.");
    }

    /**
     * Whether ImageIO's path must not use this reader at all: the WebP reader of
     * {@code webp-imageio}, which keshikaran-leptonica brings for libwebp's scaled decoding only,
     * reads no animation and prints a stack trace where its library does not load. Without
     * TwelveMonkeys' WebP reader, WebP then stays what it was: a format ImageIO does not read.
     */
    private static boolean isExcludedReader(ImageReader reader) {
        return providerType(reader).startsWith("com.luciad.imageio.webp.");
    }

    private static String providerType(ImageReader reader) {
        ImageReaderSpi spi = reader.getOriginatingProvider();
        return (spi != null ? spi : reader).getClass().getName();
    }

    /**
     * The image formats this decoder accepts and has a reader for, such as
     * {@code avif, bmp, gif, heif, jpeg, png, webp}. WebP needs an ImageIO plugin (keshikaran-djl
     * brings one), HEIF and AVIF keshikaran-video's native decoder.
     */
    public static String supportedFormats() {
        TreeSet<String> names = new TreeSet<>(NativeDecoders.formatsBeyondImageIo());
        for (String n : ImageIO.getReaderFormatNames()) {
            String lower = n.toLowerCase(Locale.ROOT);
            if (ACCEPTED_FORMATS.contains(lower)) {
                names.add(lower);
            }
        }
        return String.join(", ", names);
    }

    private static String formatName(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            ImageReaderSpi spi = reader.getOriginatingProvider();
            return spi != null ? spi.getFormatNames()[0].toUpperCase(Locale.ROOT) : "image";
        }
    }

    /** Whether the start of the data is plausibly text: UTF-8 without control characters. */
    private static boolean looksLikeText(byte[] bytes) {
        int n = Math.min(bytes.length, 512);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xFF;
            if (b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B) || b == 0x7F) {
                return false;
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // endOfInput false: a character cut at the 512-byte window is not an error.
        CoderResult result = utf8.decode(ByteBuffer.wrap(bytes, 0, n), CharBuffer.allocate(n), false);
        return !result.isError();
    }

    private static String describe(Throwable e) {
        if (e instanceof EOFException && e.getMessage() == null) {
            return "the data ends before the image does";
        }
        if (e instanceof IIOException && e.getCause() != null && e.getMessage() != null
                && e.getMessage().startsWith("I/O error")) {
            return describe(e.getCause());
        }
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg.strip().lines().findFirst().orElse(msg);
    }

    private byte[] read(Path path) throws InvalidImageException {
        String name = path.toString();
        try {
            if (Files.isDirectory(path)) {
                throw new InvalidImageException(name, InvalidImageException.Kind.UNREADABLE, "is a directory");
            }
            // Special files (/proc, pipes such as <(curl ...)) report size 0 or none: they are
            // streamed with the same bound instead of trusted.
            long size = -1;
            if (Files.isRegularFile(path)) {
                size = Files.size(path);
                if (size > limits.maxFileBytes()) {
                    throw tooLarge(name, size);
                }
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = size > 0 && size < Integer.MAX_VALUE - 8 ? readKnownSize(in, (int) size, name) : readBounded(in, name, "file");
            }
            if (bytes.length == 0) {
                throw new InvalidImageException(name, InvalidImageException.Kind.NOT_AN_IMAGE, "empty file");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new InvalidImageException(name, InvalidImageException.Kind.UNREADABLE, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new InvalidImageException(name, InvalidImageException.Kind.UNREADABLE, "permission denied", e);
        } catch (IOException e) {
            throw new InvalidImageException(name, InvalidImageException.Kind.UNREADABLE, "cannot read file: " + describe(e), e);
        }
    }

    /**
     * Reads a file of known size into one array of that size: streaming it would hold a growing
     * buffer and a copy, three times the file at worst (a 50 MB transient for an 18 MB WebP).
     * A file that turns out longer than it was is read again with the streaming bound.
     */
    private byte[] readKnownSize(InputStream in, int size, String name) throws IOException, InvalidImageException {
        byte[] bytes = new byte[size];
        int n = in.readNBytes(bytes, 0, size);
        if (n < size) {
            return Arrays.copyOf(bytes, n);
        }
        int next = in.read();
        if (next < 0) {
            return bytes;
        }
        SequenceInputStream rest = new SequenceInputStream(
                new ByteArrayInputStream(bytes), new SequenceInputStream(
                        new ByteArrayInputStream(new byte[] {(byte) next}), in));
        return readBounded(rest, name, "file");
    }

    private byte[] readBounded(InputStream in, String name, String what) throws InvalidImageException {
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
            throw new InvalidImageException(name, InvalidImageException.Kind.UNREADABLE, "cannot read " + what + ": " + describe(e), e);
        }
    }

    private InvalidImageException tooLarge(String name, long size) {
        return new InvalidImageException(name, InvalidImageException.Kind.TOO_LARGE, String.format(Locale.ROOT,
                "%d bytes, over the limit of %d bytes (ImageLimits.maxFileBytes)", size, limits.maxFileBytes()));
    }

    private InvalidImageException streamTooLarge(String name) {
        return new InvalidImageException(name, InvalidImageException.Kind.TOO_LARGE, String.format(Locale.ROOT,
                "more than %d bytes, the limit (ImageLimits.maxFileBytes)", limits.maxFileBytes()));
    }
}
