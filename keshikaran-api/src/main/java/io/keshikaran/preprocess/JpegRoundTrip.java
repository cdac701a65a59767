package io.keshikaran.preprocess;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * Encodes 8-bit RGB as a baseline JPEG and decodes it again, as Yahoo open_nsfw's reference code does
 * after resizing (Pillow's {@code save(format="JPEG")}: quality 75, 4:2:0 chroma subsampling).
 *
 * <p>It uses the JDK's own JPEG writer and reader (libjpeg 6b), not whatever ImageIO plugin comes
 * first, because their arithmetic (colour conversion, islow DCT, quantisation, fancy upsampling) is
 * the same as the libjpeg-turbo that Pillow uses, so the round trip gives Pillow's bytes
 * (checked by PillowParityTest).
 */
final class JpegRoundTrip {
    private static final String JDK_WRITER = "com.sun.imageio.plugins.jpeg.JPEGImageWriter";
    private static final String JDK_READER = "com.sun.imageio.plugins.jpeg.JPEGImageReader";

    private JpegRoundTrip() {
    }

    /**
     * @param rgb     interleaved RGB, {@code width * height * 3} samples
     * @param quality the IJG quality, 1..100
     * @return the decoded RGB samples, same size
     */
    static byte[] apply(byte[] rgb, int width, int height, int quality) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        try {
            byte[] jpeg = encode(image, quality);
            return decode(jpeg, width, height);
        } catch (IOException e) {
            // Both ends are in memory; an I/O error here is a broken JDK, not a bad input.
            throw new UncheckedIOException("JPEG round trip failed", e);
        }
    }

    private static byte[] encode(BufferedImage image, int quality) throws IOException {
        ImageWriter writer = pick(ImageIO.getImageWritersByFormatName("jpeg"), JDK_WRITER);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] decode(byte[] jpeg, int width, int height) throws IOException {
        ImageReader reader = pick(ImageIO.getImageReadersByFormatName("jpeg"), JDK_READER);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in, true, true);
            BufferedImage decoded = reader.read(0);
            if (decoded.getWidth() != width || decoded.getHeight() != height) {
                throw new IOException("decoded " + decoded.getWidth() + "x" + decoded.getHeight());
            }
            byte[] rgb = new byte[width * height * 3];
            int[] pixel = new int[3];
            var raster = decoded.getRaster();
            int i = 0;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    // The raster's bands are R, G, B whatever the storage order.
                    raster.getPixel(x, y, pixel);
                    rgb[i++] = (byte) pixel[0];
                    rgb[i++] = (byte) pixel[1];
                    rgb[i++] = (byte) pixel[2];
                }
            }
            return rgb;
        } finally {
            reader.dispose();
        }
    }

    private static <T> T pick(Iterator<T> candidates, String preferred) {
        T first = null;
        while (candidates.hasNext()) {
            T c = candidates.next();
            if (c.getClass().getName().equals(preferred)) {
                return c;
            }
            if (first == null) {
                first = c;
            }
        }
        if (first == null) {
            throw new IllegalStateException("no JPEG codec in this JDK");
        }
        return first;
    }
}
