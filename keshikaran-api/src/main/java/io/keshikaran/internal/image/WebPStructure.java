package io.keshikaran.internal.image;

import static io.keshikaran.internal.image.RawMetadata.fourCC;
import static io.keshikaran.internal.image.RawMetadata.u16le;
import static io.keshikaran.internal.image.RawMetadata.u24le;
import static io.keshikaran.internal.image.RawMetadata.u32le;

import java.util.Locale;

/**
 * Checks a WebP file's container and bitstream headers before a decoder sees it, as libwebp does
 * before decoding, so that a file is refused for what it holds rather than decoded for what its
 * headers claim.
 *
 * <p>Why: TwelveMonkeys' WebP reader trusts the headers. Its VP8 decoder sizes its macroblock grid
 * (about 15 KB per 16x16 block, some 60 bytes per pixel) from the VP8 bitstream's own frame
 * header, which nobody compares with the size the container declares (the VP8X canvas or the ANMF
 * frame) and which the pixel limit therefore never sees; it ignores the start code and the
 * partition sizes; and it decodes as many macroblocks as the header claims from whatever bytes
 * follow. Mutated files thus made it allocate gigabytes. The rules here:
 * <ul>
 *   <li>the RIFF size fits in the data (a shorter file is truncated: refused before decoding) and
 *       every chunk fits in the RIFF payload or in its ANMF frame;</li>
 *   <li>the image bitstream (VP8 or VP8L) has exactly the size the container declares: the VP8X
 *       canvas of a still, the ANMF rectangle of a frame; frames lie inside the canvas;</li>
 *   <li>VP8: a shown key frame with the start code; the first partition and the partition table
 *       fit in the chunk and the last token partition is not empty; and the first partition is
 *       large enough for the macroblock count: every macroblock codes its luma and chroma modes
 *       there, with fixed key-frame probabilities, at least 3.4 bits each (libwebp's encoder needs
 *       exactly that for a one-colour picture), so a partition under
 *       {@value #VP8_BITS_PER_MACROBLOCK} bits per macroblock cannot hold the picture. This makes
 *       the work of a lossy WebP proportional to its size: at most 1,024 pixels per byte;</li>
 *   <li>VP8L: the signature, version 0, and the size.</li>
 * </ul>
 * Lossless (VP8L) data has no such lower bound (one Huffman code of one symbol costs no bits per
 * pixel): a small lossless file can legitimately describe a large picture, which the pixel limit
 * bounds.
 *
 * <p>Total, like {@link RawMetadata}: never throws, and every loop advances through the array.
 */
final class WebPStructure {
    /**
     * The fewest bits of the first VP8 partition accepted per macroblock. The true minimum is
     * 3.43 (DC_PRED luma, 2.58 bits, plus DC_PRED chroma, 0.85 bits); 2 leaves a margin.
     */
    static final int VP8_BITS_PER_MACROBLOCK = 2;

    /** What the checks found: a problem (null when the structure is sound) and whether any frame is lossy. */
    record Result(String problem, boolean lossy) {
    }

    private WebPStructure() {
    }

    /** Checks a WebP file; for data that is not RIFF/WEBP, no problem. */
    static Result check(byte[] d) {
        if (!RawMetadata.isWebP(d)) {
            return new Result(null, false);
        }
        long declared = u32le(d, 4) + 8;
        if (declared > d.length) {
            return problem(String.format(Locale.ROOT,
                    "the data ends before the image does (the RIFF header declares %d bytes, the file has %d)",
                    declared, d.length));
        }
        int end = (int) declared;
        String problem = chunk(d, 12, end);
        if (problem != null) {
            return problem(problem);
        }
        int length = (int) u32le(d, 16);
        if (fourCC(d, 12, "VP8 ")) {
            return new Result(vp8(d, 20, length, 0, 0), true);
        }
        if (fourCC(d, 12, "VP8L")) {
            return new Result(vp8l(d, 20, length, 0, 0), false);
        }
        if (fourCC(d, 12, "VP8X")) {
            return extended(d, end, length);
        }
        return new Result(null, false); // the reader names the unknown chunk
    }

    private static Result problem(String problem) {
        return new Result(problem, false);
    }

    /** A chunk header at {@code at} and its payload fit before {@code end}; else the problem. */
    private static String chunk(byte[] d, int at, int end) {
        if (at + 8 > end) {
            return "a chunk header at offset " + at + " is cut off";
        }
        long length = u32le(d, at + 4);
        if (length > end - at - 8) {
            return String.format(Locale.ROOT, "chunk '%s' at offset %d declares %d bytes, past the end of its container (offset %d)",
                    name(d, at), at, length, end);
        }
        return null;
    }

    private static int next(byte[] d, int at) {
        long length = u32le(d, at + 4);
        return (int) Math.min(Integer.MAX_VALUE, at + 8 + length + (length & 1));
    }

    private static Result extended(byte[] d, int end, int headerLength) {
        if (headerLength < 10) {
            return problem("the VP8X chunk is " + headerLength + " bytes, expected 10");
        }
        boolean animated = (d[20] & 0x02) != 0;
        int canvasWidth = 1 + u24le(d, 24);
        int canvasHeight = 1 + u24le(d, 27);
        boolean lossy = false;
        int frames = 0;
        for (int at = next(d, 12); at < end; at = next(d, at)) {
            String problem = chunk(d, at, end);
            if (problem != null) {
                // A still's trailing metadata chunks are not read; an animation's frames all are.
                return problem(problem);
            }
            int body = at + 8;
            int length = (int) u32le(d, at + 4);
            if (animated && fourCC(d, at, "ANMF")) {
                if (length < 16) {
                    return problem("ANMF chunk at offset " + at + " is " + length + " bytes, too short for a frame header");
                }
                int x = 2 * u24le(d, body);
                int y = 2 * u24le(d, body + 3);
                int w = 1 + u24le(d, body + 6);
                int h = 1 + u24le(d, body + 9);
                if ((long) x + w > canvasWidth || (long) y + h > canvasHeight) {
                    return problem(String.format(Locale.ROOT, "frame %d (%dx%d at %d,%d) lies outside the %dx%d canvas",
                            frames, w, h, x, y, canvasWidth, canvasHeight));
                }
                Result image = image(d, body + 16, body + length, w, h, "frame " + frames);
                if (image.problem() != null) {
                    return image;
                }
                lossy |= image.lossy();
                frames++;
            } else if (!animated && (fourCC(d, at, "VP8 ") || fourCC(d, at, "VP8L"))) {
                return image(d, at, end, canvasWidth, canvasHeight, "the image");
            }
        }
        if (!animated) {
            return problem("no image data (VP8 or VP8L chunk)");
        }
        return new Result(null, lossy);
    }

    /** The ALPH/VP8/VP8L chunks of one image in {@code [from, end)}: the bitstream must be {@code w x h}. */
    private static Result image(byte[] d, int from, int end, int w, int h, String what) {
        for (int at = from; at < end; at = next(d, at)) {
            String problem = chunk(d, at, end);
            if (problem != null) {
                return problem(problem);
            }
            int length = (int) u32le(d, at + 4);
            if (fourCC(d, at, "VP8 ")) {
                return new Result(vp8(d, at + 8, length, w, h), true);
            }
            if (fourCC(d, at, "VP8L")) {
                return new Result(vp8l(d, at + 8, length, w, h), false);
            }
        }
        return problem(what + " has no image data (VP8 or VP8L chunk)");
    }

    /** A VP8 key frame at {@code d[at, at + length)}; {@code w, h}: the size the container declares, 0 for none. */
    static String vp8(byte[] d, int at, int length, int w, int h) {
        if (length < 10) {
            return "the VP8 frame header is cut off";
        }
        int tag = u24le(d, at);
        if ((tag & 1) != 0) {
            return "the VP8 data is not a key frame";
        }
        if (((tag >> 4) & 1) == 0) {
            return "the VP8 frame is not meant to be shown";
        }
        if ((d[at + 3] & 0xFF) != 0x9D || (d[at + 4] & 0xFF) != 0x01 || (d[at + 5] & 0xFF) != 0x2A) {
            return "the VP8 start code is missing";
        }
        int width = u16le(d, at + 6) & 0x3FFF;
        int height = u16le(d, at + 8) & 0x3FFF;
        if (width == 0 || height == 0) {
            return "the VP8 frame header declares an empty image (" + width + "x" + height + ")";
        }
        if (w > 0 && (width != w || height != h)) {
            return String.format(Locale.ROOT, "the VP8 data is %dx%d but the container declares %dx%d", width, height, w, h);
        }
        int first = tag >>> 5;
        int end = at + length;
        if (first == 0 || first > length - 10) {
            return String.format(Locale.ROOT, "the first VP8 partition (%d bytes) does not fit in its chunk (%d bytes)", first, length);
        }
        long macroblocks = (long) ((width + 15) / 16) * ((height + 15) / 16);
        if (macroblocks * VP8_BITS_PER_MACROBLOCK > 8L * first) {
            return String.format(Locale.ROOT, "the VP8 data is too short for its size: %dx%d is %d macroblocks, "
                    + "whose modes need more than the %d bytes of its first partition", width, height, macroblocks, first);
        }
        int partitions = vp8Partitions(d, at + 10, first);
        int table = at + 10 + first;
        if (table + 3L * (partitions - 1) > end) {
            return "the VP8 partition table does not fit in its chunk";
        }
        long last = table + 3L * (partitions - 1);
        for (int p = 0; p < partitions - 1; p++) {
            last += u24le(d, table + 3 * p);
        }
        if (last >= end) {
            return "the data ends before the image does (the VP8 token partitions do not fit in their chunk)";
        }
        return null;
    }

    /**
     * The number of DCT token partitions, read from the frame header at the start of the first
     * partition (RFC 6386, section 9.2-9.5 and 19.2) with the boolean decoder of section 7.3.
     */
    private static int vp8Partitions(byte[] d, int at, int length) {
        BoolDecoder b = new BoolDecoder(d, at, at + length);
        b.literal(2); // colour space, clamping
        if (b.literal(1) == 1) { // segmentation enabled
            int updateMap = b.literal(1);
            if (b.literal(1) == 1) { // update segment feature data
                b.literal(1); // absolute or delta
                for (int i = 0; i < 4; i++) {
                    b.optionalSigned(7); // quantizer
                }
                for (int i = 0; i < 4; i++) {
                    b.optionalSigned(6); // loop filter level
                }
            }
            if (updateMap == 1) {
                for (int i = 0; i < 3; i++) {
                    if (b.literal(1) == 1) {
                        b.literal(8);
                    }
                }
            }
        }
        b.literal(1 + 6 + 3); // filter type, level, sharpness
        if (b.literal(1) == 1 && b.literal(1) == 1) { // loop filter deltas enabled, updated
            for (int i = 0; i < 8; i++) {
                b.optionalSigned(6);
            }
        }
        return 1 << b.literal(2);
    }

    /** RFC 6386's boolean entropy decoder; bytes past the end read as zero. */
    private static final class BoolDecoder {
        private final byte[] d;
        private final int end;
        private int at;
        private int value;
        private int range = 255;
        private int bitCount;

        BoolDecoder(byte[] d, int at, int end) {
            this.d = d;
            this.end = end;
            this.at = at;
            value = next() << 8 | next();
        }

        private int next() {
            return at < end ? d[at++] & 0xFF : 0;
        }

        int bool(int probability) {
            int split = 1 + (((range - 1) * probability) >> 8);
            int bigSplit = split << 8;
            int bit;
            if (value >= bigSplit) {
                bit = 1;
                range -= split;
                value -= bigSplit;
            } else {
                bit = 0;
                range = split;
            }
            while (range < 128) {
                value <<= 1;
                range <<= 1;
                if (++bitCount == 8) {
                    bitCount = 0;
                    value |= next();
                }
            }
            return bit;
        }

        int literal(int bits) {
            int v = 0;
            for (int i = 0; i < bits; i++) {
                v = v << 1 | bool(128);
            }
            return v;
        }

        void optionalSigned(int bits) {
            if (literal(1) == 1) {
                literal(bits + 1);
            }
        }
    }

    /** A VP8L header at {@code d[at, at + length)}; {@code w, h}: the size the container declares, 0 for none. */
    static String vp8l(byte[] d, int at, int length, int w, int h) {
        if (length < 5) {
            return "the VP8L header is cut off";
        }
        if ((d[at] & 0xFF) != 0x2F) {
            return "the VP8L signature is missing";
        }
        long bits = u32le(d, at + 1);
        int width = 1 + (int) (bits & 0x3FFF);
        int height = 1 + (int) ((bits >> 14) & 0x3FFF);
        if ((bits >>> 29) != 0) {
            return "unknown VP8L version " + (bits >>> 29);
        }
        if (w > 0 && (width != w || height != h)) {
            return String.format(Locale.ROOT, "the VP8L data is %dx%d but the container declares %dx%d", width, height, w, h);
        }
        return null;
    }

    private static String name(byte[] d, int at) {
        StringBuilder s = new StringBuilder();
        for (int i = at; i < at + 4 && i < d.length; i++) {
            int c = d[i] & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return s.toString();
    }
}
