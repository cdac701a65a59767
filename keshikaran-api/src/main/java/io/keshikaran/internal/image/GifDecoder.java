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
 * byte, so its behaviour is reproduced where it differs from other decoders: data that ends
 * without an end code (ImageIO's 32-bit look-ahead still yields the codes it holds, with one zero
 * byte after the data; the rest of the frame stays index 0, a partly decoded row too), an
 * interlace pass without rows in a short frame (it still consumes a row of pixels), palettes
 * padded to 2, 4, 16 or 256 entries with indexes masked to that size, a transparent index past the
 * palette meaning its last entry, the last local palette standing in for a missing global one,
 * and graphic-control and plain-text extensions read at their fixed size whatever their length
 * byte says.
 *
 * <p>Whatever would make that reader fail or warn (a truncated file or frame, an unknown block, a
 * bad code size, an out-of-sequence code, no palette at all) throws an {@link IOException} here,
 * and so does LZW data whose result in that reader depends on its leftovers (table entries from
 * before a clear code, look-ahead bytes from an earlier frame): the caller then decodes the file
 * with ImageIO, which gives its result or reports the error in its words. Every loop advances
 * through the input or the frame, so the work is bounded by the input's and the frames' sizes.
 * Not thread-safe; one per decode.
 */
final class GifDecoder {
    private static final int MAX_CODES = 4096;
    /** The previous code's place in the LZW loop right after a clear code (-1: before the first code). */
    private static final int JUST_CLEARED = -2;
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

    // The LZW table, reused from frame to frame: where each entry's string stands in the output, and its length.
    private final int[] start = new int[MAX_CODES];
    private final int[] length = new int[MAX_CODES];
    /** One frame's sub-blocks, joined. */
    private byte[] stream = new byte[4096];
    /** One frame's palette indexes in the order the data holds them. */
    private byte[] indexes = new byte[0];
    private int firstBlockLength;

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

    /** Heap a frame takes while it is drawn: one palette index per pixel, no raster or conversion. */
    static final int INDEX_BYTES_PER_PIXEL = 1;
    /** GIF's disposal methods 0-3 (none, do not dispose, restore to background, to previous) as the canvas applies them. */
    private static final FrameSource.Disposal[] DISPOSALS = {FrameSource.Disposal.NONE, FrameSource.Disposal.NONE,
        FrameSource.Disposal.BACKGROUND, FrameSource.Disposal.PREVIOUS};

    /** This GIF's frames for the decoder's frame loop. */
    FrameSource frames() {
        return new FrameSource() {
            @Override
            public boolean hasFrame(int index) throws IOException {
                return GifDecoder.this.hasFrame(index);
            }

            @Override
            public int width(int index) throws IOException {
                return frame(index).width();
            }

            @Override
            public int height(int index) throws IOException {
                return frame(index).height();
            }

            @Override
            public long frameCost(int w, int h) {
                return (long) w * h * INDEX_BYTES_PER_PIXEL;
            }

            @Override
            public Placement placement(int index) throws IOException {
                Frame frame = frame(index);
                return new Placement(frame.x(), frame.y(), DISPOSALS[frame.disposal()]);
            }

            @Override
            public void draw(int index, Placement placement, Canvas canvas) throws IOException {
                GifDecoder.this.draw(index, canvas);
            }
        };
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
        if (frame.width() == 0 || frame.height() == 0) {
            // ImageDecoder's size check refuses these before any frame is drawn.
            throw new IOException("an empty frame");
        }
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
        int total = Math.multiplyExact(frame.width(), rows);
        if (indexes.length < total) {
            indexes = new byte[total];
        }
        int decoded = decodeLzw(frame.dataOffset(), indexes, total);
        // ImageIO stores a row once it is complete: the pixels of a partly decoded one, and the
        // rows after it, stay 0.
        Arrays.fill(indexes, decoded - decoded % frame.width(), total, (byte) 0);
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
            rows += passRows(frame, pass);
        }
        return rows;
    }

    /** Rows of data an interlace pass holds: its rows of the frame, or 1 when it has none. */
    private static int passRows(Frame frame, int pass) {
        return Math.max(1, (frame.height() - INTERLACE_OFFSET[pass] + INTERLACE_STEP[pass] - 1) / INTERLACE_STEP[pass]);
    }

    /** The frame row that the data's {@code s}-th row is; the height or more for a pass without rows. */
    private static int streamRow(Frame frame, int s) {
        if (!frame.interlaced()) {
            return s;
        }
        for (int pass = 0; pass < 4; pass++) {
            int inPass = passRows(frame, pass);
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
     * Decodes the LZW data at {@code at} into {@code out[0, total)}, giving the pixels the JDK's reader
     * gives. Each table entry is kept as where its string already stands in the output (an
     * entry is an earlier code's string plus the next pixel, which follow each other there), so
     * a code's string is a forward copy rather than a walk along a prefix chain. Pixels past
     * {@code total} are dropped, as ImageIO drops rows past the frame, but the codes are still read:
     * an out-of-sequence code there still makes ImageIO fail.
     *
     * @return how many pixels were decoded (at most {@code total})
     * @throws IOException where ImageIO would fail or warn, or where its result would depend on
     *                     its state from earlier frames or on LZW table entries left over from
     *                     before a clear code (a first code after a clear that is not a pixel)
     */
    private int decodeLzw(int at, byte[] out, int total) throws IOException {
        int initCodeSize = byteAt(at);
        if (initCodeSize < 1 || initCodeSize > 8) {
            throw new IOException("bad code size " + initCodeSize);
        }
        int bytes = readSubBlocks(at + 1);
        byte[] s = stream;
        int totalBits = 8 * bytes;
        // A first sub-block under 4 bytes: ImageIO's look-ahead holds bytes of earlier frames' sub-blocks there.
        int unknownFrom = 8 * firstBlockLength;
        int unknownTo = firstBlockLength < 4 ? 32 : 0;
        int clearCode = 1 << initCodeSize;
        int eofCode = clearCode + 1;
        int tableIndex = clearCode + 2;
        int codeSize = initCodeSize + 1;
        int codeMask = (1 << codeSize) - 1;
        int[] start = this.start;
        int[] length = this.length;
        int n = 0;
        int bit = 0;
        int oldCode = -1;
        int oldStart = 0;
        int oldLength = 0;
        while (true) {
            if (bit + codeSize > totalBits) {
                return n;
            }
            if (bit < unknownTo && bit + codeSize > unknownFrom) {
                throw new IOException("the first sub-block is shorter than ImageIO's look-ahead");
            }
            int p = bit >>> 3;
            int code = (((s[p] & 0xFF) | (s[p + 1] & 0xFF) << 8 | (s[p + 2] & 0xFF) << 16) >>> (bit & 7)) & codeMask;
            bit += codeSize;
            if (code == eofCode) {
                return n;
            }
            if (code == clearCode) {
                if (oldCode == JUST_CLEARED) {
                    throw new IOException("two clear codes in a row (ImageIO outputs a pixel for the second)");
                }
                tableIndex = clearCode + 2;
                codeSize = initCodeSize + 1;
                codeMask = (1 << codeSize) - 1;
                oldCode = JUST_CLEARED;
                continue;
            }
            int stringLength;
            if (oldCode < 0) {
                // ImageIO outputs what a table entry held before, or warns.
                if (code > eofCode) {
                    throw new IOException("a first code that is not a pixel");
                }
                stringLength = 1;
            } else {
                if (code > tableIndex) {
                    throw new IOException("out-of-sequence code (ImageIO warns)");
                }
                if (tableIndex < MAX_CODES) {
                    start[tableIndex] = oldStart;
                    length[tableIndex] = oldLength + 1;
                    ++tableIndex;
                    if (tableIndex == (1 << codeSize) && tableIndex < MAX_CODES) {
                        ++codeSize;
                        codeMask = (1 << codeSize) - 1;
                    }
                }
                stringLength = code < clearCode ? 1 : length[code];
            }
            if (n < total) {
                if (code < clearCode) {
                    out[n] = (byte) code;
                } else {
                    // Forward, byte by byte: for a code just added, the last byte copied is the first one written.
                    for (int from = start[code], to = n, end = Math.min(total, n + stringLength); to < end; from++, to++) {
                        out[to] = out[from];
                    }
                }
            }
            oldCode = code;
            oldStart = n;
            oldLength = stringLength;
            // Past the frame nothing is copied any more, so positions there need not grow.
            n = (int) Math.min(total, (long) n + stringLength);
        }
    }

    /**
     * Copies the sub-blocks at {@code at} into {@link #stream} as ImageIO's look-ahead reads them:
     * the first one whatever its length (a 0 is not the terminator there), then up to the
     * terminator, then one zero byte, which ImageIO's look-ahead also holds at the end.
     *
     * @return the bytes in the stream, the zero byte included
     * @throws IOException the data ends before the terminator (ImageIO fails there, or nearly
     *                     always: it is left to decide)
     */
    private int readSubBlocks(int at) throws IOException {
        int size = byteAt(at++);
        firstBlockLength = size;
        // The look-ahead's first 4 bytes: those a short first block lacks are never decoded (see decodeLzw).
        int n = append(at, size, 0);
        Arrays.fill(stream, size, Math.max(size, 4), (byte) 0);
        n = Math.max(n, 4);
        at += size;
        while ((size = byteAt(at++)) != 0) {
            n = append(at, size, n);
            at += size;
        }
        // The zero byte, and zeros for reading 3 bytes at any code's position.
        Arrays.fill(stream, n, n + 4, (byte) 0);
        return n + 1;
    }

    /** Appends {@code size} bytes at {@code at} to {@link #stream} at {@code n}, keeping 4 bytes spare. */
    private int append(int at, int size, int n) throws IOException {
        need(d, at, size);
        if (n > Integer.MAX_VALUE / 8 - 512) {
            throw new IOException("more LZW data than its bit positions can count");
        }
        if (stream.length < n + size + 8) {
            stream = Arrays.copyOf(stream, Math.max(2 * stream.length, n + size + 8));
        }
        System.arraycopy(d, at, stream, n, size);
        return n + size;
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
