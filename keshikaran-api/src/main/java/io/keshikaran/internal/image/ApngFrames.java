package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;

import java.awt.color.ICC_Profile;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * An animated PNG's frames, decoded by {@link PngDecoder} as stored (RGB and alpha) and drawn with
 * their own blend operation; the default image comes first when the animation does not include
 * it, cleared after it is sampled, so that it is scored as viewers without APNG show it. Colours
 * are converted from the file's ICC profile when it has one other than sRGB.
 *
 * @param profile the profile to convert from, {@code null} for none; asked only when the file has one
 * @param name    the input's name, for the error of a damaged frame
 */
record ApngFrames(byte[] encoded, PngDecoder.Animation apng, Supplier<ICC_Profile> profile, String name)
        implements FrameSource {
    @Override
    public boolean hasFrame(int index) {
        return index < apng.frames().size();
    }

    @Override
    public int width(int index) {
        return apng.frames().get(index).width();
    }

    @Override
    public int height(int index) {
        return apng.frames().get(index).height();
    }

    @Override
    public long frameCost(int w, int h) {
        return PngDecoder.frameHeapBytes(apng.header(), w, h);
    }

    /** APNG's dispose operations 0-2; "previous" on the first frame means clearing (the APNG specification). */
    @Override
    public Placement placement(int index) {
        PngDecoder.Frame frame = apng.frames().get(index);
        Disposal disposal = switch (frame.dispose()) {
            case 1 -> Disposal.BACKGROUND;
            case 2 -> index == 0 ? Disposal.BACKGROUND : Disposal.PREVIOUS;
            default -> Disposal.NONE;
        };
        return new Placement(frame.x(), frame.y(), disposal);
    }

    /**
     * @throws IOException  the first frame's data is damaged (the still decoders then decide)
     * @throws DamagedFrame a later frame's data is damaged
     */
    @Override
    public void draw(int index, Placement placement, Canvas canvas) throws IOException {
        PngDecoder.Frame frame = apng.frames().get(index);
        Pixels pixels;
        try {
            pixels = PngDecoder.decodeFrame(encoded, apng.header(), frame);
        } catch (IOException e) {
            if (index == 0) {
                throw e;
            }
            throw new DamagedFrame(new InvalidImageException(name,
                    "corrupt PNG data: animation frame " + index + ": " + e.getMessage(), e));
        }
        ICC_Profile icc = apng.header().hasIccProfile() ? profile.get() : null;
        canvas.draw(icc == null ? pixels : pixels.convertFrom(icc), frame.x(), frame.y(), frame.blend());
    }

    /**
     * A frame after the first is damaged: the input's error, carried past the fallback to the still
     * decoders, which would score the file by its first frame alone.
     */
    static final class DamagedFrame extends IOException {
        private final InvalidImageException error;

        DamagedFrame(InvalidImageException error) {
            super(error.getMessage(), error);
            this.error = error;
        }

        InvalidImageException error() {
            return error;
        }
    }
}
