package io.keshikaran.video.internal;

import io.keshikaran.EngineUnavailableException;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.Loader;

import java.nio.charset.StandardCharsets;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

/**
 * What the video decoder and the image decoder share about FFmpeg: loading the natives, opening a
 * decoder with FFmpeg's own size limit, error texts and the YUV to RGB colour setup.
 */
final class Ffmpeg {
    /** AVERROR(EAGAIN): errno values differ between platforms and JavaCPP does not expose them. */
    static final int AVERROR_EAGAIN = -(Loader.getPlatform().startsWith("macosx") ? 35 : 11);
    /** AVERROR(ENOMEM), 12 on Linux, macOS and Windows alike. */
    static final int AVERROR_ENOMEM = -12;

    private Ffmpeg() {
    }

    /** Loads FFmpeg's natives once, turning a missing platform jar into an actionable error. */
    private static final class Natives {
        private static final Throwable FAILURE = load();

        private static Throwable load() {
            try {
                // Errors reach the caller as exceptions; FFmpeg's own log would only write to stderr.
                av_log_set_level(AV_LOG_QUIET);
                return null;
            } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
                return e;
            }
        }
    }

    /** Why FFmpeg's natives cannot be used here (what to add), or {@code null} when they load. */
    static String unavailableReason() {
        return Natives.FAILURE == null ? null : missingNatives();
    }

    /**
     * Why FFmpeg cannot be used here, from the classpath alone, without loading the natives (which
     * costs 200-250 ms): {@code null} when this platform's FFmpeg and JavaCPP native jars are present.
     */
    static String nativesMissing() {
        String platform = Loader.getPlatform();
        ClassLoader cl = Ffmpeg.class.getClassLoader();
        boolean present = cl != null && cl.getResource("org/bytedeco/ffmpeg/" + platform + "/") != null
                && cl.getResource("org/bytedeco/javacpp/" + platform + "/") != null;
        return present ? null : missingNatives();
    }

    private static String missingNatives() {
        String platform = Loader.getPlatform();
        return "FFmpeg's natives for " + platform + " could not be loaded: add "
                + "org.bytedeco:ffmpeg:7.1-1.5.11:" + platform + " and org.bytedeco:javacpp:1.5.11:" + platform
                + " to the classpath (keshikaran-video ships linux-x86_64 only; see its README)";
    }

    /**
     * @throws EngineUnavailableException FFmpeg's natives do not load on this platform
     */
    static void check() {
        String why = unavailableReason();
        if (why != null) {
            throw new EngineUnavailableException(why, Natives.FAILURE);
        }
    }

    /**
     * Opens an allocated decoder context with FFmpeg's {@code max_pixels} (so that a bitstream
     * larger than its container claims fails in FFmpeg before frames are allocated).
     *
     * @return {@code avcodec_open2}'s result
     */
    static int open(AVCodecContext codec, AVCodec decoder, long maxPixels, int threads) {
        AVDictionary options = new AVDictionary(null);
        try {
            av_dict_set(options, "max_pixels", Long.toString(maxPixels), 0);
            av_dict_set(options, "threads", Integer.toString(threads), 0);
            return avcodec_open2(codec, decoder, options);
        } finally {
            av_dict_free(options);
        }
    }

    /**
     * Sets a scaler's YUV to RGB conversion: the given matrix ({@code AVCOL_SPC_*} / {@code SWS_CS_*})
     * and range, to full-range RGB.
     */
    static void setColorspace(SwsContext sws, int colorspace, boolean fullRange) {
        sws_setColorspaceDetails(sws, sws_getCoefficients(colorspace), fullRange ? 1 : 0,
                sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
    }

    /**
     * Why a coded picture did not decode, for {@code avcodec_send_packet} and
     * {@code avcodec_receive_frame} failures. An allocation failure there comes from sizes the
     * damaged data claims as often as from a short machine, so it does not blame memory alone.
     */
    static String decodeFailure(int code) {
        return code == AVERROR_ENOMEM
                ? "the decoder could not allocate what the coded image asks for (damaged data, or too little native memory)"
                : "corrupt coded image (" + error(code) + ")";
    }

    /** FFmpeg's text for an error code. */
    static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }
}
