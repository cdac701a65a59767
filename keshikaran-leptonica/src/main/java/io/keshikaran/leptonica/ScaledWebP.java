package io.keshikaran.leptonica;

import com.luciad.imageio.webp.WebPImageReaderSpi;
import com.luciad.imageio.webp.WebPReadParam;
import io.keshikaran.internal.image.ByteArrayImageInputStream;
import io.keshikaran.spi.NativeImageDecoder.Pixels;

import org.bytedeco.javacpp.Loader;

import javax.imageio.ImageReader;
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
 * waits for the decode, and on JDK 17 to 24 an allocation that waited twice fails with
 * {@code OutOfMemoryError} (JDK-8192647), which the CLI avoids there with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:GCLockerRetryAllocationCount=100} (docs/images.md).
 * Its decoder options live in native memory that webp-imageio never frees (its Cleaner refers to
 * the options themselves), so they are pooled here: one set per decode in flight, at most. Its
 * library (700 KB) is extracted on every JVM start, here into JavaCPP's cache folder (where
 * Leptonica's natives already load from, so trusted as much) rather than {@code $TMPDIR}, unless
 * {@code com.luciad.imageio.webp.tmpdir} is set; its loader prints a stack trace on stderr when the
 * library cannot load, so it is loaded only where Leptonica's has. Its {@code ImageReaderSpi}
 * registers with ImageIO too; keshikaran's Java path never uses that reader.
 */
final class ScaledWebP {
    static final String TMPDIR_PROPERTY = "com.luciad.imageio.webp.tmpdir";
    private static final System.Logger LOG = System.getLogger(ScaledWebP.class.getName());
    /** Decoder options not in use; see the class comment for why they are reused. */
    private static final Queue<WebPReadParam> PARAMS = new ConcurrentLinkedQueue<>();
    /** Why the scaled decode was switched off after it had loaded, or {@code null}. */
    private static volatile String disabled;

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
            } catch (Throwable e) {
                // Also an Error such as OutOfMemoryError: a broken class here would take the
                // whole Leptonica decoder with it.
                reason = "webp-imageio's natives could not be loaded: " + e;
            }
            SPI = spi;
            REASON = reason;
        }
    }

    /** {@code null} when libwebp's scaled decoding can be used, else why not (Leptonica then decodes WebP alone). */
    static String unavailableReason() {
        String why = disabled;
        return why != null ? why : Holder.REASON;
    }

    private static void disable(String why) {
        if (disabled == null) {
            disabled = why;
            LOG.log(System.Logger.Level.WARNING, "decoding WebP with Leptonica only: {0}", why);
        }
    }

    /** Decoder option sets waiting in the pool, for tests. */
    static int pooledOptions() {
        return PARAMS.size();
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
        WebPImageReaderSpi spi = Holder.SPI;
        if (spi == null) {
            throw new IOException("libwebp's scaled decode is not available: " + unavailableReason());
        }
        WebPReadParam param = null;
        ImageReader reader = null;
        ByteArrayImageInputStream input = null;
        try {
            param = PARAMS.poll();
            if (param == null) {
                param = new WebPReadParam();
            }
            input = new ByteArrayImageInputStream(encoded);
            param.setUseScaling(true);
            param.setScaledWidth(width);
            param.setScaledHeight(height);
            reader = spi.createReaderInstance();
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
        } catch (OutOfMemoryError e) {
            if (e.getMessage() != null) {
                // The JVM's own (its messages name the heap): the caller fails this image alone,
                // rather than retrying it through a heavier decoder on a full heap.
                throw e;
            }
            // webp-imageio turns libwebp's VP8_STATUS_OUT_OF_MEMORY into an OutOfMemoryError
            // without a message: libwebp could not allocate; ImageIO's path may still decode it.
            throw new IOException("libwebp's scaled decode ran out of native memory", e);
        } catch (LinkageError e) {
            // Such as a kotlin-stdlib older than webp-imageio needs: permanent, so Leptonica
            // decodes WebP from now on, and this is said once.
            disable("webp-imageio failed to link: " + e);
            throw new IOException("libwebp's scaled decode: " + e, e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
            if (input != null) {
                input.close();
            }
            if (param != null) {
                PARAMS.add(param);
            }
        }
    }
}
