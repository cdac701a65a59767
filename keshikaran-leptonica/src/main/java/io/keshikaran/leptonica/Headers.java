package io.keshikaran.leptonica;

import io.keshikaran.spi.NativeImageDecoder.Header;

import java.io.ByteArrayOutputStream;
import java.util.TreeMap;

/**
 * Reads JPEG, PNG and WebP headers to decide what Leptonica may decode (see
 * {@link LeptonicaImageDecoder}); never throws on malformed data, it declines it.
 */
final class Headers {
    /** ICC profiles larger than this are declined (ImageIO's path ignores them too). */
    private static final int MAX_ICC_BYTES = 4 * 1024 * 1024;

    private Headers() {
    }

    static Header probe(byte[] b) {
        try {
            if (b.length > 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
                return jpeg(b);
            }
            if (b.length > 33 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
                return png(b);
            }
            if (b.length > 30 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                    && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
                return webp(b);
            }
        } catch (RuntimeException e) {
            // Malformed header: ImageIO's path reports it.
        }
        return null;
    }

    private static Header jpeg(byte[] b) {
        // libjpeg fills a truncated file with gray and only warns; ImageIO's path refuses it.
        if ((b[b.length - 2] & 0xFF) != 0xFF || (b[b.length - 1] & 0xFF) != 0xD9) {
            return null;
        }
        TreeMap<Integer, byte[]> icc = new TreeMap<>();
        int adobeTransform = -1;
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            int length = u16(b, i + 2);
            int data = i + 4;
            if (length < 2 || data + length - 2 > b.length) {
                return null;
            }
            if (marker == 0xEE && startsWith(b, data, "Adobe")) {
                if (length < 14) {
                    return null;
                }
                adobeTransform = b[data + 11] & 0xFF;
            }
            if (marker == 0xE2 && startsWith(b, data, "ICC_PROFILE\0") && length > 16) {
                byte[] chunk = new byte[length - 2 - 14];
                System.arraycopy(b, data + 14, chunk, 0, chunk.length);
                icc.put(b[data + 12] & 0xFF, chunk);
            }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                if (marker > 0xC2 || (b[data] & 0xFF) != 8) {
                    return null; // lossless, hierarchical, arithmetic or 12-bit
                }
                int height = u16(b, data + 1);
                int width = u16(b, data + 3);
                int components = b[data + 5] & 0xFF;
                if (components != 1 && components != 3) {
                    return null;
                }
                // An Adobe marker (Photoshop writes one) with transform 1 on three components is
                // plain YCbCr, decoded alike by both paths; anything else it says (RGB coding,
                // CMYK, YCCK) is left to TwelveMonkeys, which knows the conventions.
                if (adobeTransform >= 0 && !(components == 3 && adobeTransform == 1)) {
                    return null;
                }
                return new Header("JPEG", width, height, join(icc));
            }
            if (marker == 0xDA || marker == 0xD9) {
                return null;
            }
            i = data + length - 2;
        }
        return null;
    }

    private static Header png(byte[] b) {
        int end = b.length - 12;
        if (!(b[end + 4] == 'I' && b[end + 5] == 'E' && b[end + 6] == 'N' && b[end + 7] == 'D')) {
            return null;
        }
        int width = s32(b, 16);
        int height = s32(b, 20);
        int depth = b[24] & 0xFF;
        int colorType = b[25] & 0xFF;
        if (depth > 8) {
            return null;
        }
        int i = 8;
        while (i + 8 <= b.length) {
            int length = s32(b, i);
            if (length < 0 || i + 12L + length > b.length) {
                return null;
            }
            String type = new String(b, i + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (type.equals("IDAT")) {
                break;
            }
            // iCCP: libpng prints warnings about some profiles on stderr, which a CLI must not show;
            // ImageIO's path converts the profile anyway when it is not sRGB.
            if (type.equals("acTL") || type.equals("iCCP") || (type.equals("tRNS") && colorType != 3)) {
                return null;
            }
            i += 12 + length;
        }
        return new Header("PNG", width, height, null);
    }

    private static Header webp(byte[] b) {
        long riff = u32le(b, 4) + 8;
        if (riff > b.length) {
            return null; // truncated
        }
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        switch (chunk) {
            case "VP8 " -> {
                return new Header("WEBP", u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF, null);
            }
            case "VP8L" -> {
                long bits = u32le(b, 21);
                return new Header("WEBP", (int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1, null);
            }
            case "VP8X" -> {
                int flags = b[20] & 0xFF;
                if ((flags & 0x02) != 0) {
                    return null; // animation
                }
                int width = (int) (u24le(b, 24) + 1);
                int height = (int) (u24le(b, 27) + 1);
                byte[] icc = null;
                if ((flags & 0x20) != 0) {
                    icc = webpChunk(b, "ICCP", (int) Math.min(riff, b.length));
                    if (icc == null) {
                        return null;
                    }
                }
                return new Header("WEBP", width, height, icc);
            }
            default -> {
                return null;
            }
        }
    }

    /** How an opaque WebP still's pixels are coded. */
    enum OpaqueWebP { LOSSY, LOSSLESS }

    /**
     * How a probed WebP still is coded when its header says it has no alpha: a plain {@code VP8 }
     * file, a {@code VP8L} one whose {@code alpha_is_used} bit is clear, or a {@code VP8X} one
     * without the alpha flag holding either; else {@code null} (alpha, or a structure not
     * recognised here). The bit and the flag are what libwebp reports as {@code has_alpha}.
     */
    static OpaqueWebP opaqueWebP(byte[] b) {
        try {
            int end = (int) Math.min(u32le(b, 4) + 8, b.length);
            int at = 12;
            if (startsWith(b, 12, "VP8X")) {
                if ((b[20] & 0x10) != 0) {
                    return null;
                }
                // The image chunk follows the optional ICCP chunk.
                at = nextChunk(b, 12, end);
                while (at >= 0 && at + 8 <= end && !startsWith(b, at, "VP8 ") && !startsWith(b, at, "VP8L")) {
                    if (startsWith(b, at, "ALPH")) {
                        return null;
                    }
                    at = nextChunk(b, at, end);
                }
            }
            if (at < 0 || at + 13 > end) {
                return null;
            }
            if (startsWith(b, at, "VP8 ")) {
                return OpaqueWebP.LOSSY;
            }
            if (startsWith(b, at, "VP8L")) {
                return ((u32le(b, at + 9) >>> 28) & 1) == 0 ? OpaqueWebP.LOSSLESS : null;
            }
        } catch (RuntimeException e) {
            // Malformed: not recognised here.
        }
        return null;
    }

    private static byte[] webpChunk(byte[] b, String wanted, int end) {
        for (int i = 12; i >= 0 && i + 8 <= end; i = nextChunk(b, i, end)) {
            long size = u32le(b, i + 4);
            if (i + 8 + size <= end && startsWith(b, i, wanted)) {
                return size > MAX_ICC_BYTES ? null : java.util.Arrays.copyOfRange(b, i + 8, i + 8 + (int) size);
            }
        }
        return null;
    }

    /**
     * Where the RIFF chunk after the one at {@code at} starts (its payload padded to an even
     * size), or -1 when the chunk at {@code at} does not fit before {@code end}.
     */
    private static int nextChunk(byte[] b, int at, int end) {
        long size = u32le(b, at + 4);
        if (at + 8 + size > end) {
            return -1;
        }
        return at + 8 + (int) size + (int) (size & 1);
    }

    /** The ICC chunks in sequence order, or {@code null} when there are none. */
    private static byte[] join(TreeMap<Integer, byte[]> chunks) {
        if (chunks.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] b, int offset, String prefix) {
        if (offset + prefix.length() > b.length) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (b[offset + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static int s32(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    private static int u16le(byte[] b, int i) {
        return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8);
    }

    private static long u24le(byte[] b, int i) {
        return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((long) (b[i + 2] & 0xFF) << 16);
    }

    private static long u32le(byte[] b, int i) {
        return u24le(b, i) | ((long) (b[i + 3] & 0xFF) << 24);
    }
}
