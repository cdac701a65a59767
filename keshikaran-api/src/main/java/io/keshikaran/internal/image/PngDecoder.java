package io.keshikaran.internal.image;

import io.keshikaran.image.DecodeOptions;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * keshikaran's own decoder for the PNGs most files are: not interlaced, 8 bits per sample (or a
 * palette of 1 to 8 bits), not animated, no colour-key transparency. It inflates with
 * {@link Inflater} (the JDK's zlib), unfilters one row at a time, applies the transparency option
 * to each pixel and box-averages the rows into the reduced image as they arrive. So a 5120x2880
 * RGBA PNG costs two rows and the reduced image, where libpng inside Leptonica holds the whole
 * image twice off the heap (7-8 bytes per pixel), and an image with transparent pixels can be
 * reduced too (the transparency option is applied before averaging, pixel by pixel).
 *
 * <p>At full size the result is what libpng and ImageIO give, byte for byte (PNG is lossless);
 * reduced, it is the same box average (rounded, partial blocks dropped) as the native decoder's.
 * Time, on the benchmark folder's 35 PNGs (docs/performance.md): 5-10% less than libpng through
 * Leptonica at full size, up to 13% more reduced; the Paeth filter and zlib's inflate take three
 * quarters of it, and inflate alone three quarters of what libvips (libspng, zlib-ng) takes for
 * the whole decode.
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

    private PngDecoder() {
    }

    /**
     * What {@link #probe} learns from the chunks before the image data.
     *
     * @param palette      RGBA, 4 bytes per entry, for palette images (entries without a tRNS
     *                     value are opaque); {@code null} otherwise
     * @param firstIdat    offset of the first IDAT chunk
     * @param hasIccProfile whether an iCCP chunk is present (the caller decides whether its colours need converting)
     */
    record Header(int width, int height, int bitDepth, int colorType, byte[] palette, int firstIdat,
                  boolean hasIccProfile) {
        int channels() {
            return switch (colorType) {
                case COLOR_RGB -> 3;
                case COLOR_GRAY_ALPHA -> 2;
                case COLOR_RGBA -> 4;
                default -> 1;
            };
        }

        /** Bytes of one unfiltered row, without its filter byte. */
        int stride() {
            return (int) (((long) width * channels() * bitDepth + 7) / 8);
        }
    }

    /**
     * Reads the chunks of a PNG this decoder handles.
     *
     * @return the header, or {@code null} for another format or a PNG it leaves to the other
     *         decoders: interlaced, 16-bit, gray below 8 bits, animated (APNG), a tRNS colour key,
     *         a missing palette, a chunk running past the end, or no IEND (a truncated-looking file)
     */
    static Header probe(byte[] d) {
        if (!RawMetadata.isPng(d) || d.length < 33 || !RawMetadata.fourCC(d, 12, "IHDR") || RawMetadata.u32be(d, 8) != 13) {
            return null;
        }
        long width = RawMetadata.u32be(d, 16);
        long height = RawMetadata.u32be(d, 20);
        int bitDepth = d[24] & 0xFF;
        int colorType = d[25] & 0xFF;
        boolean supported = switch (colorType) {
            case COLOR_GRAY, COLOR_RGB, COLOR_GRAY_ALPHA, COLOR_RGBA -> bitDepth == 8;
            case COLOR_PALETTE -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            default -> false;
        };
        if (!supported || width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE
                || d[26] != 0 || d[27] != 0 || d[28] != 0) {
            return null; // compression, filter method, interlacing
        }
        byte[] palette = null;
        int firstIdat = -1;
        boolean icc = false;
        boolean idatEnded = false;
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
                }
            } else {
                idatEnded = firstIdat >= 0;
                if (RawMetadata.fourCC(d, i + 4, "IEND")) {
                    break;
                } else if (RawMetadata.fourCC(d, i + 4, "acTL")) {
                    return null;
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
                    if (colorType != COLOR_PALETTE || palette == null || length > palette.length / 4) {
                        return null;
                    }
                    for (int e = 0; e < length; e++) {
                        palette[4 * e + 3] = d[body + e];
                    }
                }
            }
            i = body + (int) length + 4; // CRC
        }
        if (firstIdat < 0 || (colorType == COLOR_PALETTE && palette == null)) {
            return null;
        }
        return new Header((int) width, (int) height, bitDepth, colorType, palette, firstIdat, icc);
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

    /** Heap that {@link #decode} allocates: rows, the block sums and the result. */
    static long heapBytes(Header header, int reduction) {
        int[] size = outputSize(header, reduction);
        long row = header.stride() + 1L;
        return 3 * row + 3L * header.width() + 12L * size[0] + 3L * size[0] * size[1];
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
        int factor = effectiveFactor(header, reduction);
        int width = header.width();
        int height = header.height();
        int outWidth = width / factor;
        int rowsUsed = height / factor * factor;
        int stride = header.stride();
        int bytesPerPixel = Math.max(1, header.channels() * header.bitDepth() / 8);
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(outWidth, height / factor), 3)];
        byte[] current = new byte[stride + 1];
        byte[] previous = new byte[stride + 1];
        RowConverter converter = new RowConverter(header, options);
        boolean direct = header.colorType() == COLOR_RGB || header.colorType() == COLOR_RGBA;
        byte[] line = factor == 1 || direct ? null : new byte[3 * width];
        // Samples per pixel in the rows that are summed: RGB(A) as stored, the others converted to RGB.
        int channels = direct ? header.channels() : 3;
        int[] sums = factor == 1 ? null : new int[outWidth * 3];
        int areaShift = Integer.numberOfTrailingZeros(factor * factor);
        byte[] composited = factor > 1 && header.colorType() == COLOR_RGBA ? new byte[stride + 1] : null;
        // Raw deflate: the zlib header is checked here and the Adler-32 trailer is not computed, as
        // libvips (sharp's default) and browsers do; the checksum took 4% of the PNG decoding time.
        Inflater inflater = new Inflater(true);
        try {
            int next = header.firstIdat();
            int zlibHeader = 0;
            int zlibHeaderBytes = 0;
            int filled = 0;
            int idle = 0;
            for (int y = 0; y < height; ) {
                if (inflater.needsInput()) {
                    if (!RawMetadata.fourCC(d, next + 4, "IDAT")) {
                        throw new IOException("the image data ends after " + y + " of " + height + " rows");
                    }
                    int length = (int) RawMetadata.u32be(d, next);
                    int start = next + 8;
                    next += 12 + length;
                    // The two header bytes may lie in different (tiny) IDAT chunks.
                    for (; zlibHeaderBytes < 2 && length > 0; zlibHeaderBytes++, start++, length--) {
                        zlibHeader = zlibHeader << 8 | d[start] & 0xFF;
                        if (zlibHeaderBytes == 1) {
                            checkZlibHeader(zlibHeader);
                        }
                    }
                    inflater.setInput(d, start, length);
                    idle = 0;
                    continue;
                }
                int n = inflater.inflate(current, filled, current.length - filled);
                if (n == 0 && (inflater.finished() || inflater.needsDictionary() || ++idle > 2)) {
                    throw new IOException("the compressed image data ends after " + y + " of " + height + " rows");
                }
                if (n > 0) {
                    idle = 0;
                }
                filled += n;
                if (filled < current.length) {
                    continue;
                }
                unfilter(current, previous, stride, bytesPerPixel, y);
                if (factor == 1) {
                    converter.convert(current, out, y * width * 3);
                } else if (y < rowsUsed) {
                    if (header.colorType() == COLOR_RGBA) {
                        // Not in place: the row is the next row's reference for unfiltering.
                        addBlocks(converter.composited(current, composited), 1, channels, factor, sums);
                    } else if (header.colorType() == COLOR_RGB) {
                        addBlocks(current, 1, channels, factor, sums);
                    } else {
                        converter.convert(current, line, 0);
                        addBlocks(line, 0, channels, factor, sums);
                    }
                    if ((y + 1) % factor == 0) {
                        averageBlocks(sums, areaShift, out, (y / factor) * outWidth * 3);
                    }
                }
                byte[] swap = previous;
                previous = current;
                current = swap;
                filled = 0;
                y++;
            }
        } catch (DataFormatException e) {
            throw new IOException("corrupt compressed image data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        return out;
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
            case 1 -> {
                for (int x = 1 + bpp; x <= stride; x++) {
                    row[x] += row[x - bpp];
                }
            }
            case 2 -> {
                for (int x = 1; x <= stride; x++) {
                    row[x] += above[x];
                }
            }
            case 3 -> {
                for (int x = 1; x <= bpp; x++) {
                    row[x] += (byte) ((above[x] & 0xFF) >> 1);
                }
                for (int x = 1 + bpp; x <= stride; x++) {
                    row[x] += (byte) (((row[x - bpp] & 0xFF) + (above[x] & 0xFF)) >> 1);
                }
            }
            case 4 -> paeth(row, above, stride, bpp);
            default -> throw new IOException("row " + y + " has the unknown filter type " + (row[0] & 0xFF));
        }
    }

    /**
     * Undoes the Paeth filter, the most frequent one (46% of the benchmark PNGs' pixels) and the
     * costliest: its predictor is computed without branches, since real images make its
     * comparisons unpredictable, and this form took a quarter of the textbook one's time on such data.
     */
    private static void paeth(byte[] row, byte[] above, int stride, int bpp) {
        for (int x = 1; x <= bpp; x++) {
            row[x] += above[x];
        }
        for (int x = 1 + bpp; x <= stride; x++) {
            int left = row[x - bpp] & 0xFF;
            int up = above[x] & 0xFF;
            int upLeft = above[x - bpp] & 0xFF;
            int da = up - upLeft;
            int db = left - upLeft;
            int dc = da + db;
            // Absolute values without branches too (Math.abs may branch in the quick JIT compiler).
            int pa = (da ^ (da >> 31)) - (da >> 31);
            int pb = (db ^ (db >> 31)) - (db >> 31);
            int pc = (dc ^ (dc >> 31)) - (dc >> 31);
            int upOrUpLeft = up ^ ((up ^ upLeft) & ((pc - pb) >> 31));
            row[x] += (byte) (left ^ ((left ^ upOrUpLeft) & (((pb - pa) | (pc - pa)) >> 31)));
        }
    }

    /**
     * Adds each block's {@code factor} pixels of one row to its output pixel's sums: the pixels'
     * samples start at {@code from}, {@code channels} per pixel, R, G and B first. Summing across
     * first keeps the running sums in registers and touches the sums array once per block.
     */
    private static void addBlocks(byte[] row, int from, int channels, int factor, int[] sums) {
        for (int s = 0, p = from; s < sums.length; s += 3) {
            int r = 0;
            int g = 0;
            int b = 0;
            for (int j = 0; j < factor; j++, p += channels) {
                r += row[p] & 0xFF;
                g += row[p + 1] & 0xFF;
                b += row[p + 2] & 0xFF;
            }
            sums[s] += r;
            sums[s + 1] += g;
            sums[s + 2] += b;
        }
    }

    /**
     * Writes one row of output pixels, each the rounded mean of its block's sums (a block's area is
     * {@code 1 << areaShift}: 4, 16 or 64), and clears the sums.
     */
    private static void averageBlocks(int[] sums, int areaShift, byte[] out, int o) {
        int half = 1 << areaShift >> 1;
        for (int i = 0; i < sums.length; i++) {
            out[o + i] = (byte) ((sums[i] + half) >> areaShift);
            sums[i] = 0;
        }
    }

    /**
     * Turns one unfiltered row into RGB with the transparency option applied, by the same rules
     * as {@link Pixels#toRgb}: stored colour kept, fully transparent pixels filled, or blended
     * onto the background in sRGB.
     */
    private static final class RowConverter {
        private final Header header;
        private final DecodeOptions.Transparency transparency;
        private final int backgroundRed;
        private final int backgroundGreen;
        private final int backgroundBlue;
        /** One composited pixel. */
        private final byte[] one = new byte[3];

        RowConverter(Header header, DecodeOptions options) {
            this.header = header;
            this.transparency = options.transparency();
            int background = options.background();
            this.backgroundRed = (background >> 16) & 0xFF;
            this.backgroundGreen = (background >> 8) & 0xFF;
            this.backgroundBlue = background & 0xFF;
        }

        void convert(byte[] row, byte[] rgb, int o) throws IOException {
            int width = header.width();
            switch (header.colorType()) {
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
                default -> palette(row, rgb, o);
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

        private void palette(byte[] row, byte[] rgb, int o) throws IOException {
            byte[] palette = header.palette();
            int entries = palette.length / 4;
            int bits = header.bitDepth();
            int perByte = 8 / bits;
            int mask = (1 << bits) - 1;
            for (int x = 0; x < header.width(); x++, o += 3) {
                int shift = 8 - bits * (x % perByte + 1);
                int index = ((row[1 + x / perByte] & 0xFF) >> shift) & mask;
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
