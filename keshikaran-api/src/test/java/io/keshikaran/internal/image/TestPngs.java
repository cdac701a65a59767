package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * PNGs the decoder tests write themselves, byte by byte: any colour type and bit depth, Adam7
 * interlaced or not, rows filtered with every filter type in turn, any chunks before the data.
 */
final class TestPngs {
    /** Adam7's passes: first column, first row, column step, row step. */
    static final int[][] ADAM7 = {
        {0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

    private TestPngs() {
    }

    /** A PNG whose IDAT holds {@code raw} (filtered rows) deflated, after the given chunks. */
    static byte[] png(int width, int height, int bitDepth, int colorType, byte[] raw, byte[]... before) {
        return png(width, height, bitDepth, colorType, false, raw, before);
    }

    static byte[] png(int width, int height, int bitDepth, int colorType, boolean interlaced, byte[] raw, byte[]... before) {
        byte[] ihdr = new byte[13];
        TestImages.putIntBigEndian(ihdr, 0, width);
        TestImages.putIntBigEndian(ihdr, 4, height);
        ihdr[8] = (byte) bitDepth;
        ihdr[9] = (byte) colorType;
        ihdr[12] = (byte) (interlaced ? 1 : 0);
        byte[][] parts = new byte[before.length + 4][];
        parts[0] = TestImages.pngSignature();
        parts[1] = TestImages.pngChunk("IHDR", ihdr);
        System.arraycopy(before, 0, parts, 2, before.length);
        parts[parts.length - 2] = TestImages.pngChunk("IDAT", deflate(raw));
        parts[parts.length - 1] = TestImages.pngChunk("IEND", new byte[0]);
        return concat(parts);
    }

    /**
     * The filtered image data of {@code samples[y][x * channels + c]} (each below
     * {@code 2^bits}): rows packed as PNG stores them, per pass when interlaced.
     */
    static byte[] imageData(int[][] samples, int width, int height, int channels, int bits, boolean interlaced) {
        int bpp = Math.max(1, channels * bits / 8);
        if (!interlaced) {
            byte[][] rows = new byte[height][];
            for (int y = 0; y < height; y++) {
                rows[y] = packed(samples[y], 0, 1, width, channels, bits);
            }
            return filtered(rows, bpp);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] pass : ADAM7) {
            int passWidth = width <= pass[0] ? 0 : (width - pass[0] + pass[2] - 1) / pass[2];
            int passHeight = height <= pass[1] ? 0 : (height - pass[1] + pass[3] - 1) / pass[3];
            if (passWidth == 0 || passHeight == 0) {
                continue;
            }
            byte[][] rows = new byte[passHeight][];
            for (int r = 0; r < passHeight; r++) {
                rows[r] = packed(samples[pass[1] + r * pass[3]], pass[0], pass[2], passWidth, channels, bits);
            }
            out.writeBytes(filtered(rows, bpp));
        }
        return out.toByteArray();
    }

    /** Pixels {@code first, first + step, ...} of a row of samples, packed high bits first, 16-bit ones big-endian. */
    private static byte[] packed(int[] row, int first, int step, int pixels, int channels, int bits) {
        byte[] out = new byte[(pixels * channels * bits + 7) / 8];
        for (int i = 0; i < pixels; i++) {
            for (int c = 0; c < channels; c++) {
                int v = row[(first + i * step) * channels + c];
                int n = i * channels + c;
                if (bits == 16) {
                    out[2 * n] = (byte) (v >> 8);
                    out[2 * n + 1] = (byte) v;
                } else {
                    int bit = n * bits;
                    out[bit / 8] |= (byte) (v << (8 - bits - bit % 8));
                }
            }
        }
        return out;
    }

    /** Rows filtered with filter type {@code y % 5}, each preceded by its type byte. */
    static byte[] filtered(byte[][] rows, int bpp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] above = new byte[rows[0].length];
        for (int y = 0; y < rows.length; y++) {
            byte[] row = rows[y];
            int type = y % 5;
            out.write(type);
            for (int x = 0; x < row.length; x++) {
                int left = x >= bpp ? row[x - bpp] & 0xFF : 0;
                int up = above[x] & 0xFF;
                int upLeft = x >= bpp ? above[x - bpp] & 0xFF : 0;
                int predicted = switch (type) {
                    case 1 -> left;
                    case 2 -> up;
                    case 3 -> (left + up) / 2;
                    case 4 -> {
                        int p = left + up - upLeft;
                        int pa = Math.abs(p - left);
                        int pb = Math.abs(p - up);
                        int pc = Math.abs(p - upLeft);
                        yield pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
                    }
                    default -> 0;
                };
                out.write((row[x] - predicted) & 0xFF);
            }
            above = row;
        }
        return out.toByteArray();
    }

    /** {@code png} with its image data replaced by these (compressed) bytes in one IDAT chunk. */
    static byte[] withImageData(byte[] png, PngDecoder.Header header, byte[] idat) {
        return concat(Arrays.copyOf(png, header.firstIdat()), TestImages.pngChunk("IDAT", idat), TestImages.pngChunk("IEND", new byte[0]));
    }

    static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** An image decoder with default limits, these options and this choice of decoder. */
    static ImageDecoder decoder(DecodeOptions options, DecodeOptions.Decoder which) {
        return new ImageDecoder(ImageLimits.defaults(), options.toBuilder().optDecoder(which).build());
    }

    interface Decode {
        void run() throws Exception;
    }

    /** The {@link InvalidImageException} a decode throws; an assertion error when it throws none. */
    static InvalidImageException catchInvalid(Decode decode) throws Exception {
        try {
            decode.run();
        } catch (InvalidImageException e) {
            return e;
        }
        throw new AssertionError("no InvalidImageException");
    }

    /** Heap this thread allocates for one reduced decode by {@link PngDecoder}, after one that loads the classes. */
    static long allocatedDecoding(byte[] encoded, int reduction) throws IOException {
        PngDecoder.Header header = PngDecoder.probe(encoded);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PngDecoder.decode(encoded, header, reduction, DecodeOptions.defaults());
        long before = threads.getCurrentThreadAllocatedBytes();
        PngDecoder.decode(encoded, header, reduction, DecodeOptions.defaults());
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
