package io.keshikaran.video;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.image.RgbImage;
import io.keshikaran.preprocess.PreprocessingSpec;
import io.keshikaran.video.internal.FfmpegVideoDecoder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Scores how sexually explicit a video is by classifying sampled frames with an image
 * {@link Classifier} and aggregating their scores.
 *
 * <pre>{@code
 * try (Classifier images = Classifier.builder().build()) {
 *     VideoClassifier videos = VideoClassifier.builder().setClassifier(images).optStopThreshold(0.8).build();
 *     VideoClassification v = videos.classify(Path.of("clip.mp4"), f -> log(f.timeSeconds(), f.score()));
 *     if (v.stoppedEarly()) reject(v.stoppedAt().get().timeSeconds());
 * }
 * }</pre>
 *
 * <p><b>Decoding:</b> FFmpeg 7.1, bundled through JavaCPP for Linux x86-64 (other platforms: add
 * their natives, see the module's README). MP4/MOV and Matroska/WebM containers with H.264, H.265,
 * VP8, VP9 or AV1 video (AV1 through libaom, which the bundled FFmpeg includes). Frames are scaled down in
 * FFmpeg with an area filter so that neither side is below twice the model's input size, then handed
 * to {@link Classifier#classify(RgbImage, String)}: the same preprocessing and model as images.
 *
 * <p><b>Sampling:</b> one frame every {@link Builder#optInterval interval} (default 1 s: the first
 * frame at or after 0 s, 1 s, 2 s, ...), or {@link Builder#optKeyframesOnly() keyframes only}, which
 * does not decode the frames in between and is several times faster; both bounded by a maximum frame
 * count and a maximum duration to scan. With a {@link Builder#optStopThreshold stop threshold},
 * decoding stops at the first frame whose score reaches it.
 *
 * <p><b>Threads:</b> decoding runs on the calling thread and inference on one helper thread, so the
 * two overlap; the per-frame callback is called on the calling thread, in time order. A
 * {@code VideoClassifier} holds no native memory of its own (each call opens and closes its
 * decoder) and is thread-safe: several threads may classify videos at once, sharing the classifier.
 */
public final class VideoClassifier {
    /** Default for {@link Builder#optMaxFrames(int)}: {@value}. */
    public static final int DEFAULT_MAX_FRAMES = 100_000;
    /** How many frames may wait for or be in inference while the next ones are decoded. */
    private static final int IN_FLIGHT = 2;

    private final Classifier classifier;
    private final Duration interval;
    private final boolean keyframesOnly;
    private final int maxFrames;
    private final Duration maxDuration;
    private final FrameAggregation aggregation;
    private final double stopThreshold;
    private final VideoLimits limits;
    private final int minFrameSide;

    private VideoClassifier(Builder b) {
        this.classifier = b.classifier;
        this.interval = b.interval;
        this.keyframesOnly = b.keyframesOnly;
        this.maxFrames = b.maxFrames;
        this.maxDuration = b.maxDuration;
        this.aggregation = b.aggregation;
        this.stopThreshold = b.stopThreshold;
        this.limits = b.limits;
        this.minFrameSide = b.minFrameSide > 0 ? b.minFrameSide : 2 * modelSide(classifier);
    }

    /** A builder; {@link Builder#setClassifier} is required. */
    public static Builder builder() {
        return new Builder();
    }

    private static int modelSide(Classifier classifier) {
        PreprocessingSpec spec = classifier.description().preprocessing();
        return Math.max(Math.max(spec.width(), spec.height()), Math.max(spec.resizeWidth(), spec.resizeHeight()));
    }

    /**
     * Classifies a video file.
     *
     * @param video the file
     * @return the aggregate and every sampled frame
     * @throws InvalidVideoException naming the file and the reason: missing, not a video, no video
     *                               track, unsupported, corrupt, truncated, or over a limit
     */
    public VideoClassification classify(Path video) throws InvalidVideoException {
        return classify(video, f -> { });
    }

    /**
     * Classifies a video file, reporting each sampled frame as soon as it is scored.
     *
     * @param video   the file
     * @param onFrame called on the calling thread with each frame's result, in time order; frames
     *                reported before an exception stay reported
     * @return the aggregate and every sampled frame
     * @throws InvalidVideoException naming the file and the reason: missing, not a video, no video
     *                               track, unsupported, corrupt, truncated, or over a limit
     * @throws io.keshikaran.InferenceException if the engine fails
     * @throws io.keshikaran.EngineUnavailableException if FFmpeg's natives for this platform are
     *                                                  not on the classpath; the message says what to add
     */
    public VideoClassification classify(Path video, Consumer<VideoFrameScore> onFrame) throws InvalidVideoException {
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(onFrame, "onFrame");
        long start = System.nanoTime();
        String name = video.toString();
        ExecutorService inference = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "keshikaran-video-inference");
            t.setDaemon(true);
            return t;
        });
        try (FfmpegVideoDecoder decoder = FfmpegVideoDecoder.open(video, name, limits, start)) {
            Scan scan = new Scan(name, inference, onFrame);
            FfmpegVideoDecoder.Ending decoded;
            try {
                decoded = decoder.decode(new FfmpegVideoDecoder.Sampling(keyframesOnly, interval.toNanos() / 1e9,
                        maxFrames, maxDuration.toNanos() / 1e9, 0), minFrameSide, scan::offer);
            } finally {
                // Frames decoded before an error are still scored and reported.
                scan.drain();
            }
            VideoClassification.Ending ending = scan.stopped ? VideoClassification.Ending.STOP_THRESHOLD
                    : switch (decoded) {
                        case MAX_FRAMES -> VideoClassification.Ending.MAX_FRAMES;
                        case MAX_DURATION -> VideoClassification.Ending.MAX_DURATION;
                        default -> VideoClassification.Ending.END_OF_VIDEO;
                    };
            if (scan.frames.isEmpty()) {
                throw new InvalidVideoException(name, InvalidVideoException.VideoKind.CORRUPT,
                        "no frame decoded within the scanned range");
            }
            FrameAggregation.Aggregate aggregate = aggregation.apply(scan.frames);
            FfmpegVideoDecoder.StreamInfo info = decoder.info();
            return new VideoClassification(name, aggregate.score(), aggregate.probabilities(), scan.frames,
                    aggregation, ending, info.container(), info.codec(), info.width(), info.height(),
                    info.durationSeconds(), decoder.framesDecoded(), classifier.model());
        } finally {
            inference.shutdownNow();
        }
    }

    /**
     * Decodes the frame shown at a time, at the size frames are classified at (scaled down so that
     * neither side is below twice the model input): for thumbnails of a result's
     * {@linkplain VideoClassification#topFrames(int) top frames}, say. It seeks to the keyframe
     * before the time and decodes from there, under the same {@link VideoLimits}.
     *
     * @param video   the file
     * @param seconds a frame time, such as {@link VideoFrameScore#timeSeconds()}
     * @return the first frame at or after {@code seconds}
     * @throws InvalidVideoException as {@link #classify(Path)} does, or if there is no frame at
     *                               or after that time
     */
    public RgbImage frameAt(Path video, double seconds) throws InvalidVideoException {
        Objects.requireNonNull(video, "video");
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be finite and not negative, got " + seconds);
        }
        RgbImage[] found = new RgbImage[1];
        try (FfmpegVideoDecoder decoder = FfmpegVideoDecoder.open(video, video.toString(), limits, System.nanoTime())) {
            decoder.seek(seconds);
            decoder.decode(new FfmpegVideoDecoder.Sampling(false, Double.MAX_VALUE, 1, Double.MAX_VALUE, seconds),
                    minFrameSide, (t, key, image) -> {
                        found[0] = image;
                        return false;
                    });
        } catch (InvalidVideoException e) {
            if (found[0] == null) {
                throw e;
            }
        }
        if (found[0] == null) {
            throw new InvalidVideoException(video.toString(), InvalidVideoException.VideoKind.CORRUPT,
                    String.format(Locale.ROOT, "no frame at or after %.3f s", seconds));
        }
        return found[0];
    }

    /** One video's frames in flight: submitted in order, delivered in order, stopped at the threshold. */
    private final class Scan {
        private final String name;
        private final ExecutorService inference;
        private final Consumer<VideoFrameScore> onFrame;
        private final Deque<Pending> pending = new ArrayDeque<>();
        private final List<VideoFrameScore> frames = new ArrayList<>();
        private boolean stopped;
        private int submitted;

        Scan(String name, ExecutorService inference, Consumer<VideoFrameScore> onFrame) {
            this.name = name;
            this.inference = inference;
            this.onFrame = onFrame;
        }

        private record Pending(int index, double time, boolean keyframe, Future<Classification> result) {
        }

        /** The decoder's sink: queues the frame for inference and delivers finished ones. */
        boolean offer(double time, boolean keyframe, RgbImage image) {
            String frameName = String.format(Locale.ROOT, "%s@%.3fs", name, time);
            pending.add(new Pending(submitted++, time, keyframe,
                    inference.submit(() -> classifier.classify(image, frameName))));
            // Deliver what is done; wait only when too many frames are in flight.
            while (!stopped && !pending.isEmpty() && (pending.peek().result().isDone() || pending.size() > IN_FLIGHT)) {
                deliver(pending.poll());
            }
            return !stopped;
        }

        void drain() {
            while (!stopped && !pending.isEmpty()) {
                deliver(pending.poll());
            }
            pending.forEach(p -> p.result().cancel(true));
            pending.clear();
        }

        private void deliver(Pending p) {
            Classification c;
            try {
                c = p.result().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while classifying " + name);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
            VideoFrameScore frame = new VideoFrameScore(p.index(), p.time(), p.keyframe(), c.score(), c.probabilities());
            frames.add(frame);
            onFrame.accept(frame);
            if (frame.score() >= stopThreshold) {
                stopped = true;
            }
        }
    }

    @Override
    public String toString() {
        return "VideoClassifier[" + (keyframesOnly ? "keyframes" : "every " + interval) + ", maxFrames=" + maxFrames
                + ", maxDuration=" + maxDuration + ", aggregation=" + aggregation
                + (Double.isFinite(stopThreshold) ? ", stopThreshold=" + stopThreshold : "") + ", " + limits + "]";
    }

    /** Configures a {@link VideoClassifier}. */
    public static final class Builder {
        private Classifier classifier;
        private Duration interval = Duration.ofSeconds(1);
        private boolean keyframesOnly;
        private int maxFrames = DEFAULT_MAX_FRAMES;
        private Duration maxDuration = Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L);
        private FrameAggregation aggregation = FrameAggregation.max();
        private double stopThreshold = Double.POSITIVE_INFINITY;
        private VideoLimits limits = VideoLimits.defaults();
        private int minFrameSide;

        private Builder() {
        }

        /**
         * The image classifier that scores the frames (required). It is shared, not owned: the
         * caller closes it.
         *
         * @param classifier a loaded classifier
         * @return this builder
         */
        public Builder setClassifier(Classifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /**
         * Samples one frame per interval: the first frame at or after each multiple of it. Default 1 s.
         * Frames that no sampled frame depends on are not decoded (those no other frame refers to,
         * and those before a keyframe shown no later than the next sample time); the sampled frames
         * are exactly those that decoding every frame gives.
         *
         * @param interval positive
         * @return this builder
         */
        public Builder optInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive, got " + interval);
            }
            this.interval = interval;
            this.keyframesOnly = false;
            return this;
        }

        /**
         * Samples every keyframe and nothing else. The frames in between are not decoded (for
         * Matroska/WebM not even demuxed), which makes this several times faster than
         * {@link #optInterval}, at the price of an irregular sampling that follows the encoder's
         * keyframe placement.
         *
         * @return this builder
         */
        public Builder optKeyframesOnly() {
            this.keyframesOnly = true;
            return this;
        }

        /**
         * Stops after this many sampled frames. Default {@value #DEFAULT_MAX_FRAMES}.
         *
         * @param frames at least 1
         * @return this builder
         */
        public Builder optMaxFrames(int frames) {
            if (frames < 1) {
                throw new IllegalArgumentException("maxFrames must be at least 1, got " + frames);
            }
            this.maxFrames = frames;
            return this;
        }

        /**
         * Scans only the first part of the video. Default: all of it.
         *
         * @param duration positive
         * @return this builder
         */
        public Builder optMaxDuration(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("maxDuration must be positive, got " + duration);
            }
            this.maxDuration = duration;
            return this;
        }

        /**
         * How frame scores become the video's score. Default {@link FrameAggregation#max()}.
         *
         * @param aggregation the aggregation
         * @return this builder
         */
        public Builder optAggregation(FrameAggregation aggregation) {
            this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
            return this;
        }

        /**
         * Stops decoding at the first frame whose score is at least {@code threshold}; the result
         * then {@linkplain VideoClassification#stoppedEarly() says so}. Default: never stop.
         *
         * @param threshold 0..1
         * @return this builder
         */
        public Builder optStopThreshold(double threshold) {
            if (!(threshold >= 0.0 && threshold <= 1.0)) {
                throw new IllegalArgumentException("stopThreshold must be within 0..1, got " + threshold);
            }
            this.stopThreshold = threshold;
            return this;
        }

        /**
         * File size, frame size, duration, decoded-frame and time limits. Default {@link VideoLimits#defaults()}.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder optLimits(VideoLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The smallest side frames are scaled down to (never up) before classification. Default
         * twice the model's input size, which keeps the model's own resize as accurate as for
         * still images.
         *
         * @param pixels at least 1
         * @return this builder
         */
        public Builder optMinFrameSide(int pixels) {
            if (pixels < 1) {
                throw new IllegalArgumentException("minFrameSide must be at least 1, got " + pixels);
            }
            this.minFrameSide = pixels;
            return this;
        }

        /**
         * @return the video classifier
         * @throws IllegalStateException if no classifier was set
         */
        public VideoClassifier build() {
            if (classifier == null) {
                throw new IllegalStateException("setClassifier(...) is required");
            }
            return new VideoClassifier(this);
        }
    }
}
