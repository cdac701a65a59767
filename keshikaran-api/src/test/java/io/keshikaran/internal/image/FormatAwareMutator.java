package io.keshikaran.internal.image;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Mutations that know where each format keeps its dimensions, lengths, frame counts and offsets,
 * so that a fuzz case changes what decoders trust rather than whatever byte a random flip hits:
 * a field set to an extreme or nearby value; a WebP canvas and every bitstream in it resized
 * together (a consistent forgery that passes the container checks); WebP and GIF frames repeated
 * (many frames, each small); the RIFF length recomputed after a change, so the file stays
 * self-consistent where the mutation wants it to be.
 */
final class FormatAwareMutator {
    /** One numeric field of a file: where, how wide, which byte order. */
    record Field(String name, int at, int width, boolean little) {
    }

    private static final long[] EXTREMES = {0, 1, 2, 0x7F, 0xFF, 0x3FFF, 0x7FFF, 0xFFFF, 0xFFFFFF, 0x7FFFFFFFL, 0xFFFFFFFFL, 16383, 65535, 100_000};

    private FormatAwareMutator() {
    }

    static ImageDecoderFuzzTest.Mutant mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        List<Field> fields = fields(bytes);
        int kind = random.nextInt(RawMetadata.isWebP(bytes) ? 4 : 3);
        if (fields.isEmpty() || bytes.length < 16) {
            return ImageDecoderFuzzTest.mutate(original, random);
        }
        switch (kind) {
            case 0, 1 -> {
                Field f = fields.get(random.nextInt(fields.size()));
                long old = get(bytes, f);
                long value = switch (random.nextInt(4)) {
                    case 0 -> EXTREMES[random.nextInt(EXTREMES.length)];
                    case 1 -> old + random.nextInt(33) - 16;
                    case 2 -> old * (2 + random.nextInt(200));
                    default -> random.nextLong();
                };
                set(bytes, f, value);
                return new ImageDecoderFuzzTest.Mutant(String.format(Locale.ROOT, "%s (at %d) %d -> %d", f.name(), f.at(), old,
                        get(bytes, f)), bytes);
            }
            case 2 -> {
                int copies = 2 + random.nextInt(200);
                byte[] out = repeatFrames(bytes, copies);
                if (out == null) {
                    return ImageDecoderFuzzTest.mutate(original, random);
                }
                return new ImageDecoderFuzzTest.Mutant("frames repeated x" + copies, out);
            }
            default -> {
                // A WebP resized consistently: canvas, frames and bitstreams all claim w x h.
                int w = 1 + random.nextInt(random.nextBoolean() ? 4000 : 16383);
                int h = 1 + random.nextInt(random.nextBoolean() ? 4000 : 16383);
                for (Field f : fields) {
                    if (f.name().endsWith("width-1")) {
                        set(bytes, f, w - 1);
                    } else if (f.name().endsWith("height-1")) {
                        set(bytes, f, h - 1);
                    } else if (f.name().endsWith(" width")) {
                        set(bytes, f, w);
                    } else if (f.name().endsWith(" height")) {
                        set(bytes, f, h);
                    } else if (f.name().equals("VP8L size")) {
                        set(bytes, f, (get(bytes, f) & ~0xFFFFFFFL) | (w - 1) | (long) (h - 1) << 14);
                    }
                }
                if (random.nextBoolean()) {
                    bytes = Arrays.copyOf(bytes, bytes.length / (1 + random.nextInt(8)) + 12);
                    setRiffLength(bytes);
                }
                return new ImageDecoderFuzzTest.Mutant(String.format(Locale.ROOT, "WebP resized to %dx%d everywhere (%d bytes)",
                        w, h, bytes.length), bytes);
            }
        }
    }

    /** The numeric fields decoders trust, found by walking the file's structure. */
    static List<Field> fields(byte[] d) {
        List<Field> fields = new ArrayList<>();
        try {
            if (RawMetadata.isWebP(d)) {
                fields.add(new Field("RIFF length", 4, 4, true));
                webpChunks(d, 12, d.length, fields);
            } else if (RawMetadata.isPng(d)) {
                for (int at = 8; at + 12 <= d.length; ) {
                    fields.add(new Field("PNG chunk length", at, 4, false));
                    if (RawMetadata.fourCC(d, at + 4, "IHDR")) {
                        fields.add(new Field("IHDR width", at + 8, 4, false));
                        fields.add(new Field("IHDR height", at + 12, 4, false));
                    } else if (RawMetadata.fourCC(d, at + 4, "acTL")) {
                        fields.add(new Field("acTL frame count", at + 8, 4, false));
                    } else if (RawMetadata.fourCC(d, at + 4, "fcTL")) {
                        fields.add(new Field("fcTL width", at + 12, 4, false));
                        fields.add(new Field("fcTL height", at + 16, 4, false));
                        fields.add(new Field("fcTL x", at + 20, 4, false));
                        fields.add(new Field("fcTL y", at + 24, 4, false));
                        fields.add(new Field("fcTL dispose and blend", at + 32, 2, false));
                    }
                    at += 12 + (int) Math.min(d.length, u32be(d, at));
                }
            } else if (RawMetadata.isGif(d)) {
                fields.add(new Field("GIF screen width", 6, 2, true));
                fields.add(new Field("GIF screen height", 8, 2, true));
                for (int at : gifDescriptors(d)) {
                    fields.add(new Field("GIF frame x", at + 1, 2, true));
                    fields.add(new Field("GIF frame y", at + 3, 2, true));
                    fields.add(new Field("GIF frame width", at + 5, 2, true));
                    fields.add(new Field("GIF frame height", at + 7, 2, true));
                }
            } else if (RawMetadata.isJpeg(d)) {
                for (int at = 2; at + 4 <= d.length && (d[at] & 0xFF) == 0xFF; ) {
                    int marker = d[at + 1] & 0xFF;
                    if (marker == 0xDA || marker == 0xD9) {
                        break;
                    }
                    fields.add(new Field("JPEG segment length", at + 2, 2, false));
                    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                        fields.add(new Field("JPEG SOF height", at + 5, 2, false));
                        fields.add(new Field("JPEG SOF width", at + 7, 2, false));
                        fields.add(new Field("JPEG SOF components", at + 9, 1, false));
                    }
                    at += 2 + RawMetadata.u16le(new byte[] {d[at + 3], d[at + 2]}, 0);
                }
            } else if (d.length > 30 && d[0] == 'B' && d[1] == 'M') {
                fields.add(new Field("BMP file size", 2, 4, true));
                fields.add(new Field("BMP data offset", 10, 4, true));
                fields.add(new Field("BMP width", 18, 4, true));
                fields.add(new Field("BMP height", 22, 4, true));
                fields.add(new Field("BMP bits per pixel", 28, 2, true));
            }
        } catch (IndexOutOfBoundsException e) {
            // A seed this mutator cannot walk keeps the fields found so far.
        }
        return fields;
    }

    private static void webpChunks(byte[] d, int from, int end, List<Field> fields) {
        for (int at = from; at + 8 <= end; ) {
            long length = RawMetadata.u32le(d, at + 4);
            fields.add(new Field("WebP chunk length", at + 4, 4, true));
            int body = at + 8;
            if (RawMetadata.fourCC(d, at, "VP8X") && body + 10 <= d.length) {
                fields.add(new Field("VP8X canvas width-1", body + 4, 3, true));
                fields.add(new Field("VP8X canvas height-1", body + 7, 3, true));
            } else if (RawMetadata.fourCC(d, at, "ANMF") && body + 16 <= d.length) {
                fields.add(new Field("ANMF x/2", body, 3, true));
                fields.add(new Field("ANMF y/2", body + 3, 3, true));
                fields.add(new Field("ANMF width-1", body + 6, 3, true));
                fields.add(new Field("ANMF height-1", body + 9, 3, true));
                webpChunks(d, body + 16, (int) Math.min(end, body + length), fields);
            } else if (RawMetadata.fourCC(d, at, "VP8 ") && body + 10 <= d.length) {
                fields.add(new Field("VP8 frame tag (partition 0 size << 5)", body, 3, true));
                fields.add(new Field("VP8 width", body + 6, 2, true));
                fields.add(new Field("VP8 height", body + 8, 2, true));
            } else if (RawMetadata.fourCC(d, at, "VP8L") && body + 5 <= d.length) {
                fields.add(new Field("VP8L size", body + 1, 4, true)); // 14 bits width-1, 14 bits height-1, alpha, version
            }
            at = (int) Math.min(Integer.MAX_VALUE, body + length + (length & 1));
        }
    }

    /** Repeats a WebP animation's last ANMF chunk or a GIF's last frame; null if there is none. */
    private static byte[] repeatFrames(byte[] d, int copies) {
        int from = -1;
        int to = -1;
        if (RawMetadata.isWebP(d)) {
            for (int at = 12; at + 8 <= d.length; ) {
                long length = RawMetadata.u32le(d, at + 4);
                long next = at + 8 + length + (length & 1);
                if (RawMetadata.fourCC(d, at, "ANMF") && next <= d.length) {
                    from = at;
                    to = (int) next;
                }
                if (next > d.length) {
                    break;
                }
                at = (int) next;
            }
        } else if (RawMetadata.isGif(d)) {
            List<Integer> frames = gifDescriptors(d);
            if (!frames.isEmpty()) {
                from = frames.get(frames.size() - 1);
                to = gifFrameEnd(d, from);
            }
        }
        if (from < 0 || to <= from) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(d, 0, to);
        for (int i = 0; i < copies; i++) {
            out.write(d, from, to - from);
        }
        out.write(d, to, d.length - to);
        byte[] bytes = out.toByteArray();
        if (RawMetadata.isWebP(bytes)) {
            setRiffLength(bytes);
        }
        return bytes;
    }

    private static void setRiffLength(byte[] bytes) {
        set(bytes, new Field("RIFF length", 4, 4, true), bytes.length - 8);
    }

    /** Offsets of the GIF image descriptors (0x2C). */
    private static List<Integer> gifDescriptors(byte[] d) {
        List<Integer> found = new ArrayList<>();
        int at = 13;
        if ((d[10] & 0x80) != 0) {
            at += 3 * (1 << ((d[10] & 7) + 1));
        }
        while (at < d.length) {
            int b = d[at] & 0xFF;
            if (b == 0x21) {
                at = subBlocks(d, at + 2);
            } else if (b == 0x2C) {
                found.add(at);
                at = gifFrameEnd(d, at);
            } else {
                break;
            }
        }
        return found;
    }

    private static int gifFrameEnd(byte[] d, int at) {
        int flags = d[at + 9] & 0xFF;
        int p = at + 10;
        if ((flags & 0x80) != 0) {
            p += 3 * (1 << ((flags & 7) + 1));
        }
        return subBlocks(d, p + 1); // LZW minimum code size, then the data
    }

    private static int subBlocks(byte[] d, int at) {
        while (at < d.length && d[at] != 0) {
            at += 1 + (d[at] & 0xFF);
        }
        return Math.min(d.length, at + 1);
    }

    private static long u32be(byte[] d, int at) {
        return ((long) (d[at] & 0xFF) << 24) | (d[at + 1] & 0xFF) << 16 | (d[at + 2] & 0xFF) << 8 | (d[at + 3] & 0xFF);
    }

    static long get(byte[] d, Field f) {
        long v = 0;
        for (int k = 0; k < f.width() && f.at() + k < d.length; k++) {
            int shift = 8 * (f.little() ? k : f.width() - 1 - k);
            v |= (long) (d[f.at() + k] & 0xFF) << shift;
        }
        return v;
    }

    static void set(byte[] d, Field f, long value) {
        for (int k = 0; k < f.width() && f.at() + k < d.length; k++) {
            int shift = 8 * (f.little() ? k : f.width() - 1 - k);
            d[f.at() + k] = (byte) (value >>> shift);
        }
    }
}
