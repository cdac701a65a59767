package io.keshikaran.internal.image;

import io.keshikaran.image.DecodeOptions;

import java.awt.Transparency;
import java.awt.color.ICC_Profile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * keshikaran's own PNG decoder: every colour type and bit depth, interlaced (Adam7) or not, with
 * palette or colour-key transparency, but not a colour key on gray below 8 bits (see {@link #probe});
 * and the frames of animated PNGs (APNG: {@link #probeAnimation}, {@link #decodeFrame}), which
 * the caller composites. It inflates with {@link Inflater} (the JDK's zlib) 64 KiB at a time,
 * unfilters one row at a time, applies the transparency option to each pixel and box-averages the pixels into the
 * reduced image as they arrive. So a 5120x2880 RGBA PNG costs two rows and the reduced image,
 * where libpng inside Leptonica holds the whole image twice off the heap (7-8 bytes per pixel) and
 * ImageIO holds a 16-bit one as a 16-bit raster on the heap, and an image with transparent pixels
 * can be reduced too (the transparency option is applied before averaging, pixel by pixel).
 *
 * <p>At full size the result is what libpng and ImageIO give, byte for byte (PNG is lossless;
 * 16-bit samples, low-bit gray and colour keys by their rules, see {@link #widen}); reduced, it is
 * the same box average (rounded, partial blocks dropped) as the native decoder's.
 * Time, on the benchmark folder's 35 PNGs (docs/performance.md): 1.11-1.13 times what libvips
 * (libspng, zlib-ng) takes, full size or reduced, where libpng through Leptonica took 1.6;
 * inflating their data alone with the JDK's zlib takes 1.4-1.5 of the 2.25 s, and the Paeth
 * filter is most of the rest.
 *
 * <p>Everything else ({@link #probe} returns {@code null}) goes on to the other decoders; a file it
 * fails on ({@link #decode} throws) goes to ImageIO, which reports the error in its words. Chunk
 * CRCs are not checked, as ImageIO does not, nor is the zlib stream's Adler-32 checksum, as libvips
 * (with sharp's defaults) and browsers do not: a file whose only fault is a wrong checksum decodes
 * here, where ImageIO ({@code Decoder.JAVA}) refuses it.
 */
final class PngDecoder {
    private static final int COLOR_GRAY = 0;
    private static final int COLOR_RGB = 2;
    private static final int COLOR_PALETTE = 3;
    private static final int COLOR_GRAY_ALPHA = 4;
    private static final int COLOR_RGBA = 6;
    /** APNG frames are decoded as stored; the transparency option applies to the canvas they make. */
    private static final DecodeOptions STORED_COLOR =
            DecodeOptions.builder().optTransparency(DecodeOptions.Transparency.KEEP_STORED_COLOR).build();
    /** Adam7's seven passes: first column, first row, column step, row step. */
    private static final int[][] ADAM7 = {
        {0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

    private PngDecoder() {
    }

    /**
     * What {@link #probe} learns from the chunks before the image data.
     *
     * @param palette        RGBA, 4 bytes per entry, for palette images (entries without a tRNS
     *                       value are opaque); {@code null} otherwise
     * @param firstIdat      offset of the first IDAT chunk
     * @param hasIccProfile  whether an iCCP chunk is present (the caller decides whether its colours need converting)
     * @param interlaced     whether the rows come in Adam7's seven passes
     * @param transparentKey the tRNS colour key of a gray (one sample) or RGB (three) image, at the
     *                       image's bit depth; {@code null} when there is none
     */
    record Header(int width, int height, int bitDepth, int colorType, byte[] palette, int firstIdat,
                  boolean hasIccProfile, boolean interlaced, int[] transparentKey) {
        int channels() {
            return channelsOf(colorType);
        }

        /** Bytes of one unfiltered row of {@code pixels} pixels, without its filter byte. */
        int stride(int pixels) {
            return (int) (((long) pixels * channels() * bitDepth + 7) / 8);
        }

        int stride() {
            return stride(width);
        }

        /** How far back the filters look: the bytes of one pixel, at least 1. */
        int filterDistance() {
            return Math.max(1, channels() * bitDepth / 8);
        }

        /** The colour type of the 8-bit rows {@link RowConverter} reads: a colour key becomes alpha. */
        int pixelType() {
            if (transparentKey == null) {
                return colorType;
            }
            return colorType == COLOR_RGB ? COLOR_RGBA : COLOR_GRAY_ALPHA;
        }

        /** Whether an RGB ICC profile can be applied to its rows: RGB, RGBA (or RGB with a colour key) and palette images. */
        boolean colourManageable() {
            int type = pixelType();
            return type == COLOR_RGB || type == COLOR_RGBA || type == COLOR_PALETTE;
        }

        /** Whether no pixel can be transparent: no alpha channel, no colour key, no translucent palette entry. */
        boolean opaque() {
            if (colorType == COLOR_GRAY_ALPHA || colorType == COLOR_RGBA || transparentKey != null) {
                return false;
            }
            if (palette != null) {
                for (int i = 3; i < palette.length; i += 4) {
                    if (palette[i] != (byte) 0xFF) {
                        return false;
                    }
                }
            }
            return true;
        }

        /**
         * Whether rows must be rewritten as 8-bit samples of {@link #pixelType} before they are
         * converted: 16-bit samples, gray of 1, 2 or 4 bits, or a colour key.
         */
        boolean widened() {
            return colorType != COLOR_PALETTE && (bitDepth != 8 || transparentKey != null);
        }
    }

    private static int channelsOf(int colorType) {
        return switch (colorType) {
            case COLOR_RGB -> 3;
            case COLOR_GRAY_ALPHA -> 2;
            case COLOR_RGBA -> 4;
            default -> 1;
        };
    }

    /**
     * Reads the chunks of a PNG this decoder handles.
     *
     * @return the header, or {@code null} for another format or a PNG it leaves to the other
     *         decoders: animated (APNG), a colour key on gray of fewer than 8 bits, a tRNS chunk
     *         that does not fit the colour type, a missing palette, a chunk running past the end,
     *         or no IEND (a truncated-looking file)
     */
    static Header probe(byte[] d) {
        Animation animation = scan(d, false);
        return animation == null ? null : animation.header();
    }

    /**
     * An animated PNG's canvas, colours and frames (the fcTL and the data chunks of each), for
     * {@link #decodeFrame}.
     *
     * @param header  the image's IHDR and colour chunks; its size is the canvas's
     * @param frames  the animation's frames in order, at least one; with {@code defaultImageHidden}
     *                the first is the default image
     * @param defaultImageHidden whether the default image (IDAT) is not part of the animation (its
     *                fcTL comes after it): what viewers without APNG support show, listed first
     */
    record Animation(Header header, List<Frame> frames, boolean defaultImageHidden) {
    }

    /**
     * One APNG frame: its rectangle on the canvas, what happens to it after it is shown
     * ({@code dispose}: 0 none, 1 clear to transparent, 2 back to what was there), whether it is
     * blended over the canvas or replaces it, and where its data starts: the first IDAT, or the
     * first fdAT (whose 4-byte sequence number comes before the data).
     */
    record Frame(int width, int height, int x, int y, int dispose, boolean blend, int firstChunk, boolean fdat) {
    }

    /**
     * Reads the chunks of an animated PNG (APNG) this decoder handles.
     *
     * @return the animation, or {@code null} for a still PNG, another format, a PNG the still
     *         decoder would not take (see {@link #probe}), or an animation whose structure is
     *         unsound (no frame, a frame outside the canvas or without data, unknown operations)
     */
    static Animation probeAnimation(byte[] d) {
        Animation animation = scan(d, true);
        return animation == null || animation.frames().isEmpty() ? null : animation;
    }

    /**
     * Walks the chunks once: the still image's header, and with {@code animated} an APNG's frames
     * (an empty list for a still PNG). Without {@code animated}, an APNG gives {@code null}.
     */
    private static Animation scan(byte[] d, boolean animated) {
        if (!RawMetadata.isPng(d) || d.length < 33 || !RawMetadata.fourCC(d, 12, "IHDR") || RawMetadata.u32be(d, 8) != 13) {
            return null;
        }
        long width = RawMetadata.u32be(d, 16);
        long height = RawMetadata.u32be(d, 20);
        int bitDepth = d[24] & 0xFF;
        int colorType = d[25] & 0xFF;
        boolean powerOfTwo = Integer.bitCount(bitDepth) == 1;
        boolean supported = switch (colorType) {
            case COLOR_GRAY -> powerOfTwo && bitDepth <= 16;
            case COLOR_RGB, COLOR_GRAY_ALPHA, COLOR_RGBA -> bitDepth == 8 || bitDepth == 16;
            case COLOR_PALETTE -> powerOfTwo && bitDepth <= 8;
            default -> false;
        };
        if (!supported || width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE
                || d[26] != 0 || d[27] != 0 || (d[28] != 0 && d[28] != 1)) {
            return null; // compression, filter and interlace methods
        }
        byte[] palette = null;
        int[] key = null;
        int firstIdat = -1;
        boolean icc = false;
        boolean idatEnded = false;
        FrameList frames = null;
        int i = 33;
        while (true) {
            if (i + 12 > d.length) {
                return null;
            }
            long length = RawMetadata.u32be(d, i);
            if (length > d.length - i - 12) {
                return null;
            }
            int body = i + 8;
            if (RawMetadata.fourCC(d, i + 4, "IDAT")) {
                if (idatEnded) {
                    return null; // image data split by another chunk: not a valid PNG
                }
                if (firstIdat < 0) {
                    firstIdat = i;
                    if (frames != null) {
                        frames.data(i, false);
                    }
                }
            } else if (RawMetadata.fourCC(d, i + 4, "fdAT")) {
                if (frames == null || length < 4 || !frames.data(i, true)) {
                    return null;
                }
            } else {
                idatEnded = firstIdat >= 0;
                if (RawMetadata.fourCC(d, i + 4, "IEND")) {
                    break;
                } else if (RawMetadata.fourCC(d, i + 4, "acTL")) {
                    if (!animated || length != 8 || firstIdat >= 0) {
                        return null;
                    }
                    frames = new FrameList((int) width, (int) height);
                } else if (RawMetadata.fourCC(d, i + 4, "fcTL")) {
                    if (frames != null && !frames.control(frameControl(d, body, (int) length, width, height), firstIdat)) {
                        return null;
                    }
                } else if (RawMetadata.fourCC(d, i + 4, "iCCP")) {
                    icc = true;
                } else if (RawMetadata.fourCC(d, i + 4, "PLTE")) {
                    if (colorType == COLOR_PALETTE) {
                        if (length % 3 != 0 || length == 0 || length > 3 * 256 || palette != null) {
                            return null;
                        }
                        palette = new byte[(int) length / 3 * 4];
                        for (int e = 0, p = body; p < body + length; e += 4, p += 3) {
                            palette[e] = d[p];
                            palette[e + 1] = d[p + 1];
                            palette[e + 2] = d[p + 2];
                            palette[e + 3] = (byte) 0xFF;
                        }
                    }
                } else if (RawMetadata.fourCC(d, i + 4, "tRNS")) {
                    if (colorType == COLOR_PALETTE) {
                        if (palette == null || length > palette.length / 4) {
                            return null;
                        }
                        for (int e = 0; e < length; e++) {
                            palette[4 * e + 3] = d[body + e];
                        }
                    } else {
                        // ImageIO compares a gray key below 8 bits with the sample already scaled
                        // to 8 bits (a 1-bit key of 1 never matches, since 1 became 255): such
                        // files are left to it rather than decoded differently from before.
                        if (key != null || firstIdat >= 0 || bitDepth < 8) {
                            return null;
                        }
                        key = colorKey(d, body, (int) length, colorType);
                        if (key == null) {
                            return null;
                        }
                    }
                }
            }
            i = body + (int) length + 4; // CRC
        }
        if (firstIdat < 0 || (colorType == COLOR_PALETTE && palette == null) || (frames != null && !frames.complete())) {
            return null;
        }
        Header header = new Header((int) width, (int) height, bitDepth, colorType, palette, firstIdat, icc, d[28] == 1, key);
        return frames == null ? new Animation(header, List.of(), false)
                : new Animation(header, List.copyOf(frames.frames), frames.defaultImageHidden);
    }

    /** An APNG's frames as {@link #scan} meets their chunks: each fcTL, then the chunk its data starts in. */
    private static final class FrameList {
        private final int canvasWidth;
        private final int canvasHeight;
        private final List<Frame> frames = new ArrayList<>();
        private boolean defaultImageHidden;

        FrameList(int canvasWidth, int canvasHeight) {
            this.canvasWidth = canvasWidth;
            this.canvasHeight = canvasHeight;
        }

        /**
         * A frame's fcTL; {@code firstIdat} is the first IDAT's offset if it came before (the
         * default image is then not part of the animation, and is listed first).
         *
         * @return false for an unsound frame ({@code null}) or when the frame before has no data
         */
        boolean control(Frame frame, int firstIdat) {
            if (frame == null || !complete()) {
                return false;
            }
            if (frames.isEmpty() && firstIdat >= 0) {
                defaultImageHidden = true;
                frames.add(new Frame(canvasWidth, canvasHeight, 0, 0, 1, false, firstIdat, false));
            }
            frames.add(frame);
            return true;
        }

        /**
         * A data chunk: it starts the last frame's data if that has none yet (the first IDAT is
         * frame 0's when its fcTL came first).
         *
         * @return false for an fdAT before any fcTL
         */
        boolean data(int chunk, boolean fdat) {
            if (frames.isEmpty()) {
                return !fdat;
            }
            Frame last = frames.get(frames.size() - 1);
            if (last.firstChunk() < 0) {
                frames.set(frames.size() - 1, new Frame(last.width(), last.height(), last.x(), last.y(),
                        last.dispose(), last.blend(), chunk, fdat));
            }
            return true;
        }

        /** Whether every frame has its data. */
        boolean complete() {
            return frames.isEmpty() || frames.get(frames.size() - 1).firstChunk() >= 0;
        }
    }

    /** An fcTL chunk's frame, still without data; {@code null} when it does not fit the canvas or names no known operation. */
    private static Frame frameControl(byte[] d, int body, int length, long canvasWidth, long canvasHeight) {
        if (length != 26) {
            return null;
        }
        long w = RawMetadata.u32be(d, body + 4);
        long h = RawMetadata.u32be(d, body + 8);
        long x = RawMetadata.u32be(d, body + 12);
        long y = RawMetadata.u32be(d, body + 16);
        int dispose = d[body + 24] & 0xFF;
        int blend = d[body + 25] & 0xFF;
        if (w == 0 || h == 0 || x + w > canvasWidth || y + h > canvasHeight || dispose > 2 || blend > 1) {
            return null;
        }
        return new Frame((int) w, (int) h, (int) x, (int) y, dispose, blend == 1, -1, false);
    }

    /**
     * Decodes one APNG frame at full size, as stored: RGB with the stored colour kept, and its
     * alpha (the canvas blends and the caller applies the transparency option to what it shows).
     *
     * @throws IOException for data that cannot be decoded, as {@link #decode}
     */
    static Pixels decodeFrame(byte[] d, Header canvas, Frame frame) throws IOException {
        Header header = new Header(frame.width(), frame.height(), canvas.bitDepth(), canvas.colorType(), canvas.palette(),
                frame.firstChunk(), canvas.hasIccProfile(), canvas.interlaced(), canvas.transparentKey());
        int pixels = Math.multiplyExact(frame.width(), frame.height());
        byte[] rgb = new byte[Math.multiplyExact(pixels, 3)];
        byte[] alpha = new byte[pixels];
        decodeStream(new ImageData(d, frame.firstChunk(), frame.fdat()), header, 1,
                new RowConverter(header, STORED_COLOR, alpha, null), rgb);
        return new Pixels(frame.width(), frame.height(), rgb, alpha);
    }

    /**
     * Heap that {@link #decodeFrame} allocates for a {@code width x height} frame: its RGB and
     * alpha, and rows counted at the canvas's width (no frame is wider).
     */
    static long frameHeapBytes(Header canvas, int width, int height) {
        return rowBytes(canvas, canvas.width()) + 4L * width * height;
    }

    /** A gray or RGB image's tRNS colour key (16-bit values), or {@code null} when the chunk does not fit the colour type. */
    private static int[] colorKey(byte[] d, int body, int length, int colorType) {
        int samples = colorType == COLOR_GRAY ? 1 : colorType == COLOR_RGB ? 3 : 0;
        if (samples == 0 || length != 2 * samples) {
            return null;
        }
        int[] key = new int[samples];
        for (int c = 0; c < samples; c++) {
            key[c] = RawMetadata.u16be(d, body + 2 * c);
        }
        return key;
    }

    /**
     * The size {@link #decode} returns for this reduction: each side divided, partial blocks dropped.
     *
     * @return {width, height}
     */
    static int[] outputSize(Header header, int reduction) {
        int factor = effectiveFactor(header, reduction);
        return new int[] {header.width() / factor, header.height() / factor};
    }

    /**
     * Heap that {@link #decode} allocates: two rows as stored, two as 8-bit samples (the widened
     * row and the composited copy), one RGB row, the block sums (one row of them, or for an
     * interlaced image the whole reduced image's, since its pixels arrive in any order) and the result.
     */
    static long heapBytes(Header header, int reduction) {
        int[] size = outputSize(header, reduction);
        long outPixels = (long) size[0] * size[1];
        long sums = effectiveFactor(header, reduction) == 1 ? 0 : header.interlaced() ? 6 * outPixels : 12L * size[0];
        return rowBytes(header, header.width()) + sums + 3 * outPixels;
    }

    /** The rows a decode of {@code width}-pixel rows holds: two as stored, two as 8-bit samples, one RGB. */
    private static long rowBytes(Header header, int width) {
        long stored = 2L * (header.stride(width) + 1) + ImageData.BUFFER_BYTES;
        long eightBit = (header.widened() ? 2 : 1) * (channelsOf(header.pixelType()) * (long) width + 1);
        return stored + eightBit + 3L * width;
    }

    private static int effectiveFactor(Header header, int reduction) {
        boolean valid = reduction == 2 || reduction == 4 || reduction == 8;
        return valid && header.width() >= reduction && header.height() >= reduction ? reduction : 1;
    }

    /**
     * Decodes the image to RGB, the transparency option applied, box-averaged over
     * {@code reduction x reduction} blocks.
     *
     * @param reduction 1, 2, 4 or 8 (1 when the image is smaller than a block)
     * @return interleaved RGB samples of {@link #outputSize}
     * @throws IOException for data that cannot be decoded (corrupt or truncated compressed data,
     *                     an unknown row filter, a palette index without an entry)
     */
    static byte[] decode(byte[] d, Header header, int reduction, DecodeOptions options) throws IOException {
        return decode(d, header, reduction, options, null);
    }

    /**
     * {@link #decode(byte[], Header, int, DecodeOptions)} with the colours converted from
     * {@code profile} to sRGB row by row, before the transparency option and the averaging see
     * them: how a translucent PNG with an ICC profile is decoded (an opaque one is converted after
     * the reduction, which is cheaper: {@code ImageDecoder.decodePng}).
     *
     * @param profile an RGB profile for an RGB, RGBA or palette image ({@link Header#colourManageable}), or {@code null}
     * @throws java.awt.color.CMMException when LittleCMS cannot transform with the profile
     */
    static byte[] decode(byte[] d, Header header, int reduction, DecodeOptions options, ICC_Profile profile)
            throws IOException {
        int factor = effectiveFactor(header, reduction);
        int[] size = outputSize(header, reduction);
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(size[0], size[1]), 3)];
        decodeStream(new ImageData(d, header.firstIdat(), false), header, factor,
                new RowConverter(header, options, null, profile), out);
        return out;
    }

    /** Decodes one image's stream, in either row order, into {@code out}; the inflater is released. */
    private static void decodeStream(ImageData data, Header header, int factor, RowConverter converter, byte[] out)
            throws IOException {
        data.expect(filteredBytes(header));
        try {
            Blocks blocks = new Blocks(header, factor);
            if (header.interlaced()) {
                decodeInterlaced(data, header, blocks, converter, out);
            } else {
                decodeSequential(data, header, blocks, converter, out);
            }
        } catch (DataFormatException e) {
            throw new IOException("corrupt compressed image data: " + e.getMessage(), e);
        } finally {
            data.end();
        }
    }

    /**
     * The bytes the image's rows take in the decompressed stream, filter bytes included: what the
     * decoder inflates, and no more (whatever follows may be damaged without harming the image).
     */
    private static long filteredBytes(Header header) {
        if (!header.interlaced()) {
            return (long) header.height() * (header.stride() + 1);
        }
        long bytes = 0;
        for (int[] pass : ADAM7) {
            int passWidth = passSize(header.width(), pass[0], pass[2]);
            int passHeight = passSize(header.height(), pass[1], pass[3]);
            if (passWidth > 0 && passHeight > 0) {
                bytes += (long) passHeight * (header.stride(passWidth) + 1);
            }
        }
        return bytes;
    }

    /**
     * The blocks a reduction averages: {@code factor x factor} pixels each (factor 1: no
     * reduction), {@code outWidth} of them across, covering the first {@code rowsUsed} rows (the
     * last partial row of blocks is dropped); a block's area is {@code 1 << areaShift}.
     */
    private record Blocks(int factor, int outWidth, int rowsUsed, int areaShift) {
        Blocks(Header header, int factor) {
            this(factor, header.width() / factor, header.height() / factor * factor,
                    Integer.numberOfTrailingZeros(factor * factor));
        }
    }

    /** Rows in order: each converted into the result, or added into its row of block sums. */
    private static void decodeSequential(ImageData data, Header header, Blocks blocks, RowConverter converter, byte[] out)
            throws IOException, DataFormatException {
        int width = header.width();
        int height = header.height();
        int factor = blocks.factor();
        int outWidth = blocks.outWidth();
        int pixelType = header.pixelType();
        Rows rows = new Rows(header);
        boolean direct = pixelType == COLOR_RGB || pixelType == COLOR_RGBA;
        byte[] line = factor == 1 || direct ? null : new byte[3 * width];
        // Samples per pixel in the rows that are summed: RGB(A) as stored, the others converted to RGB.
        int channels = direct ? channelsOf(pixelType) : 3;
        int[] sums = factor == 1 ? null : new int[outWidth * 3];
        byte[] composited = factor > 1 && pixelType == COLOR_RGBA ? new byte[4 * width + 1] : null;
        for (int y = 0; y < height; y++) {
            byte[] row = converter.managed(rows.next(data, width, y, height), width);
            if (factor == 1) {
                converter.convert(row, width, out, y * width * 3);
                converter.alpha(row, width, y * width, 1);
            } else if (y < blocks.rowsUsed()) {
                if (pixelType == COLOR_RGBA) {
                    // Not in place: the row is the next row's reference for unfiltering.
                    BoxAverage.addBlocks(converter.composited(row, composited), 1, channels, factor, sums);
                } else if (pixelType == COLOR_RGB) {
                    BoxAverage.addBlocks(row, 1, channels, factor, sums);
                } else {
                    converter.convert(row, width, line, 0);
                    BoxAverage.addBlocks(line, 0, channels, factor, sums);
                }
                if ((y + 1) % factor == 0) {
                    BoxAverage.averageBlocks(sums, blocks.areaShift(), out, (y / factor) * outWidth * 3);
                }
            }
        }
    }

    /**
     * Adam7's seven passes, each a smaller image of its own (filtered on its own, a pass without
     * columns or rows has no data at all): each pass row is converted to RGB and its pixels put in
     * their place in the result, or added into their blocks' sums, which needs sums for the whole
     * reduced image but never the full one.
     */
    private static void decodeInterlaced(ImageData data, Header header, Blocks blocks, RowConverter converter, byte[] out)
            throws IOException, DataFormatException {
        int width = header.width();
        int height = header.height();
        int factor = blocks.factor();
        Rows rows = new Rows(header);
        byte[] line = new byte[3 * width];
        // At most 64 samples of 255 in a block: 16320 fits in a char.
        char[] sums = factor == 1 ? null : new char[out.length];
        int done = 0;
        int totalRows = 0;
        for (int[] pass : ADAM7) {
            totalRows += passSize(width, pass[0], pass[2]) == 0 ? 0 : passSize(height, pass[1], pass[3]);
        }
        for (int[] pass : ADAM7) {
            int passWidth = passSize(width, pass[0], pass[2]);
            int passHeight = passSize(height, pass[1], pass[3]);
            if (passWidth == 0 || passHeight == 0) {
                continue;
            }
            rows.startPass();
            for (int r = 0; r < passHeight; r++, done++) {
                byte[] row = converter.managed(rows.next(data, passWidth, done, totalRows), passWidth);
                converter.convert(row, passWidth, line, 0);
                int y = pass[1] + r * pass[3];
                if (factor == 1) {
                    placePassRow(line, passWidth, pass, (y * width + pass[0]) * 3, out);
                    converter.alpha(row, passWidth, y * width + pass[0], pass[2]);
                } else if (y < blocks.rowsUsed()) {
                    addPassRow(line, pass, y / factor * blocks.outWidth(), factor, blocks.outWidth() * factor, sums);
                }
            }
        }
        if (sums != null) {
            int half = 1 << blocks.areaShift() >> 1;
            for (int i = 0; i < sums.length; i++) {
                out[i] = (byte) ((sums[i] + half) >> blocks.areaShift());
            }
        }
    }

    /** Puts a pass row's RGB pixels in their columns of the result, the first at {@code o}. */
    private static void placePassRow(byte[] line, int passWidth, int[] pass, int o, byte[] out) {
        for (int i = 0; i < 3 * passWidth; i += 3, o += 3 * pass[2]) {
            out[o] = line[i];
            out[o + 1] = line[i + 1];
            out[o + 2] = line[i + 2];
        }
    }

    /**
     * Adds a pass row's RGB pixels into their blocks' sums; {@code firstBlock} is the row's first
     * block, and pixels from column {@code columnsUsed} on belong to no whole block.
     */
    private static void addPassRow(byte[] line, int[] pass, int firstBlock, int factor, int columnsUsed, char[] sums) {
        for (int i = 0, x = pass[0]; x < columnsUsed; i += 3, x += pass[2]) {
            int s = (firstBlock + x / factor) * 3;
            sums[s] += (char) (line[i] & 0xFF);
            sums[s + 1] += (char) (line[i + 1] & 0xFF);
            sums[s + 2] += (char) (line[i + 2] & 0xFF);
        }
    }

    /**
     * The row being decoded and the row above it (the filters' reference), in either row order,
     * and the 8-bit copy {@link #widen} makes of rows that need one.
     */
    private static final class Rows {
        private final Header header;
        private final int distance;
        private final byte[] wide;
        private byte[] current;
        private byte[] previous;

        Rows(Header header) {
            this.header = header;
            this.distance = header.filterDistance();
            this.wide = header.widened() ? new byte[channelsOf(header.pixelType()) * header.width() + 1] : null;
            this.current = new byte[header.stride() + 1];
            this.previous = new byte[header.stride() + 1];
        }

        /** An interlace pass starts: its first row has no row above (all zeros for the filters). */
        void startPass() {
            Arrays.fill(current, (byte) 0);
        }

        /**
         * Reads and unfilters the next row of {@code pixels} pixels, widened when it needs to be; the
         * row it returns is the next one's reference, not to be changed. {@code done} of
         * {@code total} rows were read before, for the messages.
         */
        byte[] next(ImageData data, int pixels, int done, int total) throws IOException, DataFormatException {
            byte[] above = current;
            current = previous;
            previous = above;
            int stride = header.stride(pixels);
            data.read(current, stride + 1, done, total);
            unfilter(current, previous, stride, distance, done);
            return wide == null ? current : widen(header, current, pixels, wide);
        }
    }

    /** Pixels of a pass along one side: those at {@code first}, {@code first + step}, ... below {@code size}. */
    private static int passSize(int size, int first, int step) {
        return size <= first ? 0 : (size - first + step - 1) / step;
    }

    /**
     * A row of 16-bit samples, gray below 8 bits, or with a colour key, as 8-bit samples of
     * {@link Header#pixelType} in {@code wide} (after a filter byte left 0), by the rules the other
     * decoders follow (docs/images.md): a 16-bit sample keeps its high byte, as {@link Pixels} does
     * with ImageIO's raster, alpha included, so the transparency option then sees 8-bit alpha; gray
     * of {@code b} bits is scaled to 0..255 exactly ({@code v * 255 / (2^b - 1)}, as ImageIO's and
     * Leptonica's gray tables); a pixel whose samples all equal the key, compared at full
     * precision, gets alpha 0 and the others 255.
     */
    private static byte[] widen(Header header, byte[] row, int width, byte[] wide) {
        int bits = header.bitDepth();
        if (bits < 8) {
            int scale = 255 / ((1 << bits) - 1);
            for (int x = 0; x < width; x++) {
                wide[1 + x] = (byte) (packedSample(row, x, bits) * scale);
            }
            return wide;
        }
        int channels = header.channels();
        int bytes = bits / 8;
        int[] key = header.transparentKey();
        if (key == null) {
            // 16 bits without a key, the usual case: only the high bytes matter, no sample is compared.
            for (int p = 1, o = 1, end = 1 + 2 * width * channels; p < end; p += 2, o++) {
                wide[o] = row[p];
            }
            return wide;
        }
        for (int p = 1, o = 1, end = 1 + width * channels * bytes; p < end; ) {
            boolean keyed = true;
            for (int c = 0; c < channels; c++, p += bytes) {
                int v = bytes == 2 ? (row[p] & 0xFF) << 8 | row[p + 1] & 0xFF : row[p] & 0xFF;
                keyed &= v == key[c];
                wide[o++] = row[p];
            }
            wide[o++] = keyed ? 0 : (byte) 0xFF;
        }
        return wide;
    }

    /** Pixel {@code x}'s sample in a row (after its filter byte) of {@code bits}-bit samples packed high bits first. */
    private static int packedSample(byte[] row, int x, int bits) {
        int perByte = 8 / bits;
        int shift = 8 - bits * (x % perByte + 1);
        return ((row[1 + x / perByte] & 0xFF) >> shift) & ((1 << bits) - 1);
    }

    /**
     * The concatenated IDAT chunks' zlib stream, inflated on demand. Raw deflate: the zlib header
     * is checked here and the Adler-32 trailer is not computed, as libvips (sharp's default) and
     * browsers do; the checksum took 4% of the PNG decoding time.
     */
    private static final class ImageData {
        private static final int BUFFER_BYTES = 64 * 1024;
        private final byte[] d;
        private final Inflater inflater = new Inflater(true);
        /** The chunks the stream is split over: IDAT, or an APNG frame's fdAT. */
        private final String chunkType;
        /** Bytes before the data in each chunk: an fdAT's sequence number. */
        private final int skip;
        private byte[] buffer;
        private int position;
        private int limit;
        /** Decompressed bytes the image still needs beyond the buffer: inflating stops there. */
        private long remaining = Long.MAX_VALUE;
        private int next;
        private int zlibHeader;
        private int zlibHeaderBytes;

        /** The stream from the chunk at {@code first} on: IDAT chunks, or with {@code fdat} an APNG frame's fdAT chunks. */
        ImageData(byte[] d, int first, boolean fdat) {
            this.d = d;
            this.next = first;
            this.chunkType = fdat ? "fdAT" : "IDAT";
            this.skip = fdat ? 4 : 0;
        }

        /** The image's rows take {@code bytes} of the decompressed stream; nothing after them is inflated. */
        void expect(long bytes) {
            remaining = bytes;
        }

        /** Fills {@code row[0..length)}; {@code done} of {@code total} rows were read before, for the message. */
        void read(byte[] row, int length, int done, int total) throws IOException, DataFormatException {
            int filled = 0;
            while (filled < length) {
                if (position == limit) {
                    refill(done, total);
                }
                int n = Math.min(length - filled, limit - position);
                System.arraycopy(buffer, position, row, filled, n);
                position += n;
                filled += n;
            }
        }

        /**
         * Inflates the next bytes into the buffer. Many rows at a time, not row by row: zlib's fast
         * loop stops 258 bytes before the end of its output, so a row's last bytes took its slow
         * path, and a JNI call per row. Never past the image's last row, as libpng and ImageIO
         * stop there: damaged data after it would otherwise fail the rows before it.
         */
        private void refill(int done, int total) throws IOException, DataFormatException {
            if (buffer == null) {
                // No larger than the image's rows: a small APNG frame or icon needs no 64 KiB.
                buffer = new byte[(int) Math.max(1, Math.min(BUFFER_BYTES, remaining))];
            }
            int want = (int) Math.min(buffer.length, remaining);
            if (want == 0) {
                // The rows never ask for more than filteredBytes: reaching this is a decoder bug.
                throw new IOException("row " + done + " of " + total + " lies past the image's filtered bytes");
            }
            int idle = 0;
            while (true) {
                if (inflater.needsInput()) {
                    feed(done, total);
                    idle = 0;
                    continue;
                }
                int n = inflater.inflate(buffer, 0, want);
                if (n > 0) {
                    position = 0;
                    limit = n;
                    remaining -= n;
                    return;
                }
                if (inflater.finished() || inflater.needsDictionary() || ++idle > 2) {
                    throw new IOException("the compressed image data ends after " + done + " of " + total + " rows");
                }
            }
        }

        private void feed(int done, int total) throws IOException {
            if (!RawMetadata.fourCC(d, next + 4, chunkType)) {
                throw new IOException("the image data ends after " + done + " of " + total + " rows");
            }
            int length = (int) RawMetadata.u32be(d, next) - skip;
            int start = next + 8 + skip;
            next += 12 + skip + length;
            // The two header bytes may lie in different (tiny) IDAT chunks.
            for (; zlibHeaderBytes < 2 && length > 0; zlibHeaderBytes++, start++, length--) {
                zlibHeader = zlibHeader << 8 | d[start] & 0xFF;
                if (zlibHeaderBytes == 1) {
                    checkZlibHeader(zlibHeader);
                }
            }
            inflater.setInput(d, start, length);
        }

        void end() {
            inflater.end();
        }
    }

    /**
     * Checks the zlib stream header (RFC 1950) that a raw inflater does not read: deflate with a
     * window of at most 32 KiB, a valid check value and no preset dictionary (which PNG forbids).
     */
    private static void checkZlibHeader(int cmfFlg) throws IOException {
        boolean deflate = (cmfFlg >> 8 & 0x0F) == 8 && (cmfFlg >> 12) <= 7;
        if (!deflate || cmfFlg % 31 != 0 || (cmfFlg & 0x20) != 0) {
            throw new IOException("corrupt compressed image data: incorrect header check");
        }
    }

    /** Undoes one row's filter in place; {@code row[0]} is the filter type. */
    private static void unfilter(byte[] row, byte[] above, int stride, int bpp, int y) throws IOException {
        switch (row[0]) {
            case 0 -> { }
            case 1 -> sub(row, stride, bpp);
            case 2 -> {
                for (int x = 1; x <= stride; x++) {
                    row[x] += above[x];
                }
            }
            case 3 -> average(row, above, stride, bpp);
            case 4 -> paeth(row, above, stride, bpp);
            default -> throw new IOException("row " + y + " has the unknown filter type " + (row[0] & 0xFF));
        }
    }

    /**
     * Undoes the Sub filter. As in {@link #paeth}, three- and four-byte pixels keep the left
     * bytes in locals, so the channels' additions do not wait for each other's stores.
     */
    private static void sub(byte[] row, int stride, int bpp) {
        if (bpp == 3) {
            int left0 = row[1], left1 = row[2], left2 = row[3];
            for (int x = 4; x + 2 <= stride; x += 3) {
                left0 += row[x];
                left1 += row[x + 1];
                left2 += row[x + 2];
                row[x] = (byte) left0;
                row[x + 1] = (byte) left1;
                row[x + 2] = (byte) left2;
            }
        } else if (bpp == 4) {
            int left0 = row[1], left1 = row[2], left2 = row[3], left3 = row[4];
            for (int x = 5; x + 3 <= stride; x += 4) {
                left0 += row[x];
                left1 += row[x + 1];
                left2 += row[x + 2];
                left3 += row[x + 3];
                row[x] = (byte) left0;
                row[x + 1] = (byte) left1;
                row[x + 2] = (byte) left2;
                row[x + 3] = (byte) left3;
            }
        } else {
            for (int x = 1 + bpp; x <= stride; x++) {
                row[x] += row[x - bpp];
            }
        }
    }

    /** Undoes the Average filter, with the left bytes in locals as in {@link #sub}. */
    private static void average(byte[] row, byte[] above, int stride, int bpp) {
        for (int x = 1; x <= bpp; x++) {
            row[x] += (byte) ((above[x] & 0xFF) >> 1);
        }
        if (bpp == 3) {
            int left0 = row[1] & 0xFF, left1 = row[2] & 0xFF, left2 = row[3] & 0xFF;
            for (int x = 4; x + 2 <= stride; x += 3) {
                left0 = (row[x] + ((left0 + (above[x] & 0xFF)) >> 1)) & 0xFF;
                left1 = (row[x + 1] + ((left1 + (above[x + 1] & 0xFF)) >> 1)) & 0xFF;
                left2 = (row[x + 2] + ((left2 + (above[x + 2] & 0xFF)) >> 1)) & 0xFF;
                row[x] = (byte) left0;
                row[x + 1] = (byte) left1;
                row[x + 2] = (byte) left2;
            }
        } else if (bpp == 4) {
            int left0 = row[1] & 0xFF, left1 = row[2] & 0xFF, left2 = row[3] & 0xFF, left3 = row[4] & 0xFF;
            for (int x = 5; x + 3 <= stride; x += 4) {
                left0 = (row[x] + ((left0 + (above[x] & 0xFF)) >> 1)) & 0xFF;
                left1 = (row[x + 1] + ((left1 + (above[x + 1] & 0xFF)) >> 1)) & 0xFF;
                left2 = (row[x + 2] + ((left2 + (above[x + 2] & 0xFF)) >> 1)) & 0xFF;
                left3 = (row[x + 3] + ((left3 + (above[x + 3] & 0xFF)) >> 1)) & 0xFF;
                row[x] = (byte) left0;
                row[x + 1] = (byte) left1;
                row[x + 2] = (byte) left2;
                row[x + 3] = (byte) left3;
            }
        } else {
            for (int x = 1 + bpp; x <= stride; x++) {
                row[x] += (byte) (((row[x - bpp] & 0xFF) + (above[x] & 0xFF)) >> 1);
            }
        }
    }

    /**
     * Undoes the Paeth filter, the most frequent one (46% of the benchmark PNGs' bytes) and the
     * costliest. Three- and four-byte pixels (8-bit RGB and RGBA), nearly all real images, keep
     * each channel's left and upper-left bytes in locals: the channels' chains then run side by
     * side, where reading each left byte back from the row waited for the store before it. Their
     * loops also write {@link #paethPredictor} out in place (through {@link #paethChannel}, which is
     * small enough for both compilers to inline): the CLI runs only the quick JIT compiler, which
     * does not inline the predictor, and the call for every byte made the filter a third slower
     * there (1.9 against 2.6 ns per byte; the optimizing compiler gives 2.1 either way).
     */
    private static void paeth(byte[] row, byte[] above, int stride, int bpp) {
        for (int x = 1; x <= bpp; x++) {
            row[x] += above[x];
        }
        if (bpp == 3) {
            int left0 = row[1] & 0xFF, left1 = row[2] & 0xFF, left2 = row[3] & 0xFF;
            int upLeft0 = above[1] & 0xFF, upLeft1 = above[2] & 0xFF, upLeft2 = above[3] & 0xFF;
            for (int x = 4; x + 2 <= stride; x += 3) {
                int up0 = above[x] & 0xFF, up1 = above[x + 1] & 0xFF, up2 = above[x + 2] & 0xFF;
                int d = left0 - up0, m = d >> 31, low = up0 + (d & m), high = left0 - (d & m);
                int t = 3 * upLeft0 - (left0 + up0);
                left0 = paethChannel(row[x], high, low ^ ((low ^ upLeft0) & ((t - high) >> 31)), low - t);
                d = left1 - up1;
                m = d >> 31;
                low = up1 + (d & m);
                high = left1 - (d & m);
                t = 3 * upLeft1 - (left1 + up1);
                left1 = paethChannel(row[x + 1], high, low ^ ((low ^ upLeft1) & ((t - high) >> 31)), low - t);
                d = left2 - up2;
                m = d >> 31;
                low = up2 + (d & m);
                high = left2 - (d & m);
                t = 3 * upLeft2 - (left2 + up2);
                left2 = paethChannel(row[x + 2], high, low ^ ((low ^ upLeft2) & ((t - high) >> 31)), low - t);
                row[x] = (byte) left0;
                row[x + 1] = (byte) left1;
                row[x + 2] = (byte) left2;
                upLeft0 = up0;
                upLeft1 = up1;
                upLeft2 = up2;
            }
        } else if (bpp == 4) {
            int left0 = row[1] & 0xFF, left1 = row[2] & 0xFF, left2 = row[3] & 0xFF, left3 = row[4] & 0xFF;
            int upLeft0 = above[1] & 0xFF, upLeft1 = above[2] & 0xFF, upLeft2 = above[3] & 0xFF, upLeft3 = above[4] & 0xFF;
            for (int x = 5; x + 3 <= stride; x += 4) {
                int up0 = above[x] & 0xFF, up1 = above[x + 1] & 0xFF, up2 = above[x + 2] & 0xFF, up3 = above[x + 3] & 0xFF;
                int d = left0 - up0, m = d >> 31, low = up0 + (d & m), high = left0 - (d & m);
                int t = 3 * upLeft0 - (left0 + up0);
                left0 = paethChannel(row[x], high, low ^ ((low ^ upLeft0) & ((t - high) >> 31)), low - t);
                d = left1 - up1;
                m = d >> 31;
                low = up1 + (d & m);
                high = left1 - (d & m);
                t = 3 * upLeft1 - (left1 + up1);
                left1 = paethChannel(row[x + 1], high, low ^ ((low ^ upLeft1) & ((t - high) >> 31)), low - t);
                d = left2 - up2;
                m = d >> 31;
                low = up2 + (d & m);
                high = left2 - (d & m);
                t = 3 * upLeft2 - (left2 + up2);
                left2 = paethChannel(row[x + 2], high, low ^ ((low ^ upLeft2) & ((t - high) >> 31)), low - t);
                d = left3 - up3;
                m = d >> 31;
                low = up3 + (d & m);
                high = left3 - (d & m);
                t = 3 * upLeft3 - (left3 + up3);
                left3 = paethChannel(row[x + 3], high, low ^ ((low ^ upLeft3) & ((t - high) >> 31)), low - t);
                row[x] = (byte) left0;
                row[x + 1] = (byte) left1;
                row[x + 2] = (byte) left2;
                row[x + 3] = (byte) left3;
                upLeft0 = up0;
                upLeft1 = up1;
                upLeft2 = up2;
                upLeft3 = up3;
            }
        } else {
            for (int x = 1 + bpp; x <= stride; x++) {
                row[x] += (byte) paethPredictor(row[x - bpp] & 0xFF, above[x] & 0xFF, above[x - bpp] & 0xFF);
            }
        }
    }

    /**
     * The last step of {@link #paethPredictor} written out in {@link #paeth}'s loops: the
     * unfiltered byte from the filtered one and the predictor's {@code high},
     * {@code lowOrUpLeft} and {@code low - threshold}.
     */
    private static int paethChannel(byte filtered, int high, int lowOrUpLeft, int lowMinusThreshold) {
        return (filtered + (high ^ ((high ^ lowOrUpLeft) & (lowMinusThreshold >> 31)))) & 0xFF;
    }

    /**
     * The Paeth predictor of the PNG specification, in the equivalent form stb_image uses (fewer
     * operations, and the upper bytes' part computed apart from the left byte), without branches,
     * since real images make its comparisons unpredictable and the CLI's quick JIT compiler does
     * not turn {@code Math.min} into a conditional move. {@code PngDecoderTest} checks it against
     * the specification's form on every triple of bytes.
     */
    static int paethPredictor(int left, int up, int upLeft) {
        int difference = left - up;
        int leftIsLower = difference >> 31;
        int low = up + (difference & leftIsLower);
        int high = left - (difference & leftIsLower);
        int threshold = 3 * upLeft - (left + up);
        int lowOrUpLeft = low ^ ((low ^ upLeft) & ((threshold - high) >> 31));
        return high ^ ((high ^ lowOrUpLeft) & ((low - threshold) >> 31));
    }

    /**
     * Turns one unfiltered row into RGB with the transparency option applied, by the same rules
     * as {@link Pixels#toRgb}: stored colour kept, fully transparent pixels filled, or blended
     * onto the background in sRGB.
     */
    private static final class RowConverter {
        private final byte[] palette;
        private final int bitDepth;
        private final int pixelType;
        private final DecodeOptions.Transparency transparency;
        private final int backgroundRed;
        private final int backgroundGreen;
        private final int backgroundBlue;
        /** Where {@link #alpha} writes a frame's alpha; {@code null} when only RGB is wanted. */
        private final byte[] alphaOut;
        /** Converts RGB(A) rows from the image's ICC profile; {@code null} when they are used as stored. */
        private final IccConversion icc;
        /** The converted copy of a row {@link #managed} returns (the stored row is the filters' reference). */
        private final byte[] managedRow;

        RowConverter(Header header, DecodeOptions options, byte[] alphaOut, ICC_Profile profile) {
            this.alphaOut = alphaOut;
            this.bitDepth = header.bitDepth();
            this.pixelType = header.pixelType();
            if (profile != null && !header.colourManageable()) {
                throw new IllegalArgumentException("an ICC profile for colour type " + header.colorType());
            }
            IccConversion rows = profile == null ? null : new IccConversion(profile);
            if (rows != null && pixelType == COLOR_PALETTE) {
                // The palette's colours, converted once.
                byte[] converted = header.palette().clone();
                rows.convert(converted, 0, converted.length / 4, 4);
                this.palette = converted;
                this.icc = null;
            } else {
                this.palette = header.palette();
                this.icc = rows;
            }
            this.managedRow = icc == null ? null : new byte[channelsOf(pixelType) * header.width() + 1];
            this.transparency = options.transparency();
            int background = options.background();
            this.backgroundRed = (background >> 16) & 0xFF;
            this.backgroundGreen = (background >> 8) & 0xFF;
            this.backgroundBlue = background & 0xFF;
        }

        /**
         * The row (8-bit samples of the pixel type, after its filter byte) with its colours
         * converted from the ICC profile: a copy, since the stored row is the next row's reference
         * for unfiltering; the row itself when there is no profile (or it went into the palette).
         */
        byte[] managed(byte[] row, int width) {
            if (icc == null) {
                return row;
            }
            int channels = channelsOf(pixelType);
            System.arraycopy(row, 0, managedRow, 0, channels * width + 1);
            icc.convert(managedRow, 1, width, channels);
            return managedRow;
        }

        /** Converts the first {@code width} pixels of a row of 8-bit samples (or palette indexes) of the pixel type. */
        void convert(byte[] row, int width, byte[] rgb, int o) throws IOException {
            switch (pixelType) {
                case COLOR_RGB -> System.arraycopy(row, 1, rgb, o, 3 * width);
                case COLOR_GRAY -> {
                    for (int x = 1; x <= width; x++, o += 3) {
                        rgb[o] = row[x];
                        rgb[o + 1] = row[x];
                        rgb[o + 2] = row[x];
                    }
                }
                case COLOR_RGBA -> {
                    for (int p = 1; p < 4 * width; p += 4, o += 3) {
                        put(rgb, o, row[p] & 0xFF, row[p + 1] & 0xFF, row[p + 2] & 0xFF, row[p + 3] & 0xFF);
                    }
                }
                case COLOR_GRAY_ALPHA -> {
                    for (int p = 1; p < 2 * width; p += 2, o += 3) {
                        int g = row[p] & 0xFF;
                        put(rgb, o, g, g, g, row[p + 1] & 0xFF);
                    }
                }
                default -> palette(row, width, rgb, o);
            }
        }

        /**
         * Writes the alpha of the first {@code width} pixels of a row (as {@link #convert} reads
         * it) to the alpha plane, at {@code o}, {@code o + step}, ...; nothing without a plane.
         */
        void alpha(byte[] row, int width, int o, int step) {
            if (alphaOut == null) {
                return;
            }
            for (int x = 0; x < width; x++, o += step) {
                alphaOut[o] = switch (pixelType) {
                    case COLOR_RGBA -> row[4 * x + 4];
                    case COLOR_GRAY_ALPHA -> row[2 * x + 2];
                    // An index without an entry was already refused by convert.
                    case COLOR_PALETTE -> palette[4 * packedSample(row, x, bitDepth) + 3];
                    default -> (byte) 0xFF;
                };
            }
        }

        /**
         * An RGBA row with the transparency option applied: the row itself when every pixel is
         * opaque (nearly always, in the usual PNG with alpha), else a copy in {@code scratch}.
         */
        byte[] composited(byte[] row, byte[] scratch) {
            if (transparency == DecodeOptions.Transparency.KEEP_STORED_COLOR) {
                return row;
            }
            byte[] out = row;
            for (int p = 1; p < row.length; p += 4) {
                if (row[p + 3] != (byte) 0xFF) {
                    if (out == row) {
                        System.arraycopy(row, 0, scratch, 0, row.length);
                        out = scratch;
                    }
                    put(out, p, row[p] & 0xFF, row[p + 1] & 0xFF, row[p + 2] & 0xFF, row[p + 3] & 0xFF);
                }
            }
            return out;
        }

        private void palette(byte[] row, int width, byte[] rgb, int o) throws IOException {
            int entries = palette.length / 4;
            for (int x = 0; x < width; x++, o += 3) {
                int index = packedSample(row, x, bitDepth);
                if (index >= entries) {
                    throw new IOException("palette index " + index + " but the palette has " + entries + " entries");
                }
                int e = 4 * index;
                put(rgb, o, palette[e] & 0xFF, palette[e + 1] & 0xFF, palette[e + 2] & 0xFF, palette[e + 3] & 0xFF);
            }
        }

        private void put(byte[] rgb, int o, int r, int g, int b, int a) {
            if (a == 0xFF || transparency == DecodeOptions.Transparency.KEEP_STORED_COLOR) {
                rgb[o] = (byte) r;
                rgb[o + 1] = (byte) g;
                rgb[o + 2] = (byte) b;
            } else if (transparency == DecodeOptions.Transparency.FILL_TRANSPARENT) {
                boolean invisible = a == 0;
                rgb[o] = (byte) (invisible ? backgroundRed : r);
                rgb[o + 1] = (byte) (invisible ? backgroundGreen : g);
                rgb[o + 2] = (byte) (invisible ? backgroundBlue : b);
            } else {
                rgb[o] = (byte) ((r * a + backgroundRed * (255 - a) + 127) / 255);
                rgb[o + 1] = (byte) ((g * a + backgroundGreen * (255 - a) + 127) / 255);
                rgb[o + 2] = (byte) ((b * a + backgroundBlue * (255 - a) + 127) / 255);
            }
        }
    }

}
