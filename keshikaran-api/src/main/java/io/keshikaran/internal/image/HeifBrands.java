package io.keshikaran.internal.image;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Tells HEIF and AVIF files by their {@code ftyp} brands, for the image decoder (which names what
 * to add when no decoder reads them) and for the native decoder that reads them (keshikaran-video).
 */
public final class HeifBrands {
    /** Brands of HEIF still images and image sequences (ISO/IEC 23008-12, MIAF). */
    private static final Set<String> HEIF = Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "mif2",
            "msf1");

    private HeifBrands() {
    }

    /**
     * The format of an ISO BMFF file by its brands, from the {@code ftyp} box that must open it.
     *
     * @param d the file, or its beginning
     * @return {@code "AVIF"} when the major or a compatible brand is {@code avif} or {@code avis},
     *         else {@code "HEIF"} when one is a HEIF brand, else {@code null}; whether the rest can be
     *         decoded is the decoder's business
     */
    public static String format(byte[] d) {
        if (d.length < 16 || d[4] != 'f' || d[5] != 't' || d[6] != 'y' || d[7] != 'p') {
            return null;
        }
        long size = ((d[0] & 0xFFL) << 24) | ((d[1] & 0xFF) << 16) | ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
        int end = (int) Math.min(size, d.length);
        boolean heif = false;
        // The major brand at 8, the minor version at 12, compatible brands from 16 to the box's end.
        for (int at = 8; at + 4 <= end; at += at == 8 ? 8 : 4) {
            String brand = new String(d, at, 4, StandardCharsets.ISO_8859_1);
            if (brand.equals("avif") || brand.equals("avis")) {
                return "AVIF";
            }
            heif |= HEIF.contains(brand);
        }
        return heif ? "HEIF" : null;
    }
}
