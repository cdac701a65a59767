package io.keshikaran.video.internal;

import io.keshikaran.internal.image.HeifBrands;
import io.keshikaran.spi.UnsupportedImageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads what a HEIF or AVIF file says about its primary image from the {@code meta} box (ISO/IEC
 * 23008-12), in Java, without FFmpeg: which item it is, its coding, its size ({@code ispe}), its
 * colour ({@code colr nclx}) and its transformative properties ({@code irot}, {@code imir}) in the
 * order the file lists them, and its alpha plane: the auxiliary item that an {@code auxl} reference
 * ties to it and whose {@code auxC} property names alpha. FFmpeg 7.1 reads the items but exports neither the rotation nor the
 * mirror, and the size is needed before any native work so that the limits hold.
 *
 * <p>Every length is checked against the bytes there are before it is used; nothing is allocated
 * from a length. A damaged file is refused with an {@link IOException}, a kind of HEIF file not
 * handled with an {@link UnsupportedImageException}; their message is the reason.
 */
final class HeifBoxes {
    /** Bounds on counts a hostile file could inflate; real files have a handful of each. */
    private static final int MAX_ITEMS = 65_536;
    private static final int MAX_PROPERTIES = 65_536;
    /** Items referring to the primary one as auxiliary images that are checked for alpha. */
    private static final int MAX_ALPHA_CANDIDATES = 16;

    /** The alpha URNs of {@code auxC}: MPEG-B's (AVIF, newer HEIF) and HEVC's (older HEIF, iPhones). */
    private static final List<String> ALPHA_URNS = List.of("urn:mpeg:mpegB:cicp:systems:auxiliary:alpha",
            "urn:mpeg:hevc:2015:auxid:1");

    /**
     * The primary image's alpha plane, an image item of its own.
     *
     * @param itemId   the alpha item's id
     * @param itemType {@code hvc1}, {@code av01} or {@code grid}, as the primary item's coding
     */
    record Alpha(int itemId, String itemType) {
    }

    /** A transformative property of the primary item, in file order. */
    record Transform(boolean rotation, int value) {
    }

    /**
     * The primary image.
     *
     * @param format      {@code "HEIF"} or {@code "AVIF"}
     * @param itemId      the primary item's id
     * @param itemType    {@code hvc1}, {@code av01} or {@code grid}
     * @param width       its {@code ispe} width (before the transforms)
     * @param height      its {@code ispe} height
     * @param transforms  its {@code irot} and {@code imir}, in the order of its associations
     * @param matrix      {@code colr nclx} matrix coefficients, or -1 when the file has none
     * @param fullRange   {@code colr nclx} full-range flag (false when there is none)
     * @param iccProfile  the {@code colr prof} (or {@code rICC}) ICC profile, such as an iPhone's
     *                    Display P3, or {@code null}; ImageDecoder converts the colours from it
     * @param alpha       its alpha plane, or {@code null}: none, or one that does not apply (of
     *                    another size or coding, which the format does not allow, or described by
     *                    damaged boxes), which is then ignored as before alpha was read
     */
    record Primary(String format, int itemId, String itemType, int width, int height, List<Transform> transforms,
                   int matrix, boolean fullRange, byte[] iccProfile, Alpha alpha) {
        /** Whether the transforms turn the picture a quarter (odd number of quarter turns). */
        boolean swapsSides() {
            int quarters = 0;
            for (Transform t : transforms) {
                quarters += t.rotation() ? t.value() : 0;
            }
            return (quarters & 1) == 1;
        }

        int displayWidth() {
            return swapsSides() ? height : width;
        }

        int displayHeight() {
            return swapsSides() ? width : height;
        }
    }

    /** ICC profiles larger than this are ignored, as ImageDecoder ignores larger ones in other formats. */
    static final int MAX_ICC_PROFILE_BYTES = 4 * 1024 * 1024;

    private final byte[] d;

    private HeifBoxes(byte[] d) {
        this.d = d;
    }

    /**
     * @return the primary image, or {@code null} when the file is not HEIF or AVIF by its brands
     * @throws IOException a HEIF or AVIF file whose boxes are damaged or inconsistent (no size...)
     * @throws UnsupportedImageException its primary image is of a kind not handled (another
     *                                       coding, an alpha or depth item, no still image)
     */
    static Primary parse(byte[] encoded) throws IOException {
        String format = HeifBrands.format(encoded);
        if (format == null) {
            return null;
        }
        return new HeifBoxes(encoded).primary(format);
    }

    private Primary primary(String format) throws IOException {
        Box meta = find(0, d.length, "meta");
        if (meta == null) {
            throw new UnsupportedImageException("no meta box (an image sequence without a still image is not supported)");
        }
        // meta is a full box: 4 bytes of version and flags before its children.
        int start = meta.payload() + 4;
        int end = meta.end();
        Box pitm = find(start, end, "pitm");
        if (pitm == null) {
            throw new IOException("no primary item (pitm box)");
        }
        int primary = (int) (version(pitm) == 0 ? u16(pitm.payload() + 4, pitm.end()) : u32(pitm.payload() + 4, pitm.end()));
        String type = itemType(start, end, primary);
        if (type == null) {
            throw new IOException("the primary item " + primary + " is not in the item list (iinf)");
        }
        if (!type.equals("hvc1") && !type.equals("av01") && !type.equals("grid")) {
            throw new UnsupportedImageException("primary item of type '" + type + "' is not supported (hvc1, av01, grid)");
        }
        Box iprp = find(start, end, "iprp");
        if (iprp == null) {
            throw new IOException("no item properties (iprp box)");
        }
        List<Box> properties = properties(iprp.payload(), iprp.end());
        int width = -1;
        int height = -1;
        int matrix = -1;
        boolean fullRange = false;
        byte[] iccProfile = null;
        List<Transform> transforms = new ArrayList<>();
        for (Box box : itemProperties(iprp, properties, primary)) {
            switch (type(box)) {
                case "ispe" -> {
                    width = (int) Math.min(Integer.MAX_VALUE, u32(box.payload() + 4, box.end()));
                    height = (int) Math.min(Integer.MAX_VALUE, u32(box.payload() + 8, box.end()));
                }
                case "irot" -> transforms.add(new Transform(true, u8(box.payload(), box.end()) & 3));
                case "imir" -> transforms.add(new Transform(false, u8(box.payload(), box.end()) & 1));
                case "colr" -> {
                    String colourType = box.end() - box.payload() >= 4 ? fourCC(box.payload(), box.end()) : "";
                    if (box.end() - box.payload() >= 11 && colourType.equals("nclx")) {
                        matrix = u16(box.payload() + 8, box.end());
                        fullRange = (u8(box.payload() + 10, box.end()) & 0x80) != 0;
                    } else if ((colourType.equals("prof") || colourType.equals("rICC"))
                            && box.end() - box.payload() - 4 <= MAX_ICC_PROFILE_BYTES) {
                        // A larger one is ignored, as ImageDecoder ignores one in a PNG or JPEG.
                        iccProfile = Arrays.copyOfRange(d, box.payload() + 4, box.end());
                    }
                }
                case "auxC" -> throw new UnsupportedImageException("the primary item is an auxiliary image (alpha or depth)");
                default -> {
                    // hvcC, av1C, pixi, clap and the rest: FFmpeg reads what it needs.
                }
            }
        }
        if (width <= 0 || height <= 0) {
            throw new IOException("the primary item has no valid size (ispe " + width + "x" + height + ")");
        }
        // The coding names the format (a file may carry only the generic mif1 brand); a grid's
        // tiles are checked against the brands' format when FFmpeg has read them.
        String coded = type.equals("av01") ? "AVIF" : type.equals("hvc1") ? "HEIF" : format;
        String codec = !type.equals("grid") ? type : coded.equals("AVIF") ? "av01" : "hvc1";
        Alpha alpha;
        try {
            alpha = alpha(start, end, iprp, properties, primary, codec, width, height);
        } catch (IOException e) {
            // Damaged boxes that only the alpha plane uses: the colours decode without it, as before alpha was read.
            alpha = null;
        }
        return new Primary(coded, primary, type, width, height, List.copyOf(transforms), matrix, fullRange, iccProfile,
                alpha);
    }

    /**
     * The primary item's alpha plane: an item with an {@code auxl} reference to it (in
     * {@code iref}), an alpha {@code auxC} property, the primary item's coding ({@code codec}, or a
     * grid) and its size. At most {@value #MAX_ALPHA_CANDIDATES} referring items are looked at, each
     * once: every look walks the item list and the associations.
     */
    private Alpha alpha(int start, int end, Box iprp, List<Box> properties, int primary, String codec,
                        int width, int height) throws IOException {
        Box iref = find(start, end, "iref");
        if (iref == null) {
            return null;
        }
        // iref is a full box; version 0 has 16-bit item ids, version 1 32-bit ones.
        boolean wide = version(iref) != 0;
        int idBytes = wide ? 4 : 2;
        Set<Long> looked = new HashSet<>();
        for (int at = iref.payload() + 4; at < iref.end() && looked.size() < MAX_ALPHA_CANDIDATES; ) {
            Box reference = box(at, iref.end());
            at = reference.end();
            if (!type(reference).equals("auxl")) {
                continue;
            }
            int p = reference.payload();
            long from = wide ? u32(p, reference.end()) : u16(p, reference.end());
            int count = u16(p + idBytes, reference.end());
            p += idBytes + 2;
            boolean toPrimary = false;
            for (int i = 0; i < count && !toPrimary; i++, p += idBytes) {
                toPrimary = (wide ? u32(p, reference.end()) : u16(p, reference.end())) == primary;
            }
            if (toPrimary && from != primary && from <= Integer.MAX_VALUE && looked.add(from)) {
                Alpha alpha = alphaItem(start, end, iprp, properties, (int) from, codec, width, height);
                if (alpha != null) {
                    return alpha;
                }
            }
        }
        return null;
    }

    /** {@code item} as the primary item's alpha plane, or {@code null} when it is not one that applies. */
    private Alpha alphaItem(int start, int end, Box iprp, List<Box> properties, int item, String codec,
                            int width, int height) throws IOException {
        String type = itemType(start, end, item);
        if (type == null || !(type.equals(codec) || type.equals("grid"))) {
            return null;
        }
        boolean isAlpha = false;
        int alphaWidth = -1;
        int alphaHeight = -1;
        for (Box box : itemProperties(iprp, properties, item)) {
            switch (type(box)) {
                case "auxC" -> isAlpha = ALPHA_URNS.contains(nulTerminated(box.payload() + 4, box.end()));
                case "ispe" -> {
                    alphaWidth = (int) Math.min(Integer.MAX_VALUE, u32(box.payload() + 4, box.end()));
                    alphaHeight = (int) Math.min(Integer.MAX_VALUE, u32(box.payload() + 8, box.end()));
                }
                default -> {
                }
            }
        }
        return isAlpha && alphaWidth == width && alphaHeight == height ? new Alpha(item, type) : null;
    }

    /** The ASCII string from {@code at} up to its NUL or {@code end}. */
    private String nulTerminated(int at, int end) throws IOException {
        need(at, 0, end);
        int n = 0;
        while (at + n < end && d[at + n] != 0) {
            n++;
        }
        return new String(d, at, n, StandardCharsets.ISO_8859_1);
    }

    /** The type of an item, from iinf's infe boxes, or {@code null}. */
    private String itemType(int start, int end, int item) throws IOException {
        Box iinf = find(start, end, "iinf");
        if (iinf == null) {
            throw new IOException("no item list (iinf box)");
        }
        int at = iinf.payload() + 4 + (version(iinf) == 0 ? 2 : 4);
        for (int n = 0; at < iinf.end() && n < MAX_ITEMS; n++) {
            Box infe = box(at, iinf.end());
            if (type(infe).equals("infe")) {
                int v = version(infe);
                if (v >= 2) {
                    int p = infe.payload() + 4;
                    long id = v == 2 ? u16(p, infe.end()) : u32(p, infe.end());
                    p += v == 2 ? 2 : 4;
                    if (id == item) {
                        return fourCC(p + 2, infe.end());
                    }
                }
            }
            at = infe.end();
        }
        return null;
    }

    /** The property boxes of ipco, in order (property index i is element i - 1). */
    private List<Box> properties(int start, int end) throws IOException {
        Box ipco = find(start, end, "ipco");
        if (ipco == null) {
            throw new IOException("no property container (ipco box)");
        }
        List<Box> list = new ArrayList<>();
        for (int at = ipco.payload(); at < ipco.end(); ) {
            if (list.size() >= MAX_PROPERTIES) {
                throw new IOException("more than " + MAX_PROPERTIES + " item properties");
            }
            Box b = box(at, ipco.end());
            list.add(b);
            at = b.end();
        }
        return list;
    }

    /** The property boxes associated with an item, in file order (its associations' indexes, checked). */
    private List<Box> itemProperties(Box iprp, List<Box> properties, int item) throws IOException {
        List<Box> boxes = new ArrayList<>();
        for (int index : associations(iprp.payload(), iprp.end(), item)) {
            if (index < 1 || index > properties.size()) {
                throw new IOException("item property index " + index + " out of range (" + properties.size() + " properties)");
            }
            boxes.add(properties.get(index - 1));
        }
        return boxes;
    }

    /** The property indexes associated with an item, in file order, from every ipma box. */
    private List<Integer> associations(int start, int end, int item) throws IOException {
        List<Integer> found = new ArrayList<>();
        boolean seen = false;
        boolean any = false;
        for (int at = start; at < end; ) {
            Box b = box(at, end);
            at = b.end();
            if (!type(b).equals("ipma")) {
                continue;
            }
            any = true;
            int version = version(b);
            boolean wide = (flags(b) & 1) != 0;
            int p = b.payload() + 4;
            long entries = u32(p, b.end());
            p += 4;
            for (long e = 0; e < entries; e++) {
                long id = version < 1 ? u16(p, b.end()) : u32(p, b.end());
                p += version < 1 ? 2 : 4;
                int count = u8(p, b.end());
                p += 1;
                for (int a = 0; a < count; a++) {
                    int index = wide ? u16(p, b.end()) & 0x7FFF : u8(p, b.end()) & 0x7F;
                    p += wide ? 2 : 1;
                    if (id == item && index != 0) {
                        found.add(index);
                    }
                }
                if (id == item) {
                    if (seen) {
                        throw new IOException("item " + item + " has two property associations (ipma)");
                    }
                    seen = true;
                }
            }
        }
        if (!any) {
            throw new IOException("no property associations (ipma box)");
        }
        return found;
    }

    // ---- Boxes; every read is bounds-checked ----------------------------------------------------

    /** A box: where it starts (its size field), where its payload starts, where it ends. */
    private record Box(int start, int payload, int end) {
    }

    /** The first box of this type among the boxes between start and end, or {@code null}. */
    private Box find(int start, int end, String type) throws IOException {
        for (int at = start; at < end; ) {
            Box b = box(at, end);
            if (type(b).equals(type)) {
                return b;
            }
            at = b.end();
        }
        return null;
    }

    /** The box at {@code at}, which must end by {@code end}. */
    private Box box(int at, int end) throws IOException {
        if (end - at < 8) {
            throw new IOException("truncated box at byte " + at);
        }
        long size = u32(at, end);
        int header = 8;
        if (size == 1) {
            if (end - at < 16) {
                throw new IOException("truncated box at byte " + at);
            }
            size = (u32(at + 8, end) << 32) | u32(at + 12, end);
            header = 16;
        } else if (size == 0) {
            size = end - at;
        }
        if (size < header || size > end - at) {
            throw new IOException("box '" + fourCC(at + 4, end) + "' at byte " + at + " declares " + size
                    + " bytes, " + (end - at) + " remain");
        }
        return new Box(at, at + header, (int) (at + size));
    }

    private String type(Box box) throws IOException {
        return fourCC(box.start() + 4, box.end());
    }

    private int version(Box box) throws IOException {
        return u8(box.payload(), box.end());
    }

    private int flags(Box box) throws IOException {
        return (u8(box.payload() + 1, box.end()) << 16) | u16(box.payload() + 2, box.end());
    }

    private String fourCC(int at, int end) throws IOException {
        need(at, 4, end);
        return new String(d, at, 4, StandardCharsets.ISO_8859_1);
    }

    private int u8(int at, int end) throws IOException {
        need(at, 1, end);
        return d[at] & 0xFF;
    }

    private int u16(int at, int end) throws IOException {
        need(at, 2, end);
        return ((d[at] & 0xFF) << 8) | (d[at + 1] & 0xFF);
    }

    private long u32(int at, int end) throws IOException {
        need(at, 4, end);
        return ((d[at] & 0xFFL) << 24) | ((d[at + 1] & 0xFF) << 16) | ((d[at + 2] & 0xFF) << 8) | (d[at + 3] & 0xFF);
    }

    private void need(int at, int n, int end) throws IOException {
        if (at < 0 || end - at < n || end > d.length) {
            throw new IOException("truncated box data at byte " + at);
        }
    }
}
