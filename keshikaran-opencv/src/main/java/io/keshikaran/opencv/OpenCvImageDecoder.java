package io.keshikaran.opencv;

import io.keshikaran.spi.NativeImageDecoder;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;

/**
 * keshikaran's native decoder: OpenCV 4.9 ({@code org.openpnp:opencv}), whose one library holds
 * libjpeg-turbo, libpng and libwebp, for Linux, macOS and Windows on x86_64 and ARM. Found by
 * {@link java.util.ServiceLoader}; keshikaran's image decoder uses it for still
 * JPEG, PNG and WebP images and ImageIO for everything else. Thread-safe; no native memory is held
 * between calls.
 *
 * <p><b>What it decodes</b> ({@link #probe} declines the rest, which ImageIO then decodes):
 * <ul>
 *   <li>JPEG: baseline, extended and progressive Huffman, 8-bit, gray or YCbCr, no Adobe marker
 *       (so no CMYK, YCCK or RGB-coded files), ending with its EOI marker (a truncated file goes to
 *       ImageIO, which refuses it rather than filling gray);</li>
 *   <li>PNG: up to 8 bits per sample, any colour type, not animated, no {@code tRNS} colour key on
 *       gray or RGB images, no ICC profile ({@code iCCP}: libpng would print warnings about some on
 *       stderr), ending with {@code IEND};</li>
 *   <li>WebP: lossy and lossless stills, with or without alpha; not animations.</li>
 * </ul>
 * An embedded JPEG or WebP ICC profile is returned for the caller to judge (it decodes here only when sRGB).
 *
 * <p><b>Reduced decoding</b>: JPEG at 1/2, 1/4 or 1/8 size with libjpeg-turbo's DCT scaling
 * (each output pixel averages its 2x2 to 8x8 block: antialiased and 2-4x cheaper on baseline
 * files); opaque PNG and WebP are decoded in full and area-averaged ({@code INTER_AREA}) to the
 * reduced size before they are copied to the Java heap.
 *
 * <p><b>Exactness</b>: at full resolution JPEG decodes to the same bytes as libjpeg-turbo in sharp
 * and nsfwjs (same library, ISLOW IDCT, fancy upsampling) and to the same bytes as the ImageIO path;
 * PNG to the same bytes as ImageIO. Lossy WebP follows libwebp, as sharp does, which differs
 * slightly from TwelveMonkeys' pure-Java VP8 decoder.
 *
 * <p><b>Why OpenCV</b> (docs/performance.md has the measurements): one well-kept Maven Central
 * artifact covers the three formats with bundled natives, exposes libjpeg-turbo's DCT scaling
 * ({@code IMREAD_REDUCED_COLOR_*}) and decodes as fast as libvips: on a 17.9 MP baseline JPEG
 * 234 ms against libvips' 241 ms (and 112 ms at 1/8), a 4096x4096 lossy WebP 183 ms against 299 ms
 * and 5.8 s for TwelveMonkeys. Its cost is size: the jar is 110 MB (65 MB for the Linux x86_64
 * library alone, extracted once per user to the temporary directory). webp-imageio (libwebp only,
 * 3 MB) would still leave JPEG and PNG in Java.
 *
 * <p><b>Threads</b>: OpenCV's own thread pool is set to one thread, since keshikaran already
 * decodes images in parallel.
 */
public final class OpenCvImageDecoder implements NativeImageDecoder {
    /** Creates the decoder; the natives load on first use ({@link #unavailableReason()}). */
    public OpenCvImageDecoder() {
    }

    @Override
    public String name() {
        return "opencv";
    }

    @Override
    public String unavailableReason() {
        return NativeLibrary.unavailableReason();
    }

    @Override
    public Header probe(byte[] encoded) {
        return Headers.probe(encoded);
    }

    @Override
    public Pixels decode(byte[] encoded, Header header, int reduction) throws IOException {
        String why = NativeLibrary.unavailableReason();
        if (why != null) {
            throw new IllegalStateException("OpenCV is not available: " + why);
        }
        boolean jpeg = "JPEG".equals(header.format());
        int flags;
        if (jpeg) {
            flags = Imgcodecs.IMREAD_IGNORE_ORIENTATION | switch (reduction) {
                case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
                case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
                case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
                default -> Imgcodecs.IMREAD_COLOR;
            };
        } else {
            // Keeps alpha; OpenCV never applies EXIF orientation with IMREAD_UNCHANGED.
            flags = Imgcodecs.IMREAD_UNCHANGED;
        }
        MatOfByte buffer = new MatOfByte(encoded);
        Mat image = null;
        Mat work = new Mat();
        Mat alpha = null;
        try {
            image = Imgcodecs.imdecode(buffer, flags);
            if (image.empty() || image.depth() != CvType.CV_8U) {
                throw new IOException("OpenCV cannot decode this " + header.format());
            }
            int channels = image.channels();
            if (!jpeg && reduction > 1 && channels != 4) {
                // Area averaging: the same box filter as DCT scaling, done before the copy to the heap.
                Mat small = new Mat();
                Imgproc.resize(image, small, new Size(Math.max(1, image.cols() / reduction),
                        Math.max(1, image.rows() / reduction)), 0, 0, Imgproc.INTER_AREA);
                image.release();
                image = small;
            }
            int width = image.cols();
            int height = image.rows();
            byte[] alphaBytes = null;
            switch (channels) {
                case 1 -> Imgproc.cvtColor(image, work, Imgproc.COLOR_GRAY2RGB);
                case 3 -> Imgproc.cvtColor(image, work, Imgproc.COLOR_BGR2RGB);
                case 4 -> {
                    Imgproc.cvtColor(image, work, Imgproc.COLOR_BGRA2RGB);
                    alpha = new Mat();
                    Core.extractChannel(image, alpha, 3);
                    alphaBytes = new byte[Math.multiplyExact(width, height)];
                    alpha.get(0, 0, alphaBytes);
                }
                default -> throw new IOException("OpenCV decoded " + channels + " channels");
            }
            byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
            work.get(0, 0, rgb);
            return new Pixels(width, height, rgb, alphaBytes);
        } catch (org.opencv.core.CvException e) {
            throw new IOException("OpenCV: " + e.getMessage(), e);
        } finally {
            buffer.release();
            work.release();
            if (image != null) {
                image.release();
            }
            if (alpha != null) {
                alpha.release();
            }
        }
    }
}
