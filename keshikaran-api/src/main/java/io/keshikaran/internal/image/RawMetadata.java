package io.keshikaran.internal.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the few pieces of container metadata the decoder needs straight from the file's bytes:
 * the EXIF orientation (JPEG APP1, PNG eXIf, WebP EXIF), a PNG's iCCP profile, and a WebP
 * animation's canvas, frame placement and frame chunks (which {@link #webpFrameFile} turns into stills).
 *
 * <p>Every method is total: malformed, truncated or hostile input gives "absent" (orientation 1,
 * {@code null}), never an exception, and every loop advances through the array, so the work is
 * bounded by the input's length.
 */
final class RawMetadata {
    /** The EXIF tag that holds the orientation. */
    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TIFF_SHORT = 3;

    private RawMetadata() {
    }

    // ---- EXIF orientation -------------------------------------------------------------------

    /** The EXIF orientation, 1 to 8, or 1 when the file has none or it is unreadable. */
    static int exifOrientation(byte[] data) {
        if (isJpeg(data)) {
            return jpegOrientation(data);
        }
        if (isPng(data)) {
            return pngOrientation(data);
        }
        if (isWebP(data)) {
            return webpOrientation(data);
        }
        return 1;
    }

    static boolean isJpeg(byte[] d) {
        return d.length >= 3 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0xD8 && (d[2] & 0xFF) == 0xFF;
    }

    static boolean isPng(byte[] d) {
        return d.length >= 8 && (d[0] & 0xFF) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G'
                && d[4] == 0x0D && d[5] == 0x0A && d[6] == 0x1A && d[7] == 0x0A;
    }

    static boolean isWebP(byte[] d) {
        return d.length >= 12 && fourCC(d, 0, "RIFF") && fourCC(d, 8, "WEBP");
    }

    static boolean isGif(byte[] d) {
        return d.length >= 6 && d[0] == 'G' && d[1] == 'I' && d[2] == 'F' && d[3] == '8'
                && (d[4] == '7' || d[4] == '9') && d[5] == 'a';
    }

    private static int jpegOrientation(byte[] d) {
        int at = jpegSegment(d, (marker, body, end) -> marker == 0xE1 && end - body >= 6 && startsWith(d, body, "Exif\0\0"));
        return at < 0 ? 1 : tiffOrientation(d, at + 4 + 6, at + 2 + u16be(d, at + 2));
    }

    /**
     * Whether a JPEG is progressive (SOF2, SOF6, SOF10 or SOF14): its decoder then keeps every DCT
     * coefficient of the whole image, even when it outputs a reduced size.
     */
    static boolean isProgressiveJpeg(byte[] d) {
        if (!isJpeg(d)) {
            return false;
        }
        // Start-of-frame markers are C0-CF except C4 (DHT), C8 (JPG) and CC (DAC); progressive
        // ones are those whose low two bits are 2.
        int at = jpegSegment(d, (marker, body, end) -> marker >= 0xC0 && marker <= 0xCF
                && marker != 0xC4 && marker != 0xC8 && marker != 0xCC);
        return at >= 0 && (d[at + 1] & 3) == 2;
    }

    private interface SegmentTest {
        boolean test(int marker, int body, int end);
    }

    /**
     * The offset of the first JPEG marker segment before the image data that {@code wanted}
     * accepts, given its marker and the bounds of its body; -1 when there is none or the structure
     * is broken.
     */
    private static int jpegSegment(byte[] d, SegmentTest wanted) {
        int i = 2;
        while (i + 4 <= d.length) {
            if ((d[i] & 0xFF) != 0xFF) {
                return -1;
            }
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2; // markers without a length
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return -1; // image data starts: the header segments come before it
            }
            int length = u16be(d, i + 2);
            if (length < 2) {
                return -1;
            }
            int end = i + 2 + length;
            if (end > d.length) {
                return -1;
            }
            if (wanted.test(marker, i + 4, end)) {
                return i;
            }
            i = end;
        }
        return -1;
    }

    private static int pngOrientation(byte[] d) {
        int at = pngChunk(d, "eXIf", false);
        if (at < 0) {
            return 1;
        }
        int body = at + 8;
        return tiffOrientation(d, startsWith(d, body, "Exif\0\0") ? body + 6 : body, body + (int) u32be(d, at));
    }

    /**
     * The offset of a PNG's first chunk of this type, or -1 when there is none before IEND (or,
     * with {@code beforeImageData}, before the first IDAT) or a chunk runs past the end of the data.
     */
    private static int pngChunk(byte[] d, String type, boolean beforeImageData) {
        int i = 8;
        while (i + 12 <= d.length) {
            long length = u32be(d, i);
            if (length > d.length - i - 12) {
                return -1;
            }
            if (fourCC(d, i + 4, type)) {
                return i;
            }
            if (fourCC(d, i + 4, "IEND") || (beforeImageData && fourCC(d, i + 4, "IDAT"))) {
                return -1;
            }
            i += 12 + (int) length; // length, type, data, CRC
        }
        return -1;
    }

    private static int webpOrientation(byte[] d) {
        for (int i = 12; i + 8 <= d.length; ) {
            long length = u32le(d, i + 4);
            if (length > d.length - i - 8) {
                return 1;
            }
            int body = i + 8;
            int end = body + (int) length;
            if (fourCC(d, i, "EXIF")) {
                return tiffOrientation(d, startsWith(d, body, "Exif\0\0") ? body + 6 : body, end);
            }
            i = end + (int) (length & 1);
        }
        return 1;
    }

    /** The orientation tag of IFD0 in the TIFF structure at {@code d[start, end)}. */
    static int tiffOrientation(byte[] d, int start, int end) {
        if (start < 0 || end > d.length || end - start < 8) {
            return 1;
        }
        boolean little;
        if (d[start] == 'I' && d[start + 1] == 'I') {
            little = true;
        } else if (d[start] == 'M' && d[start + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(d, start + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(d, start + 4, little);
        if (ifd < 8 || ifd > end - start - 2) {
            return 1;
        }
        int at = start + (int) ifd;
        int count = u16(d, at, little);
        at += 2;
        for (int e = 0; e < count && at + 12 <= end; e++, at += 12) {
            if (u16(d, at, little) == TAG_ORIENTATION) {
                if (u16(d, at + 2, little) != TIFF_SHORT || u32(d, at + 4, little) != 1) {
                    return 1;
                }
                int value = u16(d, at + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    // ---- PNG iCCP ------------------------------------------------------------------------------

    /**
     * The ICC profile of a PNG's iCCP chunk, inflated, or {@code null} if there is none, it is
     * malformed, or it inflates to more than {@code maxBytes}.
     */
    static byte[] pngIccProfile(byte[] d, int maxBytes) {
        // iCCP must precede the image data.
        int at = isPng(d) ? pngChunk(d, "iCCP", true) : -1;
        if (at < 0) {
            return null;
        }
        int body = at + 8;
        int end = body + (int) u32be(d, at);
        int nul = body;
        while (nul < end && nul - body < 80 && d[nul] != 0) {
            nul++;
        }
        if (nul >= end - 1 || d[nul] != 0 || d[nul + 1] != 0) {
            return null; // no name terminator, or a compression method other than zlib
        }
        return inflate(d, nul + 2, end - nul - 2, maxBytes);
    }

    private static byte[] inflate(byte[] d, int off, int len, int maxBytes) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(d, off, len);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 4096));
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null; // truncated stream
                }
                out.write(buf, 0, n);
                if (out.size() > maxBytes) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    // ---- Embedded ICC profiles ----------------------------------------------------------------

    /**
     * The data with any JPEG or WebP ICC profile that declares more bytes than it holds (or more
     * than {@code maxBytes}) disabled, so that readers skip it; the same array when there is none.
     *
     * <p>Why: TwelveMonkeys reads a profile by allocating the size its header declares
     * ({@code ColorProfiles.readProfile}), up to 4 GB, before finding the data missing; a
     * 600-byte APP2 segment whose size field was changed allocated 2 GB. A profile that cannot be
     * read is ignored by the reader anyway, so disabling it changes no pixels of a valid file.
     * JPEG: the segments' identifier no longer reads {@code ICC_PROFILE}; WebP: the VP8X ICC flag
     * is cleared.
     */
    static byte[] withoutOversizedIccProfile(byte[] d, int maxBytes) {
        // SOI alone, as TwelveMonkeys' reader accepts it: a damaged first segment must not hide a profile.
        if (d.length >= 4 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0xD8) {
            List<Integer> segments = new ArrayList<>();
            long held = 0;
            long declared = -1;
            int i = 2;
            while (i + 4 <= d.length) {
                if ((d[i] & 0xFF) != 0xFF) {
                    // Garbage between segments: readers skip to the next marker (libjpeg's
                    // "extraneous bytes"), and TwelveMonkeys then reads an APP2 profile found there.
                    i++;
                    continue;
                }
                int marker = d[i + 1] & 0xFF;
                if (marker == 0xFF || marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                    i += marker == 0xFF ? 1 : 2;
                    continue;
                }
                if (marker == 0xDA || marker == 0xD9) {
                    break;
                }
                int end = i + 2 + u16be(d, i + 2);
                if (end > d.length) {
                    break;
                }
                int body = i + 4;
                // TwelveMonkeys takes the segment for a profile whatever the byte after the name
                // (it skips it as the terminator), so a damaged terminator must not hide one here.
                if (marker == 0xE2 && end - body >= 14 && startsWith(d, body, "ICC_PROFILE")) {
                    segments.add(body);
                    held += end - body - 14;
                    if (declared < 0 && end - body >= 18) {
                        declared = u32be(d, body + 14);
                    }
                }
                i = end;
            }
            if (segments.isEmpty() || (declared >= 0 && declared <= held && declared <= maxBytes)) {
                return d;
            }
            byte[] copy = d.clone();
            for (int body : segments) {
                copy[body + 10] = 'X'; // "ICC_PROFILX": not a profile any more
            }
            return copy;
        }
        if (isWebP(d) && d.length >= 30 && fourCC(d, 12, "VP8X") && (d[20] & 0x20) != 0) {
            for (int i = 12; i + 8 <= d.length; ) {
                long length = u32le(d, i + 4);
                if (fourCC(d, i, "ICCP")) {
                    if (length <= d.length - i - 8 && length >= 4 && u32be(d, i + 8) <= Math.min(length, maxBytes)) {
                        return d;
                    }
                    break;
                }
                if (length > d.length - i - 8) {
                    break;
                }
                i = (int) (i + 8 + length + (length & 1));
            }
            byte[] copy = d.clone();
            copy[20] &= ~0x20;
            return copy;
        }
        return d;
    }

    // ---- GIF -----------------------------------------------------------------------------------

    /** The logical screen size of a GIF, {@code {width, height}}, or {@code null}. */
    static int[] gifScreen(byte[] d) {
        return isGif(d) && d.length >= 10 ? new int[] {u16le(d, 6), u16le(d, 8)} : null;
    }

    // ---- WebP animation ------------------------------------------------------------------------

    /**
     * Where an animated WebP puts one frame, and how it is blended and disposed.
     *
     * @param imageOffset where the frame's image chunks start in the file: ALPH (optional) and VP8, or VP8L
     * @param imageLength their length, padding included; 0 when they are not laid out that way
     */
    record WebPFrame(int x, int y, int width, int height, boolean blend, boolean disposeToBackground,
                     int imageOffset, int imageLength) {
    }

    /**
     * An animated WebP's canvas and frames.
     *
     * @param iccFlagged whether the VP8X header flags an ICC profile
     * @param iccProfile the ICCP chunk's profile when the header flags one, or {@code null} (none,
     *                   one that does not fit the file, or one over the size the caller allows)
     */
    record WebPAnimation(int canvasWidth, int canvasHeight, boolean iccFlagged, byte[] iccProfile, List<WebPFrame> frames) {
    }

    /**
     * The canvas and the first {@code maxFrames} frames of an animated WebP, or {@code null} if the
     * data is not an animated WebP (or its VP8X header is malformed).
     */
    static WebPAnimation webpAnimation(byte[] d, int maxFrames) {
        if (!isWebP(d) || d.length < 30 || !fourCC(d, 12, "VP8X") || u32le(d, 16) < 10) {
            return null;
        }
        boolean animated = (d[20] & 0x02) != 0;
        if (!animated) {
            return null;
        }
        boolean iccFlagged = (d[20] & 0x20) != 0;
        int canvasWidth = 1 + u24le(d, 24);
        int canvasHeight = 1 + u24le(d, 27);
        List<WebPFrame> frames = new ArrayList<>();
        byte[] icc = null;
        for (int i = 12; i + 8 <= d.length && frames.size() < maxFrames; ) {
            long length = u32le(d, i + 4);
            if (length > d.length - i - 8) {
                break;
            }
            int body = i + 8;
            if (fourCC(d, i, "ICCP") && icc == null && iccFlagged && length <= ImageDecoder.MAX_ICC_PROFILE_BYTES) {
                icc = Arrays.copyOfRange(d, body, body + (int) length);
            }
            if (fourCC(d, i, "ANMF") && length >= 16) {
                int flags = d[body + 15] & 0xFF;
                int end = body + (int) length;
                int image = body + 16;
                // The frame data is an ALPH chunk and a VP8 chunk, or a VP8L chunk (unknown chunks may follow).
                int at = fourCC(d, image, "ALPH") ? chunkEnd(d, image, end) : image;
                boolean bitstream = at >= 0 && (fourCC(d, at, "VP8 ") || (at == image && fourCC(d, at, "VP8L")));
                int imageEnd = bitstream ? chunkEnd(d, at, end) : -1;
                frames.add(new WebPFrame(2 * u24le(d, body), 2 * u24le(d, body + 3),
                        1 + u24le(d, body + 6), 1 + u24le(d, body + 9),
                        (flags & 0x02) == 0, (flags & 0x01) != 0, image, Math.max(0, imageEnd - image)));
            }
            i = body + (int) length + (int) (length & 1);
        }
        return new WebPAnimation(canvasWidth, canvasHeight, iccFlagged, icc, List.copyOf(frames));
    }

    /** Where the chunk at {@code at} ends, its padding included, or -1 when it does not fit before {@code end}. */
    private static int chunkEnd(byte[] d, int at, int end) {
        if (at + 8 > end) {
            return -1;
        }
        long length = u32le(d, at + 4);
        return length > end - at - 8 ? -1 : (int) Math.min(end, at + 8 + length + (length & 1));
    }

    /**
     * One frame of an animated WebP as a still WebP file of its own, for a decoder of stills: its
     * VP8L chunk after the RIFF header, or its ALPH and VP8 chunks after a VP8X header that
     * declares the frame's size (and alpha when there is an ALPH chunk). {@code null} when the
     * frame's chunks were not found ({@link WebPFrame#imageLength()} 0).
     */
    static byte[] webpFrameFile(byte[] d, WebPFrame frame) {
        int n = frame.imageLength();
        if (n == 0) {
            return null;
        }
        boolean lossless = fourCC(d, frame.imageOffset(), "VP8L");
        int header = lossless ? 12 : 12 + 18;
        // An odd-sized last chunk whose padding byte lay outside the frame gets a zero one.
        byte[] out = new byte[header + n + (n & 1)];
        putFourCC(out, 0, "RIFF");
        putU32le(out, 4, out.length - 8);
        putFourCC(out, 8, "WEBP");
        if (!lossless) {
            putFourCC(out, 12, "VP8X");
            putU32le(out, 16, 10);
            out[20] = (byte) (fourCC(d, frame.imageOffset(), "ALPH") ? 0x10 : 0);
            putU24le(out, 24, frame.width() - 1);
            putU24le(out, 27, frame.height() - 1);
        }
        System.arraycopy(d, frame.imageOffset(), out, header, n);
        return out;
    }

    // ---- Byte helpers ----------------------------------------------------------------------------

    private static void putFourCC(byte[] d, int at, String code) {
        for (int k = 0; k < 4; k++) {
            d[at + k] = (byte) code.charAt(k);
        }
    }

    private static void putU24le(byte[] d, int at, int v) {
        d[at] = (byte) v;
        d[at + 1] = (byte) (v >>> 8);
        d[at + 2] = (byte) (v >>> 16);
    }

    private static void putU32le(byte[] d, int at, int v) {
        putU24le(d, at, v);
        d[at + 3] = (byte) (v >>> 24);
    }

    static boolean fourCC(byte[] d, int at, String code) {
        return startsWith(d, at, code);
    }

    private static boolean startsWith(byte[] d, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        if (at < 0 || at + b.length > d.length) {
            return false;
        }
        for (int k = 0; k < b.length; k++) {
            if (d[at + k] != b[k]) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] d, int at, boolean little) {
        return little ? u16le(d, at) : u16be(d, at);
    }

    private static long u32(byte[] d, int at, boolean little) {
        return little ? u32le(d, at) : u32be(d, at);
    }

    static int u16be(byte[] d, int at) {
        return (d[at] & 0xFF) << 8 | (d[at + 1] & 0xFF);
    }

    static int u16le(byte[] d, int at) {
        return (d[at + 1] & 0xFF) << 8 | (d[at] & 0xFF);
    }

    static int u24le(byte[] d, int at) {
        return (d[at + 2] & 0xFF) << 16 | (d[at + 1] & 0xFF) << 8 | (d[at] & 0xFF);
    }

    static long u32be(byte[] d, int at) {
        return ((long) u16be(d, at) << 16) | u16be(d, at + 2);
    }

    static long u32le(byte[] d, int at) {
        return ((long) u16le(d, at + 2) << 16) | u16le(d, at);
    }
}
