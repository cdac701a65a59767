package io.keshikaran.video;

import io.keshikaran.internal.image.HeifBrands;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Recognises the video containers keshikaran-video reads from the first bytes of a file, never from
 * its name: ISO base media (MP4, MOV, 3GP) and Matroska (MKV, WebM). Meant for routing, such as a
 * CLI or an upload handler choosing between the image and the video classifier; the decoder checks
 * the file again, fully.
 */
public final class VideoFormats {
    /** How many leading bytes {@link #looksLikeVideo(byte[], int)} needs at most: {@value}. */
    public static final int SNIFF_BYTES = 16;

    private VideoFormats() {
    }

    /**
     * Whether the content starts like an MP4/MOV or Matroska/WebM file. Audio-only MP4 brands
     * ({@code M4A}, {@code M4B}, {@code M4P}) are not videos, and neither are HEIF and AVIF images
     * (major brand {@code heic}, {@code mif1}, {@code avif}...), which share the container: they are
     * images, which the image classifier decodes with this module's FFmpeg.
     *
     * @param head   the first bytes of the content
     * @param length how many of them are valid
     * @return whether it looks like a video container
     */
    public static boolean looksLikeVideo(byte[] head, int length) {
        if (length >= 4 && (head[0] & 0xFF) == 0x1A && (head[1] & 0xFF) == 0x45
                && (head[2] & 0xFF) == 0xDF && (head[3] & 0xFF) == 0xA3) {
            return true; // EBML header: Matroska or WebM
        }
        if (length < 12) {
            return false;
        }
        String type = new String(head, 4, 4, StandardCharsets.ISO_8859_1);
        if (type.equals("ftyp")) {
            String brand = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
            return !(brand.equals("M4A ") || brand.equals("M4B ") || brand.equals("M4P "))
                    && HeifBrands.format(Arrays.copyOf(head, Math.min(length, SNIFF_BYTES))) == null;
        }
        // Old QuickTime files start with one of these atoms instead of ftyp.
        return type.equals("moov") || type.equals("mdat") || type.equals("wide") || type.equals("free")
                || type.equals("skip") || type.equals("pnot");
    }

    /**
     * Whether a file starts like an MP4/MOV or Matroska/WebM file.
     *
     * @param file the file
     * @return whether it looks like a video container; {@code false} if it cannot be read
     */
    public static boolean looksLikeVideo(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        byte[] head = new byte[SNIFF_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            return looksLikeVideo(head, in.readNBytes(head, 0, head.length));
        } catch (IOException e) {
            return false;
        }
    }
}
