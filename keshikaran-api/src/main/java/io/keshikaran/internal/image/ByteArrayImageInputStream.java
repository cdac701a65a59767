package io.keshikaran.internal.image;

import java.io.IOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An {@link javax.imageio.stream.ImageInputStream} over a byte array that stops decoders which keep
 * reading past the end of the data.
 *
 * <p>Why not {@code ImageIO.createImageInputStream}: with ImageIO's default cache setting it copies
 * the stream into a temporary file, and some decoders (TwelveMonkeys' WebP bit reader) treat the
 * end of the data as an endless run of zero bits: a 38-byte file that claims 3000x3000 pixels then
 * "decodes" for minutes to garbage. Here reads past the end return -1 as usual for a while, since
 * bit readers legitimately look ahead (TwelveMonkeys' lossless WebP decoder makes 18 to 37 such
 * reads at the end of valid files), and then fail with an {@link IOException}.
 */
public final class ByteArrayImageInputStream extends ImageInputStreamImpl {
    /** Reads past the end that are answered with -1 before the stream starts failing. */
    static final int TOLERATED_READS_PAST_END = 256;

    /** The data, dropped on close: {@code ImageInputStreamImpl}'s finalizer keeps the stream reachable until it runs. */
    private byte[] data;
    private int readsPastEnd;

    /**
     * A stream over {@code data}, which is not copied.
     *
     * @param data the encoded file
     */
    public ByteArrayImageInputStream(byte[] data) {
        this.data = data;
    }

    /** Forgets the reads past the end so far, such as those of format detection. */
    void clearReadPastEnd() {
        readsPastEnd = 0;
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= data.length) {
            return endOfData();
        }
        return data[(int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        if (off < 0 || len < 0 || off + len > b.length || off + len < 0) {
            throw new IndexOutOfBoundsException("off " + off + ", len " + len + ", buffer " + b.length);
        }
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= data.length) {
            return endOfData();
        }
        int n = (int) Math.min(len, data.length - streamPos);
        System.arraycopy(data, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    private int endOfData() throws IOException {
        if (++readsPastEnd > TOLERATED_READS_PAST_END) {
            throw new IOException("the data ends before the image does");
        }
        return -1;
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
