package io.keshikaran.internal.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * keshikaran's own GIF decoder: parses the blocks and decodes each frame's LZW data straight onto
 * the animation's {@link Canvas}, through the palette, with no {@code BufferedImage}, metadata tree
 * or per-pixel calls between. ImageDecoder's frame loop (placement, disposal, sampling, limits,
 * memory) is the same as for ImageIO's reader; only where frames come from changes.
 *
 * <p>The reference is the JDK's {@code GIFImageReader}, and every result must equal it byte for
 * byte, so its behaviour is reproduced where it differs from other decoders: the 32-bit look-ahead
 * that reads sub-blocks ahead of the codes (a file cut there fails even after the end code), the
 * bytes of earlier sub-blocks that a first sub-block under 4 bytes leaves in the look-ahead, an end
 * of data without an end code (the codes left in the look-ahead are used, the rest of the frame
 * stays index 0, a partly decoded row too), an interlace pass that has no row in a short frame
 * (it still consumes a row of pixels), LZW table entries left from earlier in the frame, palettes
 * padded to 2, 4, 16 or 256 entries with indexes masked to that size, a transparent index past
 * the palette meaning its last entry, the last local palette standing in for a missing global one,
 * and fixed-size reads of graphic-control and plain-text extensions whatever their declared length.
 *
 * <p>Whatever would make that reader fail or warn (a truncated file, an unknown block, a bad code
 * size, an out-of-sequence code, no palette at all) throws an {@link IOException} here: the
 * caller then decodes the file with ImageIO, which reports the error in its words. Every loop
 * advances through the input or the frame, so the work is bounded by the input's and the frames'
 * sizes. Not thread-safe; one per decode.
 */
final class GifDecoder {
    private static final int MAX_CODES = 4096;
    private static final int[] INTERLACE_OFFSET = {0, 4, 2, 1};
    private static final int[] INTERLACE_STEP = {8, 8, 4, 2};

    /**
     * One frame's image descriptor and the graphic control extension before it.
     *
     * @param palette    the local colour table (RGB triplets), or {@code null}
     * @param disposal   0-3, as ImageIO reads it (two bits)
     * @param dataOffset where the LZW minimum code size byte is
     */
    record Frame(int x, int y, int width, int height, boolean interlaced, byte[] palette, int disposal,
                 boolean transparent, int transparentIndex, int dataOffset) {
    }

    private final byte[] d;
    private final byte[] globalPalette;
    /** Where each frame's blocks start, as far as they are known (ImageIO's imageStartPosition). */
    private final List<Integer> starts = new ArrayList<>();
    /** The last local palette decoded with, used by frames that have neither (ImageIO's fallbackColorTable). */
    private byte[] fallbackPalette;
    private int cachedIndex = -1;
    private Frame cached;

    // The LZW tables and the bit reader, ImageIO's, kept for the whole decode: a short first
    // sub-block leaves earlier sub-blocks' bytes in the look-ahead, as in the JDK's reader.
    private final int[] prefix = new int[MAX_CODES];
    private final byte[] suffix = new byte[MAX_CODES];
    private final byte[] initial = new byte[MAX_CODES];
    private final int[] length = new int[MAX_CODES];
    private final byte[] block = new byte[255];
    private int pos;
    private int next32Bits;
    private int bitPos;
    private int nextByte;
    private int blockLength;
    private boolean lastBlockFound;

    private GifDecoder(byte[] d, byte[] globalPalette, int firstFrame) {
        this.d = d;
        this.globalPalette = globalPalette;
        starts.add(firstFrame);
    }

    /**
     * Reads the header of a GIF.
     *
     * @return the decoder, or {@code null} when the data is not a GIF
     * @throws IOException the header or global colour table is cut off
     */
    static GifDecoder open(byte[] d) throws IOException {
        if (!RawMetadata.isGif(d)) {
            return null;
        }
        need(d, 0, 13);
        int packed = d[10] & 0xFF;
        byte[] global = null;
        int at = 13;
        if ((packed & 0x80) != 0) {
            int bytes = 3 << ((packed & 7) + 1);
            need(d, at, bytes);
            global = Arrays.copyOfRange(d, at, at + bytes);
            at += bytes;
        }
        return new GifDecoder(d, global, at);
    }

    /**
     * Whether frame {@code index} exists: false when the blocks end (trailer, end of data, a zero
     * block) before it, or its blocks start with the trailer.
     *
     * @throws IOException its blocks are malformed (ImageIO fails there too)
     */
    boolean hasFrame(int index) throws IOException {
        int start = locate(index);
        return start >= 0 && metadata(index, start) != null;
    }

    /**
     * Frame {@code index}'s descriptor.
     *
     * @throws IOException there is no such frame, or its blocks are malformed
     */
    Frame frame(int index) throws IOException {
        int start = locate(index);
        Frame frame = start < 0 ? null : metadata(index, start);
        if (frame == null) {
            throw new IOException("no frame " + index);
        }
        return frame;
    }

    /**
     * Decodes frame {@code index} onto the canvas at its position: opaque pixels replace the
     * canvas's, transparent ones leave it as it is (as {@link Canvas#draw} blends a GIF frame).
     *
     * @throws IOException where ImageIO would fail or warn
     */
    void draw(int index, Canvas canvas) throws IOException {
        Frame frame = frame(index);
        byte[] palette = frame.palette();
        if (palette != null) {
            fallbackPalette = palette;
        } else {
            palette = globalPalette != null ? globalPalette : fallbackPalette;
        }
        if (palette == null) {
            throw new IOException("no colour table (ImageIO warns and uses a default one)");
        }
        // ImageIO's colour model: 2, 4, 16 or 256 entries (the missing ones black), its raster
        // keeping that many bits of each index.
        int entries = palette.length / 3;
        int lutSize = entries <= 4 ? entries : entries <= 16 ? 16 : 256;
        byte[] lut = Arrays.copyOf(palette, 3 * lutSize);
        int transparent = frame.transparent() ? Math.min(frame.transparentIndex(), lutSize - 1) : -1;
        int rows = streamRows(frame);
        byte[] indexes = new byte[Math.multiplyExact(frame.width(), rows)];
        int decoded = decodeLzw(frame.dataOffset(), indexes);
        // ImageIO stores a row once it is complete: the pixels of a partly decoded one stay 0.
        Arrays.fill(indexes, decoded - decoded % frame.width(), decoded, (byte) 0);
        for (int s = 0; s < rows; s++) {
            int row = streamRow(frame, s);
            if (row < frame.height()) {
                canvas.drawIndexed(indexes, s * frame.width(), frame.width(), frame.x(), frame.y() + row,
                        lut, lutSize - 1, transparent);
            }
        }
    }

    /**
     * Rows of pixels the data holds in ImageIO's reading: the height, and for an interlaced frame
     * one more for each pass that has no row in it (ImageIO still consumes a row for it).
     */
    private static int streamRows(Frame frame) {
        if (!frame.interlaced()) {
            return frame.height();
        }
        int rows = 0;
        for (int pass = 0; pass < 4; pass++) {
            rows += Math.max(1, (frame.height() - INTERLACE_OFFSET[pass] + INTERLACE_STEP[pass] - 1) / INTERLACE_STEP[pass]);
        }
        return rows;
    }

    /** The frame row that the data's {@code s}-th row is; the height or more for a pass without rows. */
    private static int streamRow(Frame frame, int s) {
        if (!frame.interlaced()) {
            return s;
        }
        for (int pass = 0; pass < 4; pass++) {
            int inPass = Math.max(1, (frame.height() - INTERLACE_OFFSET[pass] + INTERLACE_STEP[pass] - 1) / INTERLACE_STEP[pass]);
            if (s < inPass) {
                return INTERLACE_OFFSET[pass] + s * INTERLACE_STEP[pass];
            }
            s -= inPass;
        }
        throw new IllegalArgumentException("row past the interlaced frame");
    }

    /**
     * Where frame {@code index}'s blocks start, or -1 when the file ends before it, skipping the
     * frames before it as ImageIO's {@code skipImage} does.
     */
    private int locate(int index) {
        while (starts.size() <= index) {
            int next = skipFrame(starts.get(starts.size() - 1));
            if (next < 0) {
                return -1;
            }
            starts.add(next);
        }
        return starts.get(index);
    }

    /** The start of the next frame's blocks after the frame starting at {@code at}, or -1 when there is none. */
    private int skipFrame(int at) {
        while (at < d.length) {
            int type = d[at++] & 0xFF;
            if (type == 0x2C) {
                at += 8;
                if (at >= d.length) {
                    return -1;
                }
                int packed = d[at++] & 0xFF;
                if ((packed & 0x80) != 0) {
                    at += 3 << ((packed & 7) + 1);
                }
                return skipSubBlocks(at + 1);
            } else if (type == 0x3B || type == 0x00) {
                return -1;
            } else if (type == 0x21) {
                at = skipSubBlocks(at + 1);
            } else {
                at = skipSubBlocks(at);
            }
            if (at < 0) {
                return -1;
            }
        }
        return -1;
    }

    /** The offset after the sub-blocks starting at {@code at} and their terminator, or -1 when the data ends first. */
    private int skipSubBlocks(int at) {
        while (at < d.length) {
            int n = d[at] & 0xFF;
            at += 1 + n;
            if (n == 0) {
                return at;
            }
        }
        return -1;
    }

    /**
     * Frame {@code index}'s metadata read from {@code at} as ImageIO's {@code readMetadata} does,
     * or {@code null} when its blocks start with the trailer.
     */
    private Frame metadata(int index, int at) throws IOException {
        if (index == cachedIndex) {
            return cached;
        }
        int disposal = 0;
        boolean transparent = false;
        int transparentIndex = 0;
        while (true) {
            int type = byteAt(at++);
            if (type == 0x2C) {
                need(d, at, 9);
                int packed = d[at + 8] & 0xFF;
                byte[] palette = null;
                int data = at + 9;
                if ((packed & 0x80) != 0) {
                    int bytes = 3 << ((packed & 7) + 1);
                    need(d, data, bytes);
                    palette = Arrays.copyOfRange(d, data, data + bytes);
                    data += bytes;
                }
                cached = new Frame(RawMetadata.u16le(d, at), RawMetadata.u16le(d, at + 2), RawMetadata.u16le(d, at + 4),
                        RawMetadata.u16le(d, at + 6), (packed & 0x40) != 0, palette, disposal, transparent, transparentIndex, data);
                cachedIndex = index;
                return cached;
            } else if (type == 0x21) {
                int label = byteAt(at++);
                if (label == 0xF9) {
                    // Length byte, fields, terminator: read as fixed, whatever the length byte says.
                    need(d, at, 6);
                    int packed = d[at + 1] & 0xFF;
                    disposal = (packed >> 2) & 3;
                    transparent = (packed & 1) != 0;
                    transparentIndex = d[at + 4] & 0xFF;
                    at += 6;
                } else if (label == 0x01) {
                    need(d, at, 13);
                    at = subBlocksEnd(at + 13);
                } else if (label == 0xFF) {
                    int size = byteAt(at);
                    need(d, at + 1, size);
                    at = subBlocksEnd(at + 1 + size);
                } else {
                    at = subBlocksEnd(at);
                }
            } else if (type == 0x3B) {
                return null;
            } else {
                throw new IOException("unexpected block type " + type);
            }
        }
    }

    /** The offset after the sub-blocks at {@code at}, reading each in full as ImageIO does. */
    private int subBlocksEnd(int at) throws IOException {
        while (true) {
            int n = byteAt(at++);
            if (n == 0) {
                return at;
            }
            need(d, at, n);
            at += n;
        }
    }

    /**
     * Decodes the LZW data at {@code at} into {@code out}, the JDK reader's algorithm and tables
     * with its string copies and per-pixel bookkeeping left out: each code's string is written
     * backwards straight into place. Pixels past {@code out} are dropped, as ImageIO drops rows
     * past the frame.
     *
     * @return how many pixels were decoded (at most {@code out.length})
     */
    private int decodeLzw(int at, byte[] out) throws IOException {
        int initCodeSize = byteAt(at);
        if (initCodeSize < 1 || initCodeSize > 8) {
            throw new IOException("bad code size " + initCodeSize);
        }
        pos = at + 1;
        blockLength = byteAt(pos++);
        readBlock();
        bitPos = 0;
        lastBlockFound = false;
        next32Bits = (block[0] & 0xFF) | (block[1] & 0xFF) << 8 | (block[2] & 0xFF) << 16 | block[3] << 24;
        nextByte = 4;

        int clearCode = 1 << initCodeSize;
        int eofCode = clearCode + 1;
        // Fresh tables, as ImageIO allocates them for each frame: stale entries then read as 0.
        Arrays.fill(suffix, (byte) 0);
        Arrays.fill(initial, (byte) 0);
        resetTable(clearCode);
        int tableIndex = clearCode + 2;
        int codeSize = initCodeSize + 1;
        int codeMask = (1 << codeSize) - 1;
        int oldCode = -1;
        int n = 0;
        int total = out.length;
        while (true) {
            int code = code(codeSize, codeMask, eofCode);
            if (code == clearCode) {
                resetTable(clearCode);
                tableIndex = clearCode + 2;
                codeSize = initCodeSize + 1;
                codeMask = (1 << codeSize) - 1;
                code = code(codeSize, codeMask, eofCode);
                oldCode = -1;
                if (code == eofCode) {
                    return n;
                }
            } else if (code == eofCode) {
                return n;
            } else {
                int newSuffixIndex = code;
                if (code >= tableIndex) {
                    if (code != tableIndex) {
                        throw new IOException("out-of-sequence code (ImageIO warns)");
                    }
                    newSuffixIndex = oldCode;
                }
                if (oldCode != -1 && tableIndex < MAX_CODES) {
                    prefix[tableIndex] = oldCode;
                    suffix[tableIndex] = initial[newSuffixIndex];
                    initial[tableIndex] = initial[oldCode];
                    length[tableIndex] = length[oldCode] + 1;
                    ++tableIndex;
                    if (tableIndex == (1 << codeSize) && tableIndex < MAX_CODES) {
                        ++codeSize;
                        codeMask = (1 << codeSize) - 1;
                    }
                }
            }
            oldCode = code;
            if (n < total) {
                n = writeString(code, out, n, total);
            }
        }
    }

    /** Writes code's string at {@code out[n]}, backwards from its end, keeping what fits before {@code total}. */
    private int writeString(int code, byte[] out, int n, int total) {
        int len = length[code];
        int c = code;
        for (int skip = n + len - total; skip > 0; skip--) {
            c = prefix[c];
        }
        int end = Math.min(total, n + len);
        for (int i = end - 1; i >= n; i--) {
            out[i] = suffix[c];
            c = prefix[c];
        }
        return end;
    }

    private void resetTable(int clearCode) {
        for (int i = 0; i < clearCode; i++) {
            prefix[i] = -1;
            suffix[i] = (byte) i;
            initial[i] = (byte) i;
            length[i] = 1;
        }
        Arrays.fill(prefix, clearCode, MAX_CODES, -1);
        Arrays.fill(length, clearCode, MAX_CODES, 1);
    }

    /**
     * The next code, from ImageIO's 32-bit look-ahead: sub-blocks are read as soon as a byte of
     * the look-ahead is free, and once the terminator is found the codes still in it are used,
     * then the end code is returned.
     */
    private int code(int codeSize, int codeMask, int eofCode) throws IOException {
        if (bitPos + codeSize > 32) {
            return eofCode;
        }
        int code = (next32Bits >> bitPos) & codeMask;
        bitPos += codeSize;
        while (bitPos >= 8 && !lastBlockFound) {
            next32Bits >>>= 8;
            bitPos -= 8;
            if (nextByte >= blockLength) {
                blockLength = byteAt(pos++);
                if (blockLength == 0) {
                    lastBlockFound = true;
                    return code;
                }
                readBlock();
                nextByte = 0;
            }
            next32Bits |= block[nextByte++] << 24;
        }
        return code;
    }

    private void readBlock() throws IOException {
        need(d, pos, blockLength);
        System.arraycopy(d, pos, block, 0, blockLength);
        pos += blockLength;
    }

    private int byteAt(int at) throws IOException {
        if (at >= d.length) {
            throw new IOException("the data ends before the image does");
        }
        return d[at] & 0xFF;
    }

    private static void need(byte[] d, int at, int bytes) throws IOException {
        if ((long) at + bytes > d.length) {
            throw new IOException("the data ends before the image does");
        }
    }
}
