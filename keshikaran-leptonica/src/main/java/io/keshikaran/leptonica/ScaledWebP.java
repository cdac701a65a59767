package io.keshikaran.leptonica;

import com.luciad.imageio.webp.WebPImageReaderSpi;
import com.luciad.imageio.webp.WebPReadParam;
import io.keshikaran.spi.NativeImageDecoder.Pixels;

import org.bytedeco.javacpp.Loader;

import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStreamImpl;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.File;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Decodes opaque WebP stills straight to a reduced size with libwebp's own scaling
 * ({@code WebPDecoderConfig.options.use_scaling}), through {@code com.github.usefulness:webp-imageio}
 * (libwebp with its SSE4.1 code, natives for Linux, macOS and Windows in its jar).
 *
 * <p>Why not Leptonica's {@code pixReadMemWebP} for these: it decodes every pixel into a 32-bit
 * image, which keshikaran then averaged in Java. libwebp's scaler instead averages each decoded
 * row as it comes (an area filter, antialiased like the box average; for a lossy file in YUV
 * before the colour conversion, and without VP8's in-loop deblocking filter, which libwebp skips
 * when it scales below three quarters), so neither the full-size RGB image nor its copy is ever made: on the
 * real-world folder's 20 WebP stills of 4096x4096, 28% less time than Leptonica plus the Java
 * average, and native memory falls from 5 bytes per pixel to the decoder's row caches (lossy) and
 * from 10 to libwebp's own 4-byte ARGB image (lossless), so two large ones can decode at once
 * (docs/performance.md). Images with alpha stay with Leptonica: keshikaran averages them only when
 * every pixel is opaque, after the caller's transparency option.
 *
 * <p>What it costs: webp-imageio's JNI call copies the file into a Java array (it reads an
 * {@code ImageInputStream}) and pins that array and its result while libwebp decodes (JNI
 * critical regions, 50-400 ms for a 4096x4096 file): a garbage collection another thread needs
 * waits for the decode, and on JDK 17 to 22 an allocation that waited twice fails with
 * {@code OutOfMemoryError} (JDK-8192647), which the CLI avoids there with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:GCLockerRetryAllocationCount=100} (docs/images.md).
 * Its decoder options live in native memory that webp-imageio never frees (its Cleaner refers to
 * the options themselves), so they are pooled here: one set per decode in flight, at most. Its
 * library (700 KB) is extracted on every JVM start, here into JavaCPP's cache folder (private to
 * the user, where Leptonica's natives already load from) rather than {@code $TMPDIR}, unless
 * {@code com.luciad.imageio.webp.tmpdir} is set; its loader prints a stack trace on stderr when the
 * library cannot load, so it is loaded only where Leptonica's has. Its {@code ImageReaderSpi}
 * registers with ImageIO too; keshikaran's Java path never uses that reader.
 */
final class ScaledWebP {
    static final String TMPDIR_PROPERTY = "com.luciad.imageio.webp.tmpdir";
    /** Decoder options not in use; see the class comment for why they are reused. */
    private static final Queue<WebPReadParam> PARAMS = new ConcurrentLinkedQueue<>();

    private ScaledWebP() {
    }

    private static final class Holder {
        static final WebPImageReaderSpi SPI;
        static final String REASON;

        static {
            WebPImageReaderSpi spi = null;
            String reason;
            try {
                if (System.getProperty(TMPDIR_PROPERTY) == null) {
                    File folder = new File(Loader.getCacheDir(), "webp-imageio");
                    if (folder.isDirectory() || folder.mkdirs()) {
                        System.setProperty(TMPDIR_PROPERTY, folder.getPath());
                    }
                }
                // WebPReadParam's static initializer loads the library (printing, not throwing, a
                // failure); its constructor's native call then throws UnsatisfiedLinkError.
                PARAMS.add(new WebPReadParam());
                spi = new WebPImageReaderSpi();
                reason = null;
            } catch (LinkageError | RuntimeException | IOException e) {
                reason = "webp-imageio's natives could not be loaded: " + e;
            }
            SPI = spi;
            REASON = reason;
        }
    }

    /** {@code null} when libwebp's scaled decoding can be used, else why not (Leptonica then decodes WebP alone). */
    static String unavailableReason() {
        return Holder.REASON;
    }

    /**
     * Decodes an opaque WebP still to {@code width x height}.
     *
     * @return the pixels, without alpha
     * @throws IOException libwebp refused the data, ran out of memory, or reports alpha the header
     *                     did not declare (the caller's estimate was for an opaque image): the
     *                     caller then leaves the file to ImageIO
     */
    static Pixels decode(byte[] encoded, int width, int height) throws IOException {
        WebPReadParam param = PARAMS.poll();
        ImageReader reader = null;
        Bytes input = new Bytes(encoded);
        try {
            if (param == null) {
                param = new WebPReadParam();
            }
            param.setUseScaling(true);
            param.setScaledWidth(width);
            param.setScaledHeight(height);
            reader = Holder.SPI.createReaderInstance();
            reader.setInput(input);
            BufferedImage image = reader.read(0, param);
            if (image.getColorModel().hasAlpha()) {
                throw new IOException("libwebp reports alpha that the header does not declare");
            }
            if (image.getWidth() != width || image.getHeight() != height) {
                throw new IOException("libwebp returned " + image.getWidth() + "x" + image.getHeight()
                        + " for a scaled size of " + width + "x" + height);
            }
            int[] argb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            byte[] rgb = new byte[Math.multiplyExact(argb.length, 3)];
            for (int i = 0, o = 0; i < argb.length; i++, o += 3) {
                int v = argb[i];
                rgb[o] = (byte) (v >>> 16);
                rgb[o + 1] = (byte) (v >>> 8);
                rgb[o + 2] = (byte) v;
            }
            return new Pixels(width, height, rgb, null);
        } catch (IOException e) {
            throw new IOException("libwebp's scaled decode: " + e.getMessage(), e);
        } catch (OutOfMemoryError | LinkageError e) {
            // libwebp's VP8_STATUS_OUT_OF_MEMORY arrives as OutOfMemoryError, as does a heap too
            // small for webp-imageio's copy of the file; and a kotlin-stdlib older than the one it
            // was built with could fail to link. All mean: not this way.
            throw new IOException("libwebp's scaled decode failed: " + e, e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
            input.close();
            if (param != null) {
                PARAMS.add(param);
            }
        }
    }

    /** The file as an {@code ImageInputStream} of known length, which webp-imageio copies in one piece. */
    private static final class Bytes extends ImageInputStreamImpl {
        /** The file; dropped on close, since {@code ImageInputStreamImpl}'s finalizer keeps the stream. */
        private byte[] data;

        Bytes(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() throws IOException {
            checkClosed();
            return streamPos < data.length ? data[(int) streamPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkClosed();
            if (streamPos >= data.length) {
                return -1;
            }
            int n = (int) Math.min(len, data.length - streamPos);
            System.arraycopy(data, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            byte[] d = data;
            return d == null ? -1 : d.length;
        }

        @Override
        public void close() throws IOException {
            super.close();
            data = null;
        }
    }
}
