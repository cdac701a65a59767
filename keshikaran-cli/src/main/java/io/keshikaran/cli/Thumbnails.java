package io.keshikaran.cli;

import io.keshikaran.image.RgbImage;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Small JPEG thumbnails, as {@code data:} URIs, so a report needs no files beside it. */
final class Thumbnails {
    /** The longest side of a thumbnail, in pixels. */
    static final int MAX_SIDE = 256;
    private static final float QUALITY = 0.82f;

    private Thumbnails() {
    }

    /** A {@code data:image/jpeg;base64,...} URI of the image scaled to fit {@link #MAX_SIDE}. */
    static String jpegDataUri(RgbImage image) throws IOException {
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg(scale(image.toBufferedImage())));
    }

    /**
     * Scales down in halving steps with bilinear filtering: one bilinear step from a large image
     * skips most pixels and aliases badly, while each halving step averages all of them.
     */
    static BufferedImage scale(BufferedImage source) {
        int w = source.getWidth();
        int h = source.getHeight();
        double factor = Math.min(1.0, (double) MAX_SIDE / Math.max(w, h));
        int targetW = Math.max(1, (int) Math.round(w * factor));
        int targetH = Math.max(1, (int) Math.round(h * factor));
        BufferedImage current = source;
        while (w != targetW || h != targetH) {
            w = w / 2 >= targetW ? w / 2 : targetW;
            h = h / 2 >= targetH ? h / 2 : targetH;
            BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(current, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            current = next;
        }
        return current;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no JPEG writer installed");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
