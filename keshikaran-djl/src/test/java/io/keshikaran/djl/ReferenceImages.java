package io.keshikaran.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keshikaran.image.RgbImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The images and expectations of {@code fixtures/expected/pillow-reference.json} (tools/pillow-reference). */
final class ReferenceImages {
    private ReferenceImages() {
    }

    static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(Fixtures.root().resolve("expected/pillow-reference.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture PNG's stored RGB samples (read from the raster, as Pillow sees them), or the synthetic edges. */
    static RgbImage source(String name) {
        if (name.equals("synthetic-edges")) {
            int w = 61;
            int h = 43;
            byte[] rgb = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = (y * w + x) * 3;
                    rgb[i] = (byte) ((x / 4) % 2 == 0 ? 255 : 0);
                    rgb[i + 1] = (byte) ((y / 3) % 2 == 0 ? 255 : 10);
                    rgb[i + 2] = (byte) ((x + y) % 7 < 3 ? 250 : 5);
                }
            }
            return new RgbImage(w, h, rgb);
        }
        try {
            BufferedImage image = ImageIO.read(Fixtures.image(name).toFile());
            int w = image.getWidth();
            int h = image.getHeight();
            byte[] rgb = new byte[w * h * 3];
            int[] px = new int[image.getRaster().getNumBands()];
            for (int y = 0, i = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    image.getRaster().getPixel(x, y, px);
                    rgb[i++] = (byte) px[0];
                    rgb[i++] = (byte) px[1];
                    rgb[i++] = (byte) px[2];
                }
            }
            return new RgbImage(w, h, rgb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
