package io.keshikaran.examples.server;

import io.keshikaran.Classifier;
import io.keshikaran.ModelException;
import io.keshikaran.eval.ThresholdsFile;
import io.keshikaran.examples.ModerationGate;
import io.keshikaran.image.ImageLimits;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * Example (d): an HTTP moderation service around one shared {@link Classifier}.
 *
 * <h2>Endpoints</h2>
 * <ul>
 *   <li>{@code POST /v1/classify}: the image as the raw request body (any content type except
 *       multipart; the format is detected from the bytes), or as {@code multipart/form-data} with
 *       the file in a field named {@code image} (or {@code file}, or the first part with a file
 *       name). {@code ?name=x.jpg} names a raw upload in the answer. Answers {@code 200} with
 *       {@code {"file", "score", "decision", "thresholds", "probabilities", "topLabel", "scoreLabels",
 *       "model", "image", "timing"}} (timing in ms: queue, receive, decode, classify, total);
 *       {@code decision} is {@code accept}, {@code review} or {@code reject} as in
 *       {@link io.keshikaran.examples.ModerationGate}.</li>
 *   <li>{@code GET /healthz}: {@code {"status": "ok", "libraryVersion", "model", "inFlight", "queued", ...}},
 *       {@code libraryVersion} being the keshikaran library's, {@link io.keshikaran.ModelInfo#libraryVersion()}.</li>
 *   <li>{@code GET /}: an upload page (drag and drop or file picker) showing the image, its score,
 *       the decision and a bar per class. One self-contained HTML file: it loads nothing else.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Every error is JSON, {@code {"error": "...", "file": name or null}}. A bad upload is always a
 * 4xx: {@code 400} empty body or malformed multipart, {@code 408} body not received within the
 * request timeout, {@code 413} body over {@link Settings#maxBodyBytes()}, {@code 415} not an image
 * format the decoder knows (text, random bytes, TIFF), {@code 422} an image that cannot be decoded
 * (truncated, corrupt), {@code 413} also for an image over the classifier's
 * {@link io.keshikaran.image.ImageLimits}. The status follows the classifier's
 * {@link io.keshikaran.InvalidImageException#kind()}: the server decodes nothing itself, it hands the
 * uploaded bytes to {@link Classifier#classify(byte[], String)}, so it scores exactly as the
 * library and the CLI do. {@code 503} with
 * {@code Retry-After} means the server is full; {@code 500} only for a failing engine.
 *
 * <h2>Limits</h2>
 * Body size is enforced while the body streams in; at most {@link Settings#maxConcurrent()}
 * requests are classified at once, at most {@link Settings#queueSize()} more wait (each at most
 * {@link Settings#queueTimeout()}), the rest get {@code 503}. A request is admitted before its body
 * is read, so memory for uploads is bounded by about {@code maxConcurrent * 2 * maxBodyBytes}
 * bytes (body, multipart copy) plus what decoding holds: all decodes of the JVM together at most
 * half its maximum heap, an image that could never fit is refused with a 4xx
 * ({@link io.keshikaran.image.ImageLimits} gives the per-decode formula), and server threads by
 * {@code maxConcurrent + queueSize} plus a fixed reserve. A refused body is read and dropped (up to
 * {@code maxBodyBytes} more) so that the client sees the answer; beyond that the connection is
 * closed. Decoding and inference are not interruptible; the pixel limit bounds their time.
 *
 * <h2>Why Jetty 12</h2>
 * Jetty 12 is maintained, on Maven Central, and its core API (no servlets) gives exactly what the
 * limits need: non-blocking reads with demand, so the body limit and the request timeout are
 * enforced while the body arrives; and a multipart parser of its own. Javalin 6 was the other
 * candidate; it runs on Jetty 11, which no longer gets community support, and brings the Kotlin
 * standard library along. The JDK's {@code HttpServer} has no multipart support and no per-request
 * read deadline.
 *
 * <p>The classifier is borrowed: {@link #close()} stops the server and leaves it open.
 */
public final class ModerationServer implements AutoCloseable {
    /**
     * The pixel limit {@link #main} gives its classifier: 40 megapixels, set from the measured
     * worst decoding cost per megapixel (docs/performance.md, "Per-format decode time"): the
     * dearest format on the native path, progressive JPEG, took at most 28 ms per MP at full
     * resolution and 25 ms per MP reduced (one core, quiet machine), so one upload at the limit
     * costs about 1.0-1.1 s of a core; PNG and WebP stay under that. 40 MP still admits 8K
     * wallpapers (33 MP) and 36 MP camera photos. Files that go to ImageIO (CMYK JPEG, PNGs with a
     * colour profile to convert, BMP) cost several times more per MP; {@code maxConcurrent} bounds how many run at once.
     */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    /**
     * The server's settings, validated by {@link Builder#build()}.
     *
     * @param host           the address to listen on; default {@code 127.0.0.1}
     * @param port           the port; 0 picks a free one; default 8080
     * @param reviewAt       scores at or above this are {@code review}; default 0.4
     * @param rejectAt       scores at or above this are {@code reject}; default 0.8
     * @param maxBodyBytes   the largest request body accepted; default 16 MiB
     * @param maxConcurrent  requests classified at once; default the number of cores
     * @param queueSize      requests that may wait for a slot; default 64
     * @param queueTimeout   how long a request may wait for a slot before {@code 503}; default 10 s
     * @param requestTimeout how long the body may take to arrive before {@code 408}, and how long
     *                       a connection may stay silent; default 30 s
     * @param retryAfter     the {@code Retry-After} sent with {@code 503}; default 1 s
     */
    public record Settings(String host, int port, double reviewAt, double rejectAt, long maxBodyBytes,
                           int maxConcurrent, int queueSize, Duration queueTimeout,
                           Duration requestTimeout, Duration retryAfter) {
        /** Validates every setting. */
        public Settings {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be within 0..65535, got " + port);
            }
            if (!(0 <= reviewAt && reviewAt <= rejectAt && rejectAt <= 1)) {
                throw new IllegalArgumentException("need 0 <= reviewAt <= rejectAt <= 1, got reviewAt="
                        + reviewAt + ", rejectAt=" + rejectAt);
            }
            requirePositive("maxBodyBytes", maxBodyBytes);
            requirePositive("maxConcurrent", maxConcurrent);
            if (queueSize < 0) {
                throw new IllegalArgumentException("queueSize must not be negative, got " + queueSize);
            }
            requirePositive("queueTimeout", queueTimeout);
            requirePositive("requestTimeout", requestTimeout);
            requirePositive("retryAfter", retryAfter);
        }

        private static void requirePositive(String name, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
        }

        private static void requirePositive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
        }
    }

    private final Classifier classifier;
    private final Settings settings;
    private Server server;
    private ServerConnector connector;
    private ModerationHandler handler;

    private ModerationServer(Classifier classifier, Settings settings) {
        this.classifier = classifier;
        this.settings = settings;
    }

    /** A builder; {@link Builder#setClassifier} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening. Returns once the port is bound.
     *
     * @throws IOException           if the port cannot be bound
     * @throws IllegalStateException if the server was started before
     */
    public synchronized ModerationServer start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("the server was already started");
        }
        // Threads that wait in the admission queue each hold a pool thread; the reserve serves
        // /healthz, the page, quick rejections, and Jetty's own acceptor and selector.
        int maxThreads = settings.maxConcurrent() + settings.queueSize() + 24;
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
        threads.setName("moderation-http");
        server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.requestTimeout().toMillis());
        server.addConnector(connector);

        handler = new ModerationHandler(classifier, settings);
        server.setHandler(handler);
        server.setErrorHandler(new JsonErrorHandler());
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly();
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            stopQuietly();
            throw new IllegalStateException("cannot start the server: " + e.getMessage(), e);
        }
        return this;
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // Already failing; the start error is the one to report.
        }
    }

    /** The port the server listens on; with port 0, the one picked. */
    public int port() {
        requireStarted();
        return connector.getLocalPort();
    }

    /** The base address, such as {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        requireStarted();
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        if ("0.0.0.0".equals(host) || "[::]".equals(host)) {
            host = "127.0.0.1";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** The settings the server runs with. */
    public Settings settings() {
        return settings;
    }

    private void requireStarted() {
        if (server == null || !server.isStarted()) {
            throw new IllegalStateException("the server is not running");
        }
    }

    /** Stops the server; requests in progress are cut off. The classifier stays open. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null && !server.isStopped()) {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the server: " + e.getMessage(), e);
            }
        }
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        requireStarted();
        server.join();
    }

    /**
     * Configures a {@link ModerationServer}. Only the classifier is required; the defaults are
     * listed on {@link Settings}.
     */
    public static final class Builder {
        private Classifier classifier;
        private String host = "127.0.0.1";
        private int port = 8080;
        private double reviewAt = 0.4;
        private double rejectAt = 0.8;
        private long maxBodyBytes = 16L * 1024 * 1024;
        private int maxConcurrent = Runtime.getRuntime().availableProcessors();
        private int queueSize = 64;
        private Duration queueTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration retryAfter = Duration.ofSeconds(1);

        private Builder() {
        }

        /** The classifier every request shares. Required; the server does not close it. */
        public Builder setClassifier(Classifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /** The address to listen on; {@code 0.0.0.0} for every interface. */
        public Builder optHost(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; 0 picks a free one, see {@link ModerationServer#port()}. */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /** The review and reject thresholds, as in {@link io.keshikaran.examples.ModerationGate}. */
        public Builder optThresholds(double reviewAt, double rejectAt) {
            this.reviewAt = reviewAt;
            this.rejectAt = rejectAt;
            return this;
        }

        /** The largest request body accepted, in bytes. */
        public Builder optMaxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** How many requests are classified at once. */
        public Builder optMaxConcurrent(int requests) {
            this.maxConcurrent = requests;
            return this;
        }

        /** How many requests may wait for a slot; 0 turns away every request that finds no free slot. */
        public Builder optQueueSize(int requests) {
            this.queueSize = requests;
            return this;
        }

        /** How long a request may wait for a slot. */
        public Builder optQueueTimeout(Duration timeout) {
            this.queueTimeout = timeout;
            return this;
        }

        /** How long a request body may take to arrive, and how long a connection may stay silent. */
        public Builder optRequestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** The delay suggested to clients turned away with {@code 503}; sent in whole seconds, at least 1. */
        public Builder optRetryAfter(Duration delay) {
            this.retryAfter = delay;
            return this;
        }

        /**
         * Validates the settings and creates a server that is not started yet.
         *
         * @throws IllegalStateException    if no classifier was set
         * @throws IllegalArgumentException if a setting is out of range
         */
        public ModerationServer build() {
            if (classifier == null) {
                throw new IllegalStateException("setClassifier is required");
            }
            return new ModerationServer(classifier, new Settings(host, port, reviewAt, rejectAt, maxBodyBytes,
                    maxConcurrent, queueSize, queueTimeout, requestTimeout, retryAfter));
        }
    }

    /**
     * Usage: {@code ModerationServer [--host H] [--port P] [--review T] [--reject T] [--model M]
     * [--max-pixels N] [--config FILE]}. {@code --config} reads the file {@code keshikaran calibrate
     * --save-thresholds} writes ({@link ThresholdsFile}: {@code keshikaran.model}, {@code keshikaran.score-labels},
     * {@code keshikaran.review-threshold}, {@code keshikaran.reject-threshold}, as Java properties or
     * JSON); keys it lacks keep the values of the options before it, and options after it override its values. Loads the model once, serves until interrupted
     * (Ctrl-C), then frees the model.
     *
     * @param args the options above
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        Builder builder = builder();
        String model = Classifier.DEFAULT_MODEL;
        List<String> scoreLabels = List.of();
        double review = 0.4;
        double reject = 0.8;
        long maxPixels = DEFAULT_MAX_PIXELS;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                usage("missing value for " + args[i]);
            }
            switch (args[i]) {
                case "--host" -> builder.optHost(value);
                case "--port" -> builder.optPort(Integer.parseInt(value));
                case "--review" -> review = Double.parseDouble(value);
                case "--reject" -> reject = Double.parseDouble(value);
                case "--model" -> model = value;
                case "--max-pixels" -> maxPixels = Long.parseLong(value);
                case "--config" -> {
                    ThresholdsFile config = ThresholdsFile.read(Path.of(value), ThresholdsFile.builder().setModel(model)
                            .optScoreLabels(scoreLabels).setReviewThreshold(review).optRejectThreshold(reject).build());
                    model = config.model();
                    scoreLabels = config.scoreLabels();
                    review = config.reviewThreshold();
                    reject = config.rejectThreshold().orElseThrow();
                }
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        builder.optThresholds(review, reject);
        Classifier classifier;
        try {
            classifier = ModerationGate.classifierBuilder(model, scoreLabels)
                    .optImageLimits(ImageLimits.defaults().withMaxPixels(maxPixels)).build();
        } catch (ModelException e) {
            System.err.println("ModerationServer: " + e.getMessage());
            System.exit(5);
            return;
        }
        ModerationServer server = builder.setClassifier(classifier).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            classifier.close();
            stopped.countDown();
        }, "moderation-shutdown"));
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.printf(Locale.ROOT, "keshikaran moderation server on %s (model %s, review at %.2f, reject at %.2f)%n",
                server.uri(), classifier.model().id(), review, reject);
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println("ModerationServer: " + problem);
        System.err.println("usage: ModerationServer [--host H] [--port P] [--review T] [--reject T] [--model M] "
                + "[--max-pixels N] [--config FILE]");
        System.exit(2);
    }
}
