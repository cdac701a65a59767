package io.keshikaran.video.internal;

import io.keshikaran.spi.NativeImageDecoder;
import io.keshikaran.spi.UnsupportedImageException;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avformat.AVStreamGroup;
import org.bytedeco.ffmpeg.avformat.AVStreamGroupTileGrid;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FORCE;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.AV_STREAM_GROUP_PARAMS_TILE_GRID;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * Decodes HEIF (HEVC) and AVIF (AV1) still images, the primary item only, with the FFmpeg this
 * module bundles: keshikaran's image decoder finds it with {@link java.util.ServiceLoader}, so
 * HEIC and AVIF files go through the same pipeline as every other image.
 *
 * <p>{@link #probe} reads the boxes in Java ({@link HeifBoxes}): the size it returns, before any
 * native work, is the primary item's {@code ispe} turned by its {@code irot}, so the caller's
 * limits hold before FFmpeg allocates anything. {@link #decode} reads the file from memory through
 * a custom {@code AVIOContext} with FFmpeg's MP4/HEIF demuxer, decodes the primary item's stream
 * (or, for a grid, each tile's stream, one at a time, each with FFmpeg's {@code max_pixels} set to
 * its declared size) and converts it with swscale into one RGB image, reduced by area averaging
 * when asked (HEVC and AV1 decode only in full), then applies {@code irot} and {@code imir} in the
 * order the file lists them. EXIF orientation inside a HEIF is not applied (HEIF's own properties
 * govern). The primary item's ICC profile ({@code colr prof} or {@code rICC}, such as an
 * iPhone's Display P3) is reported in the header, and keshikaran's image decoder converts the
 * decoded colours from it. An alpha plane (an auxiliary item, {@link HeifBoxes.Alpha}) is decoded
 * first, at full size: when any pixel is not opaque the colours are decoded at full size too and
 * returned with it, for the caller's transparency option, as a translucent PNG or WebP is, and
 * the native memory reserved ({@link #nativeMemory}) counts that full-size RGB image for any file
 * with an alpha plane. Premultiplied alpha ({@code prem}) is not undone.
 *
 * <p>Thread-safe; holds no native memory between calls: every decode allocates its FFmpeg contexts
 * and frees them before returning.
 */
public final class FfmpegImageDecoder implements NativeImageDecoder {
    private static final int IO_BUFFER = 32 * 1024;
    /** AVFMT_FLAG_CUSTOM_IO from libavformat/avformat.h, not mapped by the JavaCPP preset. */
    private static final int AVFMT_FLAG_CUSTOM_IO = 0x0080;
    /**
     * HEIF through FFmpeg's HEVC decoder, which decodes only in full: its frame buffers per pixel of
     * the full image (3.5 measured on a 4032x3024 4:2:0 8-bit HEIC, peak RSS; room for 4:4:4 and
     * 10 bits; docs/images.md, "HEIF and AVIF").
     */
    static final int HEVC_BYTES_PER_NATIVE_PIXEL = 8;
    /** AVIF through libaom, which keeps far larger buffers: 17.1 (4:2:0) to 21.8 (4:4:4) measured at 4032x3024. */
    static final int AV1_BYTES_PER_NATIVE_PIXEL = 23;
    /** swscale's RGB output, per pixel of the result: reduced, or the full size for a file with alpha. */
    static final int RGB_BYTES_PER_NATIVE_PIXEL = 3;
    /** Decoded pictures may be padded to the codec's block size beyond the declared size, up to this. */
    private static final int CODED_SLACK = 64;
    /** Scaling with swscale's accurate rounding and full chroma interpolation, close to libheif's output. */
    private static final int SWS_QUALITY = SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT;

    /** The inputs being read, by the address of their opaque pointer (see {@link Input}). */
    private static final Map<Long, Input> INPUTS = new ConcurrentHashMap<>();

    /**
     * JavaCPP allows only a few live instances of each callback class, so there is one of each,
     * shared by all decodes, finding its input by the opaque pointer FFmpeg hands back.
     */
    private static final class Callbacks {
        static final ReadCallback READ = new ReadCallback();
        static final SeekCallback SEEK = new SeekCallback();

        static {
            READ.retainReference();
            SEEK.retainReference();
        }
    }

    /** One file in memory and the read position of its demuxer. */
    private static final class Input {
        final byte[] data;
        int position;

        Input(byte[] data) {
            this.data = data;
        }
    }

    private static final class ReadCallback extends Read_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            Input in = INPUTS.get(opaque.address());
            if (in == null || size < 0) {
                return AVERROR_EOF;
            }
            int n = Math.min(size, in.data.length - in.position);
            if (n <= 0) {
                return AVERROR_EOF;
            }
            buf.position(0).put(in.data, in.position, n);
            in.position += n;
            return n;
        }
    }

    private static final class SeekCallback extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            Input in = INPUTS.get(opaque.address());
            if (in == null) {
                return -1;
            }
            if ((whence & AVSEEK_SIZE) != 0) {
                return in.data.length;
            }
            long base = switch (whence & ~AVSEEK_FORCE) {
                case 0 -> 0;                   // SEEK_SET
                case 1 -> in.position;         // SEEK_CUR
                case 2 -> in.data.length;      // SEEK_END
                default -> -1;
            };
            long target = base + offset;
            if (base < 0 || target < 0 || target > in.data.length) {
                return -22; // AVERROR(EINVAL)
            }
            in.position = (int) target;
            return target;
        }
    }

    /** Creates the decoder; FFmpeg's natives load on first use. */
    public FfmpegImageDecoder() {
    }

    @Override
    public String name() {
        return "ffmpeg";
    }

    @Override
    public Set<String> formatsBeyondImageIo() {
        return Set.of("heif", "avif");
    }

    /**
     * Checks the classpath only: loading FFmpeg here would cost every application with this module
     * 200-250 ms at its first image of any format. The natives load at the first HEIF or AVIF.
     */
    @Override
    public String unavailableReason() {
        try {
            return Ffmpeg.nativesMissing();
        } catch (LinkageError e) {
            return e.toString();
        }
    }

    @Override
    public Header probe(byte[] encoded) throws IOException {
        HeifBoxes.Primary primary = HeifBoxes.parse(encoded);
        if (primary == null) {
            return null;
        }
        String why = Ffmpeg.unavailableReason();
        if (why != null) {
            throw new IOException(why);
        }
        return new Header(primary.format(), primary.displayWidth(), primary.displayHeight(), primary.iccProfile());
    }

    /**
     * The file, the codec's frames of the full image (HEVC and AV1 decode only in full; a grid's
     * tiles one at a time, so the whole image's rate is an upper bound) and swscale's RGB image:
     * reduced, or at full size when the file has an alpha plane (translucent images are returned
     * whole, and whether it is all opaque is known only once it is decoded). The alpha plane's own
     * decode is over before the colours' starts, and its 1-byte plane is then on the heap.
     */
    @Override
    public long nativeMemory(byte[] encoded, Header header, int reduction) {
        HeifBoxes.Primary primary;
        try {
            primary = HeifBoxes.parse(encoded);
        } catch (IOException e) {
            primary = null;
        }
        long full = (long) header.width() * header.height();
        long out = primary != null && primary.alpha() != null ? full
                : (long) Math.max(1, header.width() / Math.max(1, reduction)) * Math.max(1, header.height() / Math.max(1, reduction));
        int rate = "AVIF".equals(header.format()) ? AV1_BYTES_PER_NATIVE_PIXEL : HEVC_BYTES_PER_NATIVE_PIXEL;
        return full * rate + out * RGB_BYTES_PER_NATIVE_PIXEL;
    }

    @Override
    public Pixels decode(byte[] encoded, Header header, int reduction) throws IOException {
        HeifBoxes.Primary primary = HeifBoxes.parse(encoded);
        if (primary == null || primary.displayWidth() != header.width() || primary.displayHeight() != header.height()) {
            throw new IOException("not the probed HEIF image");
        }
        if (reduction < 1) {
            throw new IllegalArgumentException("reduction " + reduction);
        }
        Ffmpeg.check();
        try (Decode decode = new Decode(encoded, primary, reduction)) {
            return decode.run();
        }
    }

    /** One decode's native state, all freed by {@link #close()}. */
    private static final class Decode implements AutoCloseable {
        private final byte[] encoded;
        private final HeifBoxes.Primary primary;
        private final int reduction;
        private BytePointer opaque;
        private AVIOContext io;
        private AVFormatContext format;
        private AVPacket packet;
        private AVFrame frame;
        private AVCodecContext codec;
        private SwsContext sws;
        /** Each coded image's packet, by stream, read in one pass before any is decoded. */
        private final Map<Integer, AVPacket> coded = new HashMap<>();
        /** A cropped tile's whole conversion (full resolution only). */
        private BytePointer scratch;

        Decode(byte[] encoded, HeifBoxes.Primary primary, int reduction) {
            this.encoded = encoded;
            this.primary = primary;
            this.reduction = reduction;
        }

        /**
         * The alpha plane first, at full size: when every pixel is opaque it is dropped and the
         * colours are decoded reduced as asked; otherwise the colours are decoded at full size
         * too, since the caller's transparency option must apply before any averaging (as for a
         * translucent PNG or WebP).
         */
        Pixels run() throws IOException {
            open();
            List<Tile> tiles = tiles(primary.itemId(), primary.itemType());
            List<Tile> alphaTiles = alphaTiles();
            packet = av_packet_alloc();
            frame = av_frame_alloc();
            if (packet == null || packet.isNull() || frame == null || frame.isNull()) {
                throw new OutOfMemoryError("av_packet_alloc or av_frame_alloc failed");
            }
            readCodedImages(tiles, alphaTiles);
            byte[] alpha = alpha(alphaTiles);
            try (Plane colour = new Plane(AV_PIX_FMT_RGB24, 3, alpha == null ? reduction : 1)) {
                for (Tile t : tiles) {
                    decodeInto(t, colour);
                }
                return transformed(colour.width, colour.height, colour.toArray(), alpha);
            }
        }

        /** The alpha plane's coded images, or none when the file has none or FFmpeg cannot find them. */
        private List<Tile> alphaTiles() {
            if (primary.alpha() == null) {
                return List.of();
            }
            try {
                return tiles(primary.alpha().itemId(), primary.alpha().itemType());
            } catch (IOException e) {
                return List.of();
            }
        }

        /**
         * The full-size alpha plane, or {@code null}: no alpha, every pixel opaque, or an alpha
         * plane that is missing from the file or does not decode. A damaged alpha plane leaves the
         * colours to decode alone, as they did before alpha was read, rather than failing them.
         */
        private byte[] alpha(List<Tile> alphaTiles) {
            if (alphaTiles.isEmpty() || !alphaTiles.stream().allMatch(t -> coded.containsKey(t.stream))) {
                return null;
            }
            byte[] alpha;
            try (Plane plane = new Plane(AV_PIX_FMT_GRAY8, 1, 1)) {
                for (Tile t : alphaTiles) {
                    decodeInto(t, plane);
                }
                alpha = plane.toArray();
            } catch (IOException e) {
                return null;
            }
            return opaque(alpha) ? null : alpha;
        }

        private static boolean opaque(byte[] alpha) {
            for (byte a : alpha) {
                if (a != (byte) 0xFF) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Reads the packets of the coded images wanted, discarding the other streams, and keeps
         * them: the alpha plane is decoded first, wherever the file stores it. The colour's must
         * all be there; an alpha plane's that are missing or cut are left out.
         */
        private void readCodedImages(List<Tile> tiles, List<Tile> alphaTiles) throws IOException {
            Set<Integer> colour = new HashSet<>();
            tiles.forEach(t -> colour.add(t.stream));
            Set<Integer> wanted = new HashSet<>(colour);
            alphaTiles.forEach(t -> wanted.add(t.stream));
            for (int i = 0; i < format.nb_streams(); i++) {
                if (!wanted.contains(i)) {
                    format.streams(i).discard(AVDISCARD_ALL);
                }
            }
            Set<Integer> seen = new HashSet<>();
            while (seen.size() < wanted.size()) {
                int ret = av_read_frame(format, packet);
                if (ret < 0 && coded.keySet().containsAll(colour)) {
                    // Only alpha is left, and the file ends or its data lies outside the file.
                    return;
                }
                if (ret < 0) {
                    long missing = colour.stream().filter(st -> !coded.containsKey(st)).count();
                    throw new IOException(ret == AVERROR_EOF ? "truncated: " + missing + " of " + colour.size()
                            + " coded images missing" : "cannot read the coded image (" + Ffmpeg.error(ret) + ")");
                }
                try {
                    int stream = packet.stream_index();
                    if (wanted.contains(stream) && seen.add(stream)) {
                        if ((packet.flags() & AV_PKT_FLAG_CORRUPT) != 0 || packet.pos() + packet.size() > encoded.length) {
                            if (!colour.contains(stream)) {
                                continue; // an alpha plane cut short: the colours decode without it
                            }
                            // The demuxer read less than the item's extent: the file was cut.
                            throw new IOException("truncated: the coded image ends past the end of the file ("
                                    + encoded.length + " bytes)");
                        }
                        AVPacket kept = av_packet_clone(packet);
                        if (kept == null || kept.isNull()) {
                            throw new OutOfMemoryError("av_packet_clone failed");
                        }
                        coded.put(stream, kept);
                    }
                } finally {
                    av_packet_unref(packet);
                }
            }
        }

        /**
         * Where decoded pictures go, in native memory until {@link #toArray}: the RGB picture,
         * reduced by area averaging to floor(size / reduction) (which the caller accepts), or the
         * full-size alpha plane.
         */
        private final class Plane implements AutoCloseable {
            final int pixelFormat;
            final int channels;
            final int reduction;
            final int width;
            final int height;
            /** Allocated only once a coded picture of the declared size exists, not from the boxes. */
            BytePointer data;

            Plane(int pixelFormat, int channels, int reduction) {
                this.pixelFormat = pixelFormat;
                this.channels = channels;
                this.reduction = reduction;
                this.width = Math.max(1, primary.width() / reduction);
                this.height = Math.max(1, primary.height() / reduction);
            }

            BytePointer allocated() throws IOException {
                if (data == null) {
                    long bytes = (long) width * height * channels;
                    if (bytes > Integer.MAX_VALUE - 16) {
                        throw new IOException("image too large: " + primary.width() + "x" + primary.height());
                    }
                    data = new BytePointer(bytes);
                    data.fill(0);
                }
                return data;
            }

            byte[] toArray() throws IOException {
                byte[] out = new byte[width * height * channels];
                allocated().get(out, 0, out.length);
                return out;
            }

            @Override
            public void close() {
                if (data != null) {
                    data.close();
                }
            }
        }

        /** Opens the in-memory file with FFmpeg's MP4/HEIF demuxer, reading only the headers. */
        private void open() throws IOException {
            opaque = new BytePointer(1);  // a unique address while this decode lives
            INPUTS.put(opaque.address(), new Input(encoded));
            BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER));
            if (buffer.isNull()) {
                throw new OutOfMemoryError("av_malloc failed");
            }
            io = avio_alloc_context(buffer, IO_BUFFER, 0, opaque, Callbacks.READ, null, Callbacks.SEEK);
            if (io == null || io.isNull()) {
                av_free(buffer);
                io = null;
                throw new OutOfMemoryError("avio_alloc_context failed");
            }
            AVFormatContext context = avformat_alloc_context();
            if (context == null || context.isNull()) {
                throw new OutOfMemoryError("avformat_alloc_context failed");
            }
            context.pb(io);
            context.flags(context.flags() | AVFMT_FLAG_CUSTOM_IO);
            AVInputFormat mov = av_find_input_format("mov");
            AVDictionary options = new AVDictionary(null);
            try {
                av_dict_set(options, "probesize", "5000000", 0);
                int ret = avformat_open_input(context, (String) null, mov, options);
                if (ret < 0) {
                    // avformat_open_input frees the context on failure (not the custom AVIOContext)
                    throw new IOException("cannot read the HEIF structure (" + Ffmpeg.error(ret) + ")");
                }
            } finally {
                av_dict_free(options);
            }
            format = context;
        }

        /** A coded image to decode and where it goes in the full-size picture. */
        private record Tile(int stream, int x, int y, int width, int height) {
        }

        /**
         * The coded images of an item of the primary image's size (the primary item or its alpha
         * plane): itself, or a grid's tiles, checked against the boxes.
         */
        private List<Tile> tiles(int itemId, String itemType) throws IOException {
            // HEIF means HEVC here and AVIF AV1, by the item's type (a grid: by the brands).
            int codecId = primary.format().equals("AVIF") ? AV_CODEC_ID_AV1 : AV_CODEC_ID_HEVC;
            if (!itemType.equals("grid")) {
                for (int i = 0; i < format.nb_streams(); i++) {
                    AVStream st = format.streams(i);
                    if (st.id() == itemId) {
                        checkCodec(st.codecpar(), codecId);
                        return List.of(new Tile(i, 0, 0, primary.width(), primary.height()));
                    }
                }
                throw new IOException("FFmpeg found no coded image for item " + itemId);
            }
            for (int g = 0; g < format.nb_stream_groups(); g++) {
                AVStreamGroup group = format.stream_groups(g);
                if (group.type() == AV_STREAM_GROUP_PARAMS_TILE_GRID && group.id() == itemId) {
                    return gridTiles(group, codecId);
                }
            }
            throw new IOException("FFmpeg found no tiles for the grid item " + itemId);
        }

        private List<Tile> gridTiles(AVStreamGroup group, int codecId) throws IOException {
            AVStreamGroupTileGrid grid = group.params_tile_grid();
            int n = grid.nb_tiles();
            if (grid.width() != primary.width() || grid.height() != primary.height()) {
                throw new IOException("the grid is " + grid.width() + "x" + grid.height() + " but its ispe says "
                        + primary.width() + "x" + primary.height());
            }
            if (grid.horizontal_offset() != 0 || grid.vertical_offset() != 0) {
                throw new UnsupportedImageException("a grid cropped at its top or left is not supported");
            }
            if (grid.coded_width() < grid.width() || grid.coded_height() < grid.height()) {
                throw new IOException("the grid's tiles (" + grid.coded_width() + "x" + grid.coded_height()
                        + ") do not cover its " + grid.width() + "x" + grid.height() + " picture");
            }
            if (n <= 0 || n > group.nb_streams()) {
                throw new IOException("the grid has " + n + " tiles but FFmpeg found " + group.nb_streams());
            }
            List<Tile> tiles = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = grid.offsets_idx(i);
                if (index < 0 || index >= group.nb_streams()) {
                    throw new IOException("grid tile " + i + " refers to a missing coded image");
                }
                AVStream st = group.streams(index);
                AVCodecParameters par = st.codecpar();
                checkCodec(par, codecId);
                int x = grid.offsets_horizontal(i);
                int y = grid.offsets_vertical(i);
                int w = par.width();
                int h = par.height();
                if (w <= 0 || h <= 0 || x < 0 || y < 0 || (long) x + w > grid.coded_width()
                        || (long) y + h > grid.coded_height()) {
                    throw new IOException("grid tile " + i + " (" + w + "x" + h + " at " + x + "," + y
                            + ") lies outside the grid of " + grid.coded_width() + "x" + grid.coded_height());
                }
                // A tile wholly outside the picture would be decoded for nothing: a hostile grid
                // could declare thousands of them.
                if (x >= primary.width() || y >= primary.height()) {
                    throw new IOException("grid tile " + i + " lies outside the " + primary.width() + "x"
                            + primary.height() + " picture");
                }
                tiles.add(new Tile(st.index(), x, y, w, h));
            }
            return tiles;
        }

        private static void checkCodec(AVCodecParameters par, int codecId) throws IOException {
            if (par.codec_id() != codecId) {
                throw new IOException("the coded image is not " + (codecId == AV_CODEC_ID_AV1 ? "AV1" : "HEVC"));
            }
        }

        /** Decodes one coded image and converts it into its place in the plane. */
        private void decodeInto(Tile tile, Plane plane) throws IOException {
            AVCodecParameters par = format.streams(tile.stream).codecpar();
            AVCodec decoder = avcodec_find_decoder(par.codec_id());
            if (decoder == null || decoder.isNull()) {
                throw new IOException("the bundled FFmpeg has no decoder for this image");
            }
            codec = avcodec_alloc_context3(decoder);
            if (codec == null || codec.isNull()) {
                throw new OutOfMemoryError("avcodec_alloc_context3 failed");
            }
            try {
                int ret = avcodec_parameters_to_context(codec, par);
                if (ret < 0) {
                    throw new IOException("corrupt codec parameters (" + Ffmpeg.error(ret) + ")");
                }
                long maxPixels = (long) (tile.width + CODED_SLACK) * (tile.height + CODED_SLACK);
                ret = Ffmpeg.open(codec, decoder, maxPixels, 1);
                if (ret < 0) {
                    throw new IOException("cannot open the decoder (" + Ffmpeg.error(ret) + ")");
                }
                ret = avcodec_send_packet(codec, coded.get(tile.stream));
                if (ret < 0) {
                    throw new IOException(Ffmpeg.decodeFailure(ret));
                }
                avcodec_send_packet(codec, null);
                ret = avcodec_receive_frame(codec, frame);
                if (ret < 0) {
                    throw new IOException(ret == AVERROR_EOF || ret == Ffmpeg.AVERROR_EAGAIN
                            ? "the coded image gives no picture (truncated or corrupt)"
                            : Ffmpeg.decodeFailure(ret));
                }
                try {
                    convert(tile, plane);
                } finally {
                    av_frame_unref(frame);
                }
            } finally {
                avcodec_free_context(codec);
                codec = null;
            }
        }

        /** Scales the decoded picture's visible part into its rectangle of the (reduced) output. */
        private void convert(Tile tile, Plane plane) throws IOException {
            int fw = frame.width();
            int fh = frame.height();
            if (fw < tile.width || fh < tile.height || fw > tile.width + CODED_SLACK || fh > tile.height + CODED_SLACK) {
                throw new IOException("the coded image is " + fw + "x" + fh + " but the file declares "
                        + tile.width + "x" + tile.height);
            }
            int by = plane.reduction;
            int sw = Math.min(tile.width, primary.width() - tile.x);
            int sh = Math.min(tile.height, primary.height() - tile.y);
            int dx0 = tile.x / by;
            int dy0 = tile.y / by;
            int dx1 = Math.min(plane.width, (tile.x + sw) / by);
            int dy1 = Math.min(plane.height, (tile.y + sh) / by);
            if (primary.width() < by) {
                dx1 = plane.width;
            }
            if (primary.height() < by) {
                dy1 = plane.height;
            }
            int dw = dx1 - dx0;
            int dh = dy1 - dy0;
            BytePointer data = plane.allocated();
            if (dw <= 0 || dh <= 0) {
                return;
            }
            int channels = plane.channels;
            // A view into the output (not owning it) at the rectangle's first pixel.
            BytePointer target = data.getPointer(((long) dy0 * plane.width + dx0) * channels);
            if (by == 1 && (sw < tile.width || sh < tile.height)) {
                // A tile the picture crops (a grid's right and bottom edge): convert it whole and copy
                // the visible part, so that chroma at the crop edge is interpolated from the samples
                // beyond it, as libheif does, and the pixels equal the uncropped grid's.
                long bytes = (long) tile.width * tile.height * channels;
                if (scratch == null || scratch.capacity() < bytes) {
                    if (scratch != null) {
                        scratch.close();
                    }
                    scratch = new BytePointer(bytes);
                }
                scale(tile.width, tile.height, scratch, tile.width, tile.height, tile.width * channels, plane.pixelFormat);
                for (int row = 0; row < sh; row++) {
                    Pointer.memcpy(target.getPointer((long) row * plane.width * channels),
                            scratch.getPointer((long) row * tile.width * channels), (long) sw * channels);
                }
                return;
            }
            scale(sw, sh, target, dw, dh, plane.width * channels, plane.pixelFormat);
        }

        /**
         * Converts the frame's top-left {@code sw x sh} to {@code dw x dh} pixels of
         * {@code pixelFormat} at {@code target}: RGB by the image's colour setup, or the alpha
         * plane's samples as stored (its luma, full range, scaled to 8 bits when it has more).
         */
        private void scale(int sw, int sh, BytePointer target, int dw, int dh, int stride, int pixelFormat)
                throws IOException {
            boolean scaling = dw != sw || dh != sh;
            sws = sws_getCachedContext(sws, sw, sh, frame.format(), dw, dh, pixelFormat,
                    (scaling ? SWS_AREA : SWS_BILINEAR) | SWS_QUALITY, null, null, (double[]) null);
            if (sws == null || sws.isNull()) {
                throw new IOException("swscale cannot convert pixel format " + frame.format() + " to " + pixelFormat);
            }
            boolean alpha = pixelFormat == AV_PIX_FMT_GRAY8;
            Ffmpeg.setColorspace(sws, alpha ? SWS_CS_ITU601 : matrix(), alpha || fullRange());
            try (PointerPointer<BytePointer> dst = new PointerPointer<BytePointer>(4).put(0, target);
                 IntPointer dstStride = new IntPointer(stride, 0, 0, 0)) {
                sws_scale(sws, frame.data(), frame.linesize(), 0, sh, dst, dstStride);
            }
        }

        /**
         * The YUV matrix: the file's {@code colr nclx} box (which governs in HEIF), else the
         * bitstream's, else BT.601, HEIF's default.
         */
        private int matrix() {
            if (primary.matrix() >= 0 && primary.matrix() != AVCOL_SPC_UNSPECIFIED) {
                return primary.matrix();
            }
            return frame.colorspace() != AVCOL_SPC_UNSPECIFIED ? frame.colorspace() : SWS_CS_ITU601;
        }

        /** The range, by the same rules; HEIF's default is full range. */
        private boolean fullRange() {
            if (primary.matrix() >= 0) {
                return primary.fullRange();
            }
            return frame.color_range() == AVCOL_RANGE_JPEG || frame.color_range() == AVCOL_RANGE_UNSPECIFIED;
        }

        /** The picture (and its alpha plane) turned and mirrored as the file's irot and imir say, in their order. */
        private Pixels transformed(int w, int h, byte[] out, byte[] alpha) {
            for (HeifBoxes.Transform t : primary.transforms()) {
                if (t.rotation()) {
                    // irot turns anti-clockwise by 90 degrees times its angle.
                    int clockwise = (360 - 90 * t.value()) % 360;
                    out = Rotation.rotate(out, w, h, 3, clockwise);
                    alpha = alpha == null ? null : Rotation.rotate(alpha, w, h, 1, clockwise);
                    if (clockwise != 180 && clockwise != 0) {
                        int swap = w;
                        w = h;
                        h = swap;
                    }
                } else {
                    // imir mode 0 exchanges top and bottom, 1 left and right (ISO/IEC 23008-12:2022).
                    out = Rotation.mirror(out, w, h, 3, t.value() == 0);
                    alpha = alpha == null ? null : Rotation.mirror(alpha, w, h, 1, t.value() == 0);
                }
            }
            return new Pixels(w, h, out, alpha);
        }

        @Override
        public void close() {
            if (sws != null) {
                sws_freeContext(sws);
            }
            if (codec != null) {
                avcodec_free_context(codec);
            }
            if (frame != null) {
                av_frame_free(frame);
            }
            if (packet != null) {
                av_packet_free(packet);
            }
            if (format != null) {
                avformat_close_input(format);
            }
            if (io != null) {
                // The buffer may have been replaced by FFmpeg: free the one the context holds now.
                av_free(io.buffer());
                avio_context_free(io);
            }
            for (AVPacket kept : coded.values()) {
                av_packet_free(kept);
            }
            if (scratch != null) {
                scratch.close();
            }
            if (opaque != null) {
                INPUTS.remove(opaque.address());
                opaque.close();
            }
        }
    }
}
