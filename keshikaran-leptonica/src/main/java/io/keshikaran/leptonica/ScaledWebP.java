package io.keshikaran.leptonica;

import com.luciad.imageio.webp.WebPImageReaderSpi;
import com.luciad.imageio.webp.WebPReadParam;
import io.keshikaran.spi.NativeImageDecoder.Pixels;

import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStreamImpl;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.File;
import java.io.IOException;

/**
 * Decodes opaque WebP stills straight to a reduced size with libwebp's own scaling
 * ({@code WebPDecoderConfig.options.use_scaling}), through {@code com.github.usefulness:webp-imageio}
 * (libwebp with its SSE4.1 code, natives for Linux, macOS and Windows in its jar).
 *
 * <p>Why not Leptonica's {@code pixReadMemWebP} for these: it decodes every pixel into a 32-bit
 * image, which keshikaran then averaged in Java. libwebp's scaler instead averages each decoded
 * row as it comes (an area filter, antialiased like the box average), in YUV before the colour
 * conversion for a lossy file, so neither the full-size RGB image nor its copy is ever made: on the
 * real-world folder's 20 WebP stills of 4096x4096, 28% less time than Leptonica plus the Java
 * average, and native memory falls from 5 bytes per pixel to the decoder's row caches (lossy) and
 * from 10 to libwebp's own 4-byte ARGB image (lossless), so two large ones can decode at once
 * (docs/performance.md). Images with alpha stay with Leptonica: keshikaran averages them only when
 * every pixel is opaque, after the caller's transparency option.
 *
 * <p>What it costs: webp-imageio's JNI call copies the file into a Java array (it reads an
 * {@code ImageInputStream}), pins it while libwebp decodes (a garbage collection waits for that),
 * and extracts its library to a temporary folder on first use: {@code $TMPDIR/keshikaran-webp-$USER}
 * unless {@code com.luciad.imageio.webp.tmpdir} is set (webp-imageio looks through that folder
 * and its subfolders for stale copies when it loads, so not all of {@code $TMPDIR}). Its
 * {@code ImageReaderSpi} registers with ImageIO too; keshikaran's Java path keeps to TwelveMonkeys'
 * WebP reader whatever ImageIO's order.
 */
final class ScaledWebP {
    static final String TMPDIR_PROPERTY = "com.luciad.imageio.webp.tmpdir";

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
                    File folder = new File(System.getProperty("java.io.tmpdir"),
                            "keshikaran-webp-" + System.getProperty("user.name", "user"));
                    if (folder.isDirectory() || folder.mkdirs()) {
                        System.setProperty(TMPDIR_PROPERTY, folder.getPath());
                    }
                }
                // Loads the natives (WebPReadParam's static initializer), which throws if they cannot load.
                new WebPReadParam();
                spi = new WebPImageReaderSpi();
                reason = null;
            } catch (LinkageError | RuntimeException e) {
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
     * @return the pixels, without alpha; {@code null} when libwebp reports alpha after all (the
     *         header's hint was wrong), and the caller decodes it another way
     * @throws IOException libwebp refused the data
     */
    static Pixels decode(byte[] encoded, int width, int height) throws IOException {
        ImageReader reader = Holder.SPI.createReaderInstance();
        try {
            reader.setInput(new Bytes(encoded));
            WebPReadParam param = new WebPReadParam();
            param.setUseScaling(true);
            param.setScaledWidth(width);
            param.setScaledHeight(height);
            BufferedImage image = reader.read(0, param);
            if (image.getColorModel().hasAlpha()) {
                return null;
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
        } finally {
            reader.dispose();
        }
    }

    /** The file as an {@code ImageInputStream} of known length, which webp-imageio copies in one piece. */
    private static final class Bytes extends ImageInputStreamImpl {
        private final byte[] data;

        Bytes(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return streamPos < data.length ? data[(int) streamPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
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
            return data.length;
        }
    }
}
