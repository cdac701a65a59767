package io.keshikaran.video.internal;

import io.keshikaran.image.RgbImage;
import io.keshikaran.video.InvalidVideoException;
import io.keshikaran.video.InvalidVideoException.VideoKind;
import io.keshikaran.video.VideoLimits;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVProbeData;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONKEY;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_probe_input_format2;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * Decodes one video file with FFmpeg and hands sampled frames, scaled down in FFmpeg and
 * converted to RGB, to a {@link FrameSink}.
 *
 * <p>Hardening, in the order it happens:
 * <ol>
 *   <li>the file size is checked, and the container is recognised from its first 64 KiB by
 *       FFmpeg's probe; only MP4/MOV and Matroska/WebM are opened, with that demuxer forced and
 *       only the {@code file} protocol allowed (so a playlist or reference file cannot make FFmpeg
 *       open other files or URLs);</li>
 *   <li>the header's frame size and duration are checked against the limits before any decoder
 *       exists; {@code avformat_find_stream_info}, which would decode frames at whatever size the
 *       bitstream claims, is never called (MP4 and Matroska headers carry the codec parameters);</li>
 *   <li>only H.264, H.265, VP8, VP9 and AV1 decoders are opened, with FFmpeg's own
 *       {@code max_pixels} set to the limit, so a bitstream claiming a larger size than its
 *       container fails in FFmpeg before frames are allocated;</li>
 *   <li>frames are converted by swscale straight to the size the model needs (area filter), so no
 *       full-resolution RGB copy is ever made.</li>
 * </ol>
 *
 * <p>Not thread-safe; one instance per video. Holds native memory until {@link #close()}.
 */
public final class FfmpegVideoDecoder implements AutoCloseable {
    /** Receives sampled frames. */
    public interface FrameSink {
        /**
         * @param timeSeconds the frame's presentation time from the start of the video
         * @param keyframe    whether it is a keyframe
         * @param image       the frame, scaled down and converted to RGB
         * @return {@code false} to stop decoding
         */
        boolean accept(double timeSeconds, boolean keyframe, RgbImage image) throws InvalidVideoException;
    }

    /** What the container says about the video track. */
    public record StreamInfo(String container, String codec, int width, int height, double durationSeconds) {
    }

    /** Why {@link #decode} returned. */
    public enum Ending {
        /** The whole video track was read. */
        END_OF_VIDEO,
        /** The sink asked to stop. */
        STOPPED,
        /** {@link Sampling#maxFrames()} frames were handed over. */
        MAX_FRAMES,
        /** The next frame was past {@link Sampling#maxSeconds()}. */
        MAX_DURATION
    }

    /**
     * How frames are picked: every keyframe, or the first frame at or after {@code startSeconds}
     * and then one per interval; at most {@code maxFrames}, none at or after {@code maxSeconds}.
     */
    public record Sampling(boolean keyframesOnly, double intervalSeconds, int maxFrames, double maxSeconds,
                           double startSeconds) {
    }

    private static final int PROBE_BYTES = 64 * 1024;
    private static final int PROBE_PADDING = 64; // AVPROBE_PADDING_SIZE
    private static final Set<String> CONTAINERS = Set.of("mov", "mp4", "matroska", "webm");
    /** Video containers FFmpeg knows that are refused as unsupported rather than "not a video". */
    private static final Set<String> OTHER_VIDEO_CONTAINERS = Set.of("avi", "flv", "mpegts", "mpeg", "ogg", "asf",
            "rm", "nut", "mxf", "ivf", "h264", "hevc", "m4v", "dv", "wtv", "yuv4mpegpipe", "gxf", "vob", "av1", "obu");
    private static final String FORMAT_WHITELIST = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm";
    private static final Map<Integer, String> CODECS = Map.of(
            AV_CODEC_ID_H264, "H.264", AV_CODEC_ID_HEVC, "H.265", AV_CODEC_ID_VP8, "VP8",
            AV_CODEC_ID_VP9, "VP9", AV_CODEC_ID_AV1, "AV1");
    private static final int AVERROR_EAGAIN = Ffmpeg.AVERROR_EAGAIN;
    /** Tolerance of the sampler's time comparisons: absorbs rounding of timestamps like 0.2 * 5. */
    private static final double TIME_TOLERANCE = 1e-6;
    /**
     * FFmpeg's frame threads: one per core, not FFmpeg's automatic cores + 1, as inference runs on
     * a thread of its own. Each frame thread delays output by a frame, and the sampler learns its
     * next sample time only from frames that came out, so fewer threads also decode fewer
     * unneeded frames (on 2 cores: 546 instead of 571 of the bench clip's 1,800, 7 % less CPU;
     * docs/performance.md). At most 16, FFmpeg's own ceiling for automatic threads.
     */
    private static final int DECODER_THREADS = Math.min(16, Runtime.getRuntime().availableProcessors());
    /** AV_FRAME_FLAG_KEY from libavutil/frame.h, not mapped by the JavaCPP preset. */
    private static final int AV_FRAME_FLAG_KEY = 1 << 1;

    private final Path file;
    private final String name;
    private final VideoLimits limits;
    private final long deadlineNanos;
    private final long fileSize;

    private AVInputFormat inputFormat;
    private AVFormatContext format;
    private AVCodecContext codec;
    private AVPacket packet;
    private AVFrame frame;
    private SwsContext sws;
    private BytePointer rgb;
    private int rgbCapacity;
    private int streamIndex = -1;
    private AVStream stream;
    private double timeBase;
    private long startPts;
    private int rotation;
    private StreamInfo info;
    private long framesDecoded;
    private double lastPacketEnd;
    private double videoDuration;
    private long decodeErrors;
    private int firstDecodeError;
    private boolean skipUnneeded = true;
    private KeyframeLookahead keyframes;
    /** While packets are being skipped: the file position of the keyframe decoding resumes at. */
    private long jumpTo = -1;
    private long packetsSkipped;
    /** The last packet's file position; keyframes are found ahead by position only while positions increase. */
    private long lastPacketPos = -1;
    private boolean positionsIncrease = true;
    /** Where {@link #seek} moved to, in stream time base, or {@link Long#MIN_VALUE}. */
    private long seekedTo = Long.MIN_VALUE;

    private FfmpegVideoDecoder(Path file, String name, VideoLimits limits, long startNanos) throws InvalidVideoException {
        this.file = file;
        this.name = name;
        this.limits = limits;
        this.deadlineNanos = startNanos + limits.timeBudget().toNanos();
        this.fileSize = checkFile();
    }

    /**
     * Opens a file and reads its header, refusing it if it is not an accepted video or is over a
     * limit.
     *
     * @param file       the video
     * @param name       how to name it in errors
     * @param limits     the limits
     * @param startNanos when the time budget started, from {@link System#nanoTime()}
     * @return an open decoder; close it
     * @throws InvalidVideoException naming the file and the reason
     */
    public static FfmpegVideoDecoder open(Path file, String name, VideoLimits limits, long startNanos)
            throws InvalidVideoException {
        Ffmpeg.check();
        FfmpegVideoDecoder decoder = new FfmpegVideoDecoder(file, name, limits, startNanos);
        try {
            decoder.openContainer();
            decoder.openDecoder();
            return decoder;
        } catch (InvalidVideoException | RuntimeException | Error e) {
            decoder.close();
            throw e;
        }
    }

    /** The video track's description, from the container's header. */
    public StreamInfo info() {
        return info;
    }

    /** How many packets failed to decode (FFmpeg conceals the damage and goes on). */
    public long decodeErrors() {
        return decodeErrors;
    }

    /** How many frames were decoded so far, sampled or not. */
    public long framesDecoded() {
        return framesDecoded;
    }

    /** How many packets were not even sent to the decoder, as they come before a later keyframe. */
    public long packetsSkipped() {
        return packetsSkipped;
    }

    /**
     * Whether interval sampling leaves out the frames no sampled frame depends on (the default),
     * or decodes every frame. Both give the same sampled frames; decoding everything is for
     * comparisons.
     *
     * @param skip {@code false} to decode every frame
     */
    public void skipUnneededFrames(boolean skip) {
        this.skipUnneeded = skip;
    }

    private long checkFile() throws InvalidVideoException {
        if (Files.isDirectory(file)) {
            throw new InvalidVideoException(name, VideoKind.UNREADABLE, "is a directory");
        }
        if (!Files.exists(file)) {
            throw new InvalidVideoException(name, VideoKind.UNREADABLE, "no such file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InvalidVideoException(name, VideoKind.UNREADABLE, "cannot read: " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new InvalidVideoException(name, VideoKind.NOT_A_VIDEO, "empty file");
        }
        if (size > limits.maxFileBytes()) {
            throw new InvalidVideoException(name, VideoKind.LIMIT_EXCEEDED, "file of " + size
                    + " bytes exceeds the limit of " + limits.maxFileBytes() + " bytes");
        }
        return size;
    }

    private AVInputFormat probe() throws InvalidVideoException {
        byte[] head = new byte[(int) Math.min(PROBE_BYTES, fileSize)];
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new InvalidVideoException(name, VideoKind.UNREADABLE, "cannot read: " + e.getMessage(), e);
        }
        try (BytePointer buf = new BytePointer(n + PROBE_PADDING);
             BytePointer emptyName = new BytePointer("");
             AVProbeData pd = new AVProbeData()) {
            buf.put(head, 0, n);
            for (int i = n; i < n + PROBE_PADDING; i++) {
                buf.put(i, (byte) 0);
            }
            pd.filename(emptyName).buf(buf).buf_size(n);
            int[] score = new int[1];
            AVInputFormat format = av_probe_input_format2(pd, 1, score);
            if (format == null || format.isNull()) {
                throw new InvalidVideoException(name, VideoKind.NOT_A_VIDEO, "not a video (no known container format)");
            }
            String formatName = format.name().getString();
            boolean accepted = false;
            for (String part : formatName.split(",")) {
                accepted |= CONTAINERS.contains(part);
            }
            if (!accepted) {
                String longName = format.long_name() == null || format.long_name().isNull() ? formatName
                        : format.long_name().getString();
                if (formatName.endsWith("_pipe") || formatName.equals("gif") || formatName.startsWith("image")) {
                    throw new InvalidVideoException(name, VideoKind.NOT_A_VIDEO, "not a video (the content is an image, "
                            + longName + ")");
                }
                if (OTHER_VIDEO_CONTAINERS.contains(formatName.split(",")[0])) {
                    throw new InvalidVideoException(name, VideoKind.UNSUPPORTED, "unsupported container " + longName
                            + " (accepted: MP4/MOV, Matroska/WebM)");
                }
                // FFmpeg probes leniently (random bytes can pass for MP3, text for a teletype
                // file); anything that is not a video container is simply not a video.
                throw new InvalidVideoException(name, VideoKind.NOT_A_VIDEO, "not a video (no known video container)");
            }
            return format;
        }
    }

    private void openContainer() throws InvalidVideoException {
        inputFormat = probe();
        format = openInput();
        String container = format.iformat().name().getString();

        int audio = 0;
        for (int i = 0; i < format.nb_streams(); i++) {
            AVStream st = format.streams(i);
            AVCodecParameters par = st.codecpar();
            boolean video = par.codec_type() == AVMEDIA_TYPE_VIDEO
                    && (st.disposition() & 0x0400) == 0; // AV_DISPOSITION_ATTACHED_PIC: cover art, not video
            if (video && streamIndex < 0) {
                streamIndex = i;
            } else {
                st.discard(AVDISCARD_ALL);
                audio += par.codec_type() == org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO ? 1 : 0;
            }
        }
        if (streamIndex < 0) {
            throw new InvalidVideoException(name, VideoKind.NO_VIDEO_STREAM, audio > 0
                    ? "no video track (audio only)" : "no video track");
        }
        stream = format.streams(streamIndex);
        AVCodecParameters par = stream.codecpar();
        AVRational tb = stream.time_base();
        if (tb.num() <= 0 || tb.den() <= 0) {
            throw new InvalidVideoException(name, VideoKind.CORRUPT, "corrupt container (invalid time base "
                    + tb.num() + "/" + tb.den() + ")");
        }
        timeBase = tb.num() / (double) tb.den();
        startPts = stream.start_time() == AV_NOPTS_VALUE ? 0 : stream.start_time();

        int width = par.width();
        int height = par.height();
        if (width <= 0 || height <= 0) {
            throw new InvalidVideoException(name, VideoKind.CORRUPT, "corrupt container (video size "
                    + width + "x" + height + ")");
        }
        if (width > limits.maxDimension() || height > limits.maxDimension()
                || (long) width * height > limits.maxPixels()) {
            throw new InvalidVideoException(name, VideoKind.LIMIT_EXCEEDED, "frame size " + width + "x" + height
                    + " exceeds the limit of " + limits.maxPixels() + " pixels or " + limits.maxDimension()
                    + " per side");
        }
        double duration = declaredDuration();
        if (duration > limits.maxDuration().toMillis() / 1000.0) {
            throw new InvalidVideoException(name, VideoKind.LIMIT_EXCEEDED, String.format(Locale.ROOT,
                    "declared duration %.0f s exceeds the limit of %d s", duration, limits.maxDuration().toSeconds()));
        }
        rotation = displayRotation(par);
        String codecName = CODECS.getOrDefault(par.codec_id(), avcodec_get_name(par.codec_id()).getString());
        info = new StreamInfo(container, codecName, width, height, duration);
    }

    /** Opens the file with the probed demuxer, the format and protocol whitelists and bounded probing. */
    private AVFormatContext openInput() throws InvalidVideoException {
        AVFormatContext context = avformat_alloc_context();
        AVDictionary options = new AVDictionary(null);
        try {
            av_dict_set(options, "format_whitelist", FORMAT_WHITELIST, 0);
            av_dict_set(options, "protocol_whitelist", "file", 0);
            // Matroska/MP4 headers are read in full; these bound any probing a demuxer still does.
            av_dict_set(options, "probesize", "5000000", 0);
            av_dict_set(options, "analyzeduration", "5000000", 0);
            int ret = avformat_open_input(context, "file:" + file.toAbsolutePath(), inputFormat, options);
            if (ret < 0) {
                // avformat_open_input frees the context on failure
                throw new InvalidVideoException(name, VideoKind.CORRUPT, "corrupt container ("
                        + error(ret) + ")");
            }
            return context;
        } finally {
            av_dict_free(options);
        }
    }

    private double declaredDuration() {
        double stream = this.stream.duration() == AV_NOPTS_VALUE || this.stream.duration() < 0 ? 0
                : this.stream.duration() * timeBase;
        double container = format.duration() == AV_NOPTS_VALUE || format.duration() < 0 ? 0
                : format.duration() / 1_000_000.0; // AV_TIME_BASE
        // The video track's own duration, to tell a truncated file by: MP4 has it; Matroska only
        // as the DURATION tag its muxers write, or as the file's when there is no other track.
        videoDuration = stream > 0 ? stream : taggedDuration();
        if (videoDuration == 0 && format.nb_streams() == 1) {
            videoDuration = container;
        }
        return Math.max(stream, container);
    }

    /** The video stream's DURATION tag (Matroska, "HH:MM:SS.nnnnnnnnn"), in seconds, or 0. */
    private double taggedDuration() {
        AVDictionaryEntry tag = av_dict_get(stream.metadata(), "DURATION", null, 0);
        if (tag == null || tag.isNull() || tag.value() == null || tag.value().isNull()) {
            return 0;
        }
        String[] hms = tag.value().getString().trim().split(":");
        try {
            double seconds = hms.length == 3
                    ? Integer.parseInt(hms[0]) * 3600.0 + Integer.parseInt(hms[1]) * 60.0 + Double.parseDouble(hms[2]) : 0;
            return Double.isFinite(seconds) && seconds > 0 ? seconds : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The clockwise rotation, 0, 90, 180 or 270, that a player applies (phones record portrait so). */
    private static int displayRotation(AVCodecParameters par) {
        AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(),
                AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.isNull() || sd.size() < 36) {
            return 0;
        }
        double counterClockwise = av_display_rotation_get(new IntPointer(sd.data()));
        if (Double.isNaN(counterClockwise)) {
            return 0;
        }
        long clockwise = Math.round(-counterClockwise / 90.0) * 90;
        return (int) (((clockwise % 360) + 360) % 360);
    }

    private void openDecoder() throws InvalidVideoException {
        AVCodecParameters par = stream.codecpar();
        String codecName = avcodec_get_name(par.codec_id()).getString();
        if (!CODECS.containsKey(par.codec_id())) {
            throw new InvalidVideoException(name, VideoKind.UNSUPPORTED, "unsupported video codec " + codecName
                    + " (accepted: H.264, H.265, VP8, VP9, AV1)");
        }
        AVCodec decoder = avcodec_find_decoder(par.codec_id());
        if (decoder == null || decoder.isNull()) {
            throw new InvalidVideoException(name, VideoKind.UNSUPPORTED, "the bundled FFmpeg has no decoder for "
                    + codecName);
        }
        codec = avcodec_alloc_context3(decoder);
        if (codec == null || codec.isNull()) {
            throw new OutOfMemoryError("avcodec_alloc_context3 failed");
        }
        int ret = avcodec_parameters_to_context(codec, par);
        if (ret < 0) {
            throw new InvalidVideoException(name, VideoKind.CORRUPT, "corrupt codec parameters (" + error(ret) + ")");
        }
        codec.pkt_timebase(stream.time_base());
        ret = Ffmpeg.open(codec, decoder, limits.maxPixels(), DECODER_THREADS);
        if (ret < 0) {
            throw new InvalidVideoException(name, VideoKind.UNSUPPORTED, "cannot open the " + codecName
                    + " decoder (" + error(ret) + ")");
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
    }

    /**
     * Moves to the keyframe at or before {@code seconds}, so that a following {@link #decode} with
     * that start time decodes only from there. If the container cannot seek, decoding starts at the
     * beginning and the frames before the start are skipped, which gives the same frames.
     *
     * @param seconds the time to start at, from the start of the video
     */
    public void seek(double seconds) {
        long ts = startPts + (long) Math.floor(seconds / timeBase);
        if (av_seek_frame(format, streamIndex, ts, AVSEEK_FLAG_BACKWARD) >= 0) {
            avcodec_flush_buffers(codec);
            // The keyframe reader, if any, starts again from there when next needed.
            seekedTo = ts;
            if (keyframes != null) {
                keyframes.close();
                keyframes = null;
            }
            jumpTo = -1;
            lastPacketPos = -1;
        }
    }

    /**
     * Decodes the video, handing sampled frames to the sink until the sink says stop, a sampling
     * bound is reached, or the video ends.
     *
     * @param sampling     which frames to hand over
     * @param minShortSide frames are scaled down (never up) so that neither side is below this
     * @param sink         receives the frames
     * @return why decoding ended
     * @throws InvalidVideoException if the data is corrupt or truncated, or a limit is exceeded
     */
    public Ending decode(Sampling sampling, int minShortSide, FrameSink sink) throws InvalidVideoException {
        Sampler sampler = new Sampler(sampling, minShortSide, sink);
        boolean sawCorruptPacket = false;
        while (true) {
            checkBudget();
            int ret = av_read_frame(format, packet);
            if (ret == AVERROR_EOF) {
                break;
            }
            if (ret < 0) {
                // A read error mid-file: what was decoded stays, the rest is unreadable.
                if (framesDecoded == 0) {
                    throw new InvalidVideoException(name, VideoKind.CORRUPT, "corrupt video data (" + error(ret) + ")");
                }
                throw truncated(error(ret));
            }
            try {
                if (packet.stream_index() != streamIndex) {
                    continue;
                }
                if ((packet.flags() & AV_PKT_FLAG_CORRUPT) != 0 || packet.pos() + packet.size() > fileSize) {
                    sawCorruptPacket = true;
                }
                if (packet.pts() != AV_NOPTS_VALUE) {
                    lastPacketEnd = Math.max(lastPacketEnd, (packet.pts() - startPts + Math.max(0, packet.duration())) * timeBase);
                }
                if (sampling.keyframesOnly() && (packet.flags() & AV_PKT_FLAG_KEY) == 0) {
                    // Read but not decoded: the demuxer could skip them itself (discard=nokey), but
                    // then FFmpeg's MP4 demuxer gives keyframes wrong times with B-frames (see
                    // demuxerSkipsNonKeyExactly), and where the data ends would not be known, so
                    // that a truncated Matroska file would pass for a whole one.
                    continue;
                }
                if (!sampling.keyframesOnly() && skipUnneeded && skip(sampler.nextTime)) {
                    packetsSkipped++;
                    continue;
                }
                ret = avcodec_send_packet(codec, packet);
            } finally {
                av_packet_unref(packet);
            }
            if (ret < 0 && ret != AVERROR_EAGAIN) {
                decodeError(ret);
                continue;
            }
            if (!receive(sampler)) {
                return sampler.ending;
            }
        }
        // Flush the frames the decoder still holds (frame threading delays output).
        avcodec_send_packet(codec, null);
        if (!receive(sampler)) {
            return sampler.ending;
        }
        if (framesDecoded == 0) {
            if (firstDecodeError != 0) {
                throw new InvalidVideoException(name, VideoKind.CORRUPT, "corrupt video data (" + error(firstDecodeError) + ")");
            }
            if (sawCorruptPacket) {
                throw truncated("no complete frame");
            }
            throw new InvalidVideoException(name, VideoKind.CORRUPT, "no decodable frame in the video track");
        }
        // The video track's own duration (not the container's, which may cover a longer audio
        // track), against the end of the last packet read (every packet is read, in both modes).
        boolean endsEarly = videoDuration > 0 && lastPacketEnd < videoDuration - Math.max(1.0, videoDuration * 0.05);
        if (sawCorruptPacket || endsEarly) {
            throw truncated(null);
        }
        return Ending.END_OF_VIDEO;
    }

    /**
     * Decides, for the packet just read in interval sampling, whether its frame can be left out
     * without changing any sampled frame, and sets the decoder's {@code skip_frame} for it. The
     * sampler takes the first frame shown at or after {@code nextTime}; a frame shown before it
     * is never sampled, so it is needed only if a later frame refers to it. Two kinds are not:
     * <ul>
     *   <li>frames no other frame refers to (most B-frames): {@code AVDISCARD_NONREF} makes
     *       FFmpeg drop them unparsed;</li>
     *   <li>every frame before a keyframe that is itself shown no later than {@code nextTime}:
     *       those packets are not sent at all, and the decoder is flushed before that keyframe,
     *       exactly as after a seek to it. Frames before a keyframe in decoding order are shown
     *       before it, and frames shown after it refer to nothing before it (what makes it a
     *       keyframe), so the frame sampled at {@code nextTime} decodes to the same pixels.</li>
     * </ul>
     * {@code nextTime} lags behind (frames come out of the decoder after later packets went in),
     * which only makes this decode more than needed, never less.
     *
     * @param nextTime the sampler's next sample time
     * @return whether to drop the packet without sending it
     */
    private boolean skip(double nextTime) throws InvalidVideoException {
        boolean unsampled = packet.pts() != AV_NOPTS_VALUE && time(packet.pts()) + TIME_TOLERANCE < nextTime;
        // A keyframe is known to come later in decoding order only by its larger file position, so
        // a file whose packets are not stored in decoding order gets no jumps from here on.
        positionsIncrease &= packet.pos() > lastPacketPos;
        lastPacketPos = packet.pos();
        if (jumpTo < 0 && unsampled && positionsIncrease) {
            if (keyframes == null) {
                keyframes = new KeyframeLookahead();
            }
            jumpTo = keyframes.lastBefore(nextTime, packet.pos());
        }
        if (jumpTo >= 0) {
            if (packet.pos() < jumpTo) {
                return true;
            }
            jumpTo = -1;
            avcodec_flush_buffers(codec);
        }
        codec.skip_frame(unsampled ? AVDISCARD_NONREF : AVDISCARD_DEFAULT);
        return false;
    }

    /** A packet's or frame's time from the start of the video, in seconds (0 for early ones). */
    private double time(long pts) {
        return Math.max(0, (pts - startPts) * timeBase);
    }

    /**
     * Reads the video track's keyframes ahead of the decoding position, with a second demuxer on
     * the same file (Matroska: skipping the other packets). Positions in the file identify
     * packets, as both demuxers read the same file the same way.
     */
    private final class KeyframeLookahead implements AutoCloseable {
        private static final int MAX_AHEAD = 1024;
        private final AVFormatContext reader;
        private final AVPacket next = av_packet_alloc();
        /** File positions and timestamps of the keyframes read, in decoding order. */
        private final ArrayDeque<long[]> ahead = new ArrayDeque<>();
        private boolean done;

        KeyframeLookahead() throws InvalidVideoException {
            AVFormatContext opened = null;
            try {
                opened = openInput();
                for (int i = 0; i < opened.nb_streams(); i++) {
                    opened.streams(i).discard(i != streamIndex ? AVDISCARD_ALL
                            : demuxerSkipsNonKeyExactly() ? AVDISCARD_NONKEY : AVDISCARD_DEFAULT);
                }
                if (seekedTo != Long.MIN_VALUE) {
                    // Where the decoding demuxer went; if this one cannot follow, it reads from the
                    // start, which costs time but finds the same keyframes.
                    av_seek_frame(opened, streamIndex, seekedTo, AVSEEK_FLAG_BACKWARD);
                }
            } catch (InvalidVideoException e) {
                // The file opened once already; if it does not now, decode without looking ahead.
                done = true;
            } catch (RuntimeException | Error e) {
                if (opened != null) {
                    avformat_close_input(opened);
                }
                av_packet_free(next);
                throw e;
            }
            reader = opened;
        }

        /**
         * @param nextTime the next sample time
         * @param after    a file position
         * @return the file position of the last keyframe after {@code after} in decoding order
         *         all of whose predecessors are shown before {@code nextTime}, or -1
         */
        long lastBefore(double nextTime, long after) throws InvalidVideoException {
            while (!ahead.isEmpty() && ahead.peekFirst()[0] <= after) {
                ahead.removeFirst();
            }
            // Keyframes are shown in decoding order, so reading one past nextTime is enough. The
            // bound only keeps a hostile file's run of keyframes at one time out of memory.
            while (!done && ahead.size() < MAX_AHEAD && (ahead.isEmpty() || time(ahead.peekLast()[1]) <= nextTime)) {
                read(after, nextTime);
            }
            long found = -1;
            for (long[] k : ahead) {
                if (!precedesSample(k, nextTime)) {
                    break;
                }
                found = k[0];
            }
            return found;
        }

        /** Whether every frame before the keyframe is shown before nextTime. */
        private boolean precedesSample(long[] keyframe, double nextTime) {
            // The frame shown just before the keyframe is at least one tick earlier.
            return time(keyframe[1] - 1) + TIME_TOLERANCE < nextTime;
        }

        private void read(long after, double nextTime) throws InvalidVideoException {
            checkBudget();
            int ret = av_read_frame(reader, next);
            if (ret < 0) {
                done = true;
                return;
            }
            try {
                if (next.stream_index() == streamIndex && (next.flags() & AV_PKT_FLAG_KEY) != 0
                        && next.pts() != AV_NOPTS_VALUE && next.pos() > after) {
                    long[] keyframe = {next.pos(), next.pts()};
                    if (precedesSample(keyframe, nextTime)) {
                        // It supersedes the ones before it: nextTime and the decoding position only grow.
                        ahead.clear();
                    }
                    ahead.addLast(keyframe);
                }
            } finally {
                av_packet_unref(next);
            }
        }

        @Override
        public void close() {
            av_packet_free(next);
            if (reader != null) {
                avformat_close_input(reader);
            }
        }
    }

    /**
     * Whether the demuxer can skip the non-key packets itself and still give the keyframes' right
     * timestamps (for the keyframe reader). Matroska can. FFmpeg's MP4 demuxer, told to skip them,
     * no longer steps through the composition offsets of the packets it skips, so with B-frames the
     * keyframes it returns carry another packet's offset (times off by up to a few frames).
     */
    private boolean demuxerSkipsNonKeyExactly() {
        return !format.iformat().name().getString().startsWith("mov");
    }

    private InvalidVideoException truncated(String detail) {
        String where = String.format(Locale.ROOT, "the data ends at %.1f s of %.1f s", lastPacketEnd, info.durationSeconds());
        return new InvalidVideoException(name, VideoKind.TRUNCATED, "truncated: " + where
                + (detail == null ? "" : " (" + detail + ")"));
    }

    private void decodeError(int ret) throws InvalidVideoException {
        // FFmpeg enforces max_pixels when the bitstream's own size is parsed (AVERROR_INVALIDDATA)
        // or a frame is allocated (AVERROR(EINVAL)); the context then holds the refused size.
        if ((long) codec.width() * codec.height() > limits.maxPixels() || codec.width() > limits.maxDimension()
                || codec.height() > limits.maxDimension() || ret == -22) {
            throw new InvalidVideoException(name, VideoKind.LIMIT_EXCEEDED, "the " + info.codec() + " decoder refused a"
                    + " frame: its coded size exceeds the limit of " + limits.maxPixels() + " pixels or is invalid");
        }
        decodeErrors++;
        if (firstDecodeError == 0) {
            firstDecodeError = ret;
        }
    }

    private void checkBudget() throws InvalidVideoException {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new InvalidVideoException(name, VideoKind.TIME_BUDGET_EXCEEDED, "exceeded the time budget of "
                    + limits.timeBudget().toMillis() / 1000.0 + " s");
        }
    }

    /** Receives every frame the decoder has ready; {@code false} once the sampler wants no more. */
    private boolean receive(Sampler sampler) throws InvalidVideoException {
        while (true) {
            int ret = avcodec_receive_frame(codec, frame);
            if (ret == AVERROR_EAGAIN || ret == AVERROR_EOF) {
                return true;
            }
            if (ret < 0) {
                // With frame threading a packet's decoding error surfaces here. The decoder stays
                // usable and conceals damage from the next keyframe on, so note it and go on.
                decodeError(ret);
                return true;
            }
            try {
                framesDecoded++;
                if (framesDecoded > limits.maxFramesDecoded()) {
                    throw new InvalidVideoException(name, VideoKind.LIMIT_EXCEEDED, "more than "
                            + limits.maxFramesDecoded() + " frames decoded");
                }
                if (!sampler.offer(frame)) {
                    return false;
                }
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    /** Chooses which decoded frames go to the sink. */
    private final class Sampler {
        private final Sampling sampling;
        private final int minShortSide;
        private final FrameSink sink;
        private double nextTime;
        private int frames;
        private Ending ending;

        Sampler(Sampling sampling, int minShortSide, FrameSink sink) {
            this.sampling = sampling;
            this.nextTime = sampling.startSeconds();
            this.minShortSide = minShortSide;
            this.sink = sink;
        }

        boolean offer(AVFrame f) throws InvalidVideoException {
            long pts = f.best_effort_timestamp();
            if (pts == AV_NOPTS_VALUE) {
                pts = f.pts();
            }
            double t = pts == AV_NOPTS_VALUE ? 0 : time(pts);
            if (t >= sampling.maxSeconds()) {
                ending = Ending.MAX_DURATION;
                return false;
            }
            boolean key = (f.flags() & AV_FRAME_FLAG_KEY) != 0;
            if (!sampling.keyframesOnly()) {
                if (t + TIME_TOLERANCE < nextTime) {
                    return true;
                }
                nextTime = (Math.floor(t / sampling.intervalSeconds() + 1e-6) + 1) * sampling.intervalSeconds();
            }
            RgbImage image = toRgb(f);
            frames++;
            if (!sink.accept(t, key, image)) {
                ending = Ending.STOPPED;
                return false;
            }
            if (frames >= sampling.maxFrames()) {
                ending = Ending.MAX_FRAMES;
                return false;
            }
            return true;
        }

        private RgbImage toRgb(AVFrame f) {
            int w = f.width();
            int h = f.height();
            double sar = f.sample_aspect_ratio().num() > 0 && f.sample_aspect_ratio().den() > 0
                    ? f.sample_aspect_ratio().num() / (double) f.sample_aspect_ratio().den() : 1.0;
            double displayW = w * sar;
            // Scale so that neither side is below minShortSide, never up.
            double s = Math.min(1.0, Math.max(minShortSide / displayW, minShortSide / (double) h));
            int dw = Math.max(1, (int) Math.round(displayW * s));
            int dh = Math.max(1, (int) Math.round(h * s));
            boolean scaling = dw != w || dh != h;
            sws = sws_getCachedContext(sws, w, h, f.format(), dw, dh, AV_PIX_FMT_RGB24,
                    scaling ? SWS_AREA : SWS_BILINEAR, null, null, (double[]) null);
            if (sws == null || sws.isNull()) {
                throw new IllegalStateException("swscale cannot convert pixel format " + f.format() + " to RGB");
            }
            int colorspace = f.colorspace();
            if (colorspace == AVCOL_SPC_UNSPECIFIED) {
                // What players assume: BT.709 for HD, BT.601 for SD.
                colorspace = h >= 720 ? AVCOL_SPC_BT709 : SWS_CS_ITU601;
            }
            Ffmpeg.setColorspace(sws, colorspace, f.color_range() == AVCOL_RANGE_JPEG);
            int bytes = dw * dh * 3;
            if (rgb == null || rgbCapacity < bytes) {
                if (rgb != null) {
                    rgb.close();
                }
                rgb = new BytePointer(bytes);
                rgbCapacity = bytes;
            }
            try (PointerPointer<BytePointer> dst = new PointerPointer<BytePointer>(4).put(0, rgb);
                 IntPointer dstStride = new IntPointer(dw * 3, 0, 0, 0)) {
                sws_scale(sws, f.data(), f.linesize(), 0, h, dst, dstStride);
            }
            byte[] out = new byte[bytes];
            rgb.get(out, 0, bytes);
            return Rotation.rotate(new RgbImage(dw, dh, out), rotation);
        }
    }

    private static String error(int code) {
        return Ffmpeg.error(code);
    }

    @Override
    public void close() {
        if (keyframes != null) {
            keyframes.close();
            keyframes = null;
        }
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (rgb != null) {
            rgb.close();
            rgb = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (codec != null) {
            avcodec_free_context(codec);
            codec = null;
        }
        if (format != null) {
            avformat_close_input(format);
            format = null;
        }
    }
}
