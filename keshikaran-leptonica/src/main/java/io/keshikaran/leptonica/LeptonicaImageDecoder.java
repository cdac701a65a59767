package io.keshikaran.leptonica;

import io.keshikaran.spi.NativeImageDecoder;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.leptonica.PIX;
import org.bytedeco.leptonica.PIXCMAP;

import java.io.IOException;
import java.util.Arrays;

import static org.bytedeco.leptonica.global.leptonica.pixConvertTo32;
import static org.bytedeco.leptonica.global.leptonica.pixDestroy;
import static org.bytedeco.leptonica.global.leptonica.pixReadMemJpeg;
import static org.bytedeco.leptonica.global.leptonica.pixReadMemPng;
import static org.bytedeco.leptonica.global.leptonica.pixReadMemWebP;

/**
 * keshikaran's native decoder: Leptonica 1.85 through JavaCPP ({@code org.bytedeco:leptonica}),
 * whose one library holds libjpeg-turbo (with its SIMD code), libpng, libwebp and zlib. Found by
 * {@link java.util.ServiceLoader}; keshikaran's image decoder uses it for still JPEG, PNG and WebP
 * images and ImageIO for everything else. Thread-safe; no native memory is held between calls
 * (the encoded copy and every Leptonica image are freed before {@link #decode} returns).
 *
 * <p><b>What it decodes</b> ({@link #probe} declines the rest, which ImageIO then decodes):
 * <ul>
 *   <li>JPEG: baseline, extended and progressive Huffman, 8-bit, gray or YCbCr (an Adobe marker
 *       only with transform 1 on three components, as Photoshop writes: no CMYK, YCCK or RGB-coded
 *       files), ending with its EOI marker (a truncated file goes to
 *       ImageIO, which refuses it rather than filling gray). Leptonica stops at libjpeg's first
 *       warning (corrupt data), and ImageIO then decides;</li>
 *   <li>PNG: up to 8 bits per sample, any colour type, not animated, no {@code tRNS} colour key on
 *       gray or RGB images, no ICC profile ({@code iCCP}: libpng would print warnings about some on
 *       stderr), ending with {@code IEND};</li>
 *   <li>WebP: lossy and lossless stills, with or without alpha; not animations (ImageDecoder hands
 *       it each frame of one as a still).</li>
 * </ul>
 * An embedded JPEG or WebP ICC profile is returned for the caller to judge (it decodes here only when sRGB).
 *
 * <p><b>Reduced decoding</b>: JPEG at 1/2, 1/4 or 1/8 size with libjpeg-turbo's DCT scaling
 * (each output pixel averages its 2x2 to 8x8 block: antialiased and 2-4x cheaper on baseline
 * files); a WebP still whose header says it is opaque with libwebp's own scaling, which averages
 * rows as they are decoded ({@link ScaledWebP}: no full-size image, 28% less time); opaque PNG and
 * other WebP stills are decoded in full and box-averaged (2x2 to 8x8 blocks, rounded)
 * while they are copied to the Java heap, a few rows at a time, so no full-size copy reaches the
 * heap. Leptonica's {@code pixScaleAreaMap} does the same averaging but truncates at each 2x
 * step (up to 1 level darker at 1/8) and costs a second native image. Images with alpha are
 * reduced only when every pixel is opaque (returned without alpha then, which every transparency
 * option treats alike); otherwise they stay at full size, since averaging must come after the
 * caller has applied the transparency option.
 *
 * <p><b>Exactness</b>: reduced, an opaque WebP is libwebp's area average: within a level of the
 * box average of its full decode for a lossless file, a few levels for a lossy one (averaged in
 * YUV, without the deblocking filter: up to 15 at 1/2, 4 at 1/8, about 1 on average); where the
 * size does not divide, libwebp spreads the whole width over the result where the box average
 * drops the last partial block.
 * At full resolution JPEG decodes to the same bytes as libjpeg-turbo in sharp
 * and nsfwjs (same library, ISLOW IDCT, fancy upsampling; its SIMD code is bit-exact with its C
 * code) and to the same bytes as the ImageIO path; PNG to the same bytes as ImageIO. Lossy WebP
 * follows libwebp, as sharp does, which differs slightly from TwelveMonkeys' pure-Java VP8 decoder.
 *
 * <p><b>Why Leptonica</b> (docs/performance.md has the measurements): its bundled libjpeg-turbo
 * is built with SIMD, which the OpenCV build used before ({@code org.openpnp:opencv} 4.9) was not,
 * so JPEG takes 14-27% less CPU than with OpenCV at full size, and its default reduced decode
 * less time than libvips' full one; the natives for Linux x86_64 take 4 MB instead of OpenCV's
 * 110 MB jar. PNG and WebP cost somewhat more than with OpenCV (Leptonica makes one more pass
 * over the pixels). Other platforms: add the {@code org.bytedeco:leptonica} and
 * {@code org.bytedeco:javacpp} jars with their classifier.
 *
 * <p><b>Messages</b>: Leptonica's own messages are switched off. libjpeg and libpng still print
 * one line on stderr for a file whose compressed data is damaged (as they did inside OpenCV); the
 * file then goes to ImageIO.
 */
public final class LeptonicaImageDecoder implements NativeImageDecoder {
    /** A lossless WebP decoded scaled: libwebp's ARGB image of the whole picture (4) and its row caches. */
    static final int LOSSLESS_SCALED_BYTES_PER_PIXEL = 5;
    /**
     * A lossy WebP decoded scaled, per column: libwebp's macroblock rows (luma and chroma, with
     * the loop filter's extra rows) and the scaler's accumulators, a few hundred rows' worth.
     */
    static final int LOSSY_SCALED_BYTES_PER_COLUMN = 1024;

    /** Creates the decoder; the natives load on first use ({@link #unavailableReason()}). */
    public LeptonicaImageDecoder() {
    }

    @Override
    public String name() {
        return "leptonica";
    }

    /**
     * Loads Leptonica's natives and then, for {@link ScaledWebP}, webp-imageio's (whose failure
     * only leaves WebP to Leptonica), so that both load when keshikaran loads its native decoders
     * (in the background while a classifier loads its model) rather than at the first WebP. Where
     * Leptonica's do not load, webp-imageio is not touched: its loader prints a stack trace on
     * stderr when it finds no library for the platform.
     */
    @Override
    public String unavailableReason() {
        String why = NativeLibrary.unavailableReason();
        if (why == null) {
            ScaledWebP.unavailableReason();
        }
        return why;
    }

    @Override
    public Header probe(byte[] encoded) {
        return Headers.probe(encoded);
    }

    @Override
    public Pixels decode(byte[] encoded, Header header, int reduction) throws IOException {
        String why = NativeLibrary.unavailableReason();
        if (why != null) {
            throw new IllegalStateException("Leptonica is not available: " + why);
        }
        boolean jpeg = "JPEG".equals(header.format());
        if (scalesWebP(encoded, header, reduction) != null) {
            // Its failure goes to ImageIO, whose reservation covers a full decode: nativeMemory
            // reserved only what the scaled decode needs.
            return ScaledWebP.decode(encoded, header.width() / reduction, header.height() / reduction);
        }
        int by = reduction == 2 || reduction == 4 || reduction == 8 ? reduction : 1;
        PIX pix = read(encoded, header.format(), jpeg ? by : 1);
        try {
            PIXCMAP colormap = pix.colormap();
            if ((colormap != null && !colormap.isNull()) || (pix.d() != 8 && pix.d() != 32)) {
                // Palette and 1, 2 or 4-bit gray PNGs (palettes with transparency arrive as RGBA).
                pix = replace(pix, pixConvertTo32(pix));
            }
            boolean alpha = pix.d() == 32 && pix.spp() == 4;
            if (!jpeg && by > 1 && pix.w() >= by && pix.h() >= by) {
                // An image with alpha is averaged only when every pixel is opaque (as most RGBA
                // wallpapers are): otherwise averaging must follow the caller's transparency option.
                Pixels reduced = averaged(pix, by, alpha);
                if (reduced != null) {
                    return reduced;
                }
            }
            return whole(pix, alpha);
        } finally {
            pixDestroy(pix);
        }
    }

    /**
     * For an opaque WebP decoded reduced, libwebp's scaled decode ({@link ScaledWebP}): for a
     * lossless file, libwebp's 4-byte ARGB image of the whole picture plus its caches; a lossy
     * file only needs rows. Else keshikaran's estimate.
     */
    @Override
    public long nativeMemory(byte[] encoded, Header header, int reduction) {
        Headers.OpaqueWebP coding = scalesWebP(encoded, header, reduction);
        if (coding == null) {
            return -1;
        }
        return coding == Headers.OpaqueWebP.LOSSLESS
                ? (long) header.width() * header.height() * LOSSLESS_SCALED_BYTES_PER_PIXEL
                : (long) header.width() * LOSSY_SCALED_BYTES_PER_COLUMN;
    }

    /**
     * How the WebP is coded when it goes to libwebp's scaled decode: an opaque still, decoded
     * reduced, with webp-imageio's natives loaded; else {@code null}.
     */
    private static Headers.OpaqueWebP scalesWebP(byte[] encoded, Header header, int reduction) {
        if (!"WEBP".equals(header.format()) || reduction <= 1 || header.width() / reduction < 1
                || header.height() / reduction < 1 || ScaledWebP.unavailableReason() != null) {
            return null;
        }
        return Headers.opaqueWebP(encoded);
    }

    /**
     * Decodes with Leptonica from a native copy of the file, which is freed before returning.
     * {@code Pointer.malloc} rather than {@code new BytePointer(byte[])}: for memory it tracks,
     * JavaCPP compares the process's resident size with four times the heap limit, and past it runs
     * the GC, waits, and throws OutOfMemoryError, which a small-heap JVM whose natives (ONNX
     * Runtime) hold more would reach on every image.
     */
    private static PIX read(byte[] encoded, String format, int reduction) throws IOException {
        Pointer memory = Pointer.malloc(encoded.length);
        if (memory == null || memory.isNull()) {
            throw new IOException("no native memory for a copy of " + encoded.length + " bytes");
        }
        PIX pix;
        try {
            BytePointer data = new BytePointer(memory).capacity(encoded.length);
            data.put(encoded);
            pix = switch (format) {
                case "JPEG" -> pixReadMemJpeg(data, encoded.length, 0, reduction, (IntPointer) null, 0);
                case "PNG" -> pixReadMemPng(data, encoded.length);
                case "WEBP" -> pixReadMemWebP(data, encoded.length);
                default -> throw new IOException("Leptonica is not used for " + format);
            };
        } finally {
            Pointer.free(memory);
        }
        if (pix == null || pix.isNull()) {
            throw new IOException("Leptonica cannot decode this " + format);
        }
        return pix;
    }

    /** {@code next}, made from {@code pix}, which is destroyed; throws when Leptonica returned none. */
    private static PIX replace(PIX pix, PIX next) throws IOException {
        if (next == null || next.isNull()) {
            throw new IOException("Leptonica could not convert a " + pix.w() + "x" + pix.h() + " image of depth " + pix.d());
        }
        pixDestroy(pix);
        return next;
    }

    /**
     * Copies an 8-bit gray or 32-bit RGB(A) image to the heap, one row at a time. 32-bit words are
     * {@code 0xRRGGBBAA}; 8-bit rows hold four samples per word, the first in the high byte.
     */
    private static Pixels whole(PIX pix, boolean withAlpha) {
        int width = pix.w();
        int height = pix.h();
        int wpl = pix.wpl();
        boolean gray = pix.d() == 8;
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        byte[] alpha = withAlpha ? new byte[width * height] : null;
        int[] row = new int[wpl];
        IntPointer data = pix.data();
        int o = 0;
        for (int y = 0; y < height; y++) {
            data.position((long) y * wpl).get(row, 0, wpl);
            o = gray ? copyGray(row, width, rgb, o) : copyRgb(row, width, rgb, o);
            if (alpha != null) {
                for (int x = 0, a = y * width; x < width; x++) {
                    alpha[a + x] = (byte) row[x];
                }
            }
        }
        return new Pixels(width, height, rgb, alpha);
    }

    /**
     * Copies the image to the heap averaged over {@code factor x factor} blocks (a box filter with
     * rounding, like DCT scaling; the last partial row and column of blocks are dropped), reading
     * {@code factor} rows at a time, so the full-size image never reaches the heap.
     *
     * @param opaqueOnly the image has alpha: give up, returning {@code null}, at the first pixel
     *                   that is not fully opaque
     */
    private static Pixels averaged(PIX pix, int factor, boolean opaqueOnly) {
        int width = pix.w() / factor;
        int height = pix.h() / factor;
        int wpl = pix.wpl();
        boolean gray = pix.d() == 8;
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        int[] row = new int[wpl];
        int[] sums = new int[width * 3];
        IntPointer data = pix.data();
        int area = factor * factor;
        int half = area / 2;
        int o = 0;
        for (int y = 0; y < height; y++) {
            Arrays.fill(sums, 0);
            for (int k = 0; k < factor; k++) {
                data.position((long) (y * factor + k) * wpl).get(row, 0, wpl);
                if (opaqueOnly && !opaque(row, width * factor)) {
                    return null;
                }
                if (gray) {
                    addGray(row, width, factor, sums);
                } else {
                    addRgb(row, width, factor, sums);
                }
            }
            for (int i = 0; i < sums.length; i++) {
                rgb[o++] = (byte) ((sums[i] + half) / area);
            }
        }
        return new Pixels(width, height, rgb, null);
    }

    private static int gray(int[] row, int x) {
        return (row[x >> 2] >>> (24 - ((x & 3) << 3))) & 0xFF;
    }

    private static int copyGray(int[] row, int width, byte[] rgb, int o) {
        for (int x = 0; x < width; x++) {
            byte v = (byte) gray(row, x);
            rgb[o] = v;
            rgb[o + 1] = v;
            rgb[o + 2] = v;
            o += 3;
        }
        return o;
    }

    private static int copyRgb(int[] row, int width, byte[] rgb, int o) {
        for (int x = 0; x < width; x++) {
            int v = row[x];
            rgb[o] = (byte) (v >>> 24);
            rgb[o + 1] = (byte) (v >>> 16);
            rgb[o + 2] = (byte) (v >>> 8);
            o += 3;
        }
        return o;
    }

    /** Adds each block's {@code factor} samples of this row to its output pixel's sums. */
    private static void addGray(int[] row, int width, int factor, int[] sums) {
        for (int x = 0, p = 0; x < width; x++) {
            int sum = 0;
            for (int j = 0; j < factor; j++, p++) {
                sum += gray(row, p);
            }
            sums[3 * x] += sum;
            sums[3 * x + 1] += sum;
            sums[3 * x + 2] += sum;
        }
    }

    /**
     * Whether the first {@code n} pixels of a 32-bit row are fully opaque. A loop of its own: an
     * AND of the words folded into {@link #addRgb}'s sums made OpenJDK 17.0.15's C2 compiler crash
     * the JVM (ShouldNotReachHere in TypeVect::xmeet, SuperWord vectorizing the reductions).
     */
    private static boolean opaque(int[] row, int n) {
        for (int x = 0; x < n; x++) {
            if ((row[x] & 0xFF) != 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static void addRgb(int[] row, int width, int factor, int[] sums) {
        for (int x = 0, p = 0; x < width; x++) {
            int r = 0;
            int g = 0;
            int b = 0;
            for (int j = 0; j < factor; j++, p++) {
                int v = row[p];
                r += v >>> 24;
                g += (v >>> 16) & 0xFF;
                b += (v >>> 8) & 0xFF;
            }
            sums[3 * x] += r;
            sums[3 * x + 1] += g;
            sums[3 * x + 2] += b;
        }
    }
}
