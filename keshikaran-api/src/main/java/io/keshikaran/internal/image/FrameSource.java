package io.keshikaran.internal.image;

import io.keshikaran.InvalidImageException;

import java.io.IOException;

/**
 * Where an animation's frames come from, chosen once per decode: ImageIO's reader (every format),
 * keshikaran's {@link GifDecoder} ({@link GifDecoder#frames}) or an animated PNG's frames
 * ({@link ApngFrames}). The frame loop, limits, sampling and memory reservations are the
 * decoder's, the same for all.
 */
interface FrameSource {
    /** Whether the file has a frame {@code index} (its header at least). */
    boolean hasFrame(int index) throws IOException;

    int width(int index) throws IOException;

    int height(int index) throws IOException;

    /** Heap to decode a {@code w x h} frame and draw it onto the canvas (the canvas not counted). */
    long frameCost(int w, int h);

    /** Where frame {@code index} goes on the canvas and how it is disposed of. */
    Placement placement(int index) throws IOException;

    /** Decodes frame {@code index} and draws it onto the canvas at its placement. */
    void draw(int index, Placement placement, Canvas canvas) throws IOException, InvalidImageException;

    /** What happens to a frame's rectangle after the frame is shown. */
    enum Disposal {
        /** It stays. */
        NONE,
        /** It becomes fully transparent. */
        BACKGROUND,
        /** It goes back to what it showed before the frame. */
        PREVIOUS
    }

    /** A frame's top-left corner on the canvas and its disposal. */
    record Placement(int x, int y, Disposal disposal) {
    }
}
