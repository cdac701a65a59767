package io.keshikaran.internal.image;

import java.awt.Transparency;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.util.HashMap;
import java.util.Map;

/**
 * Converts 8-bit RGB samples from an ICC profile to sRGB in place, with the JDK's LittleCMS: the one
 * colour conversion of decoded pixels, for whole images ({@link Pixels#convertFrom}) and for the
 * rows of a translucent PNG ({@link PngDecoder}). One transform serves every call (a
 * {@link ColorConvertOp} keeps it while the profiles stay the same); the samples pass through
 * one-row images kept per length (Adam7's passes have up to seven). Not thread-safe: one per decode.
 */
final class IccConversion {
    private final ColorModel source;
    private final ColorConvertOp op = new ColorConvertOp(null);
    private final Map<Integer, BufferedImage[]> images = new HashMap<>();

    IccConversion(ICC_Profile profile) {
        this.source = new ComponentColorModel(new ICC_ColorSpace(profile), false, false, Transparency.OPAQUE,
                DataBuffer.TYPE_BYTE);
    }

    /**
     * Converts {@code pixels} pixels whose R, G and B start at {@code offset}, {@code offset +
     * channels}, ... (alpha or anything else between them is left as it is).
     *
     * @throws java.awt.color.CMMException when LittleCMS cannot transform with the profile
     */
    void convert(byte[] samples, int offset, int pixels, int channels) {
        BufferedImage[] pair = images.computeIfAbsent(pixels, w -> new BufferedImage[] {
            new BufferedImage(source, source.createCompatibleWritableRaster(w, 1), false, null),
            new BufferedImage(w, 1, BufferedImage.TYPE_3BYTE_BGR)});
        byte[] in = ((DataBufferByte) pair[0].getRaster().getDataBuffer()).getData();
        for (int x = 0, p = offset; x < pixels; x++, p += channels) {
            in[3 * x] = samples[p];
            in[3 * x + 1] = samples[p + 1];
            in[3 * x + 2] = samples[p + 2];
        }
        op.filter(pair[0], pair[1]);
        byte[] bgr = ((DataBufferByte) pair[1].getRaster().getDataBuffer()).getData();
        for (int x = 0, p = offset; x < pixels; x++, p += channels) {
            samples[p] = bgr[3 * x + 2];
            samples[p + 1] = bgr[3 * x + 1];
            samples[p + 2] = bgr[3 * x];
        }
    }
}
