package io.keshikaran.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelInfo;
import io.keshikaran.examples.ModerationGate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Serves the three endpoints of {@link ModerationServer}. Blocking handler: runs on pool threads. */
final class ModerationHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ModerationHandler.class);
    private static final String JSON = "application/json; charset=utf-8";
    private static final String PAGE_RESOURCE = "/io/keshikaran/examples/server/index.html";
    // The page's script and styles are inline, and it may talk to this server only.
    private static final String PAGE_POLICY = "default-src 'none'; img-src blob: data:; style-src 'unsafe-inline'; "
            + "script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'";
    private static final int MAX_PARTS = 16;
    private static final int MAX_NAME_LENGTH = 255;

    private final Classifier classifier;
    private final ModerationServer.Settings settings;
    private final ModerationGate gate;
    private final Admission admission;
    private final ObjectMapper mapper = new ObjectMapper();
    private final byte[] page;

    ModerationHandler(Classifier classifier, ModerationServer.Settings settings) {
        this.classifier = classifier;
        this.settings = settings;
        this.gate = new ModerationGate(classifier, settings.reviewAt(), settings.rejectAt());
        this.admission = new Admission(settings.maxConcurrent(), settings.queueSize());
        this.page = loadPage();
    }

    private static byte[] loadPage() {
        try (InputStream in = ModerationHandler.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + PAGE_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PAGE_RESOURCE, e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        try {
            switch (path) {
                case "/", "/index.html" -> {
                    if (allow(request, response, callback, HttpMethod.GET)) {
                        servePage(response, callback);
                    }
                }
                case "/healthz" -> {
                    if (allow(request, response, callback, HttpMethod.GET)) {
                        sendJson(response, callback, 200, health());
                    }
                }
                case "/v1/classify" -> {
                    if (allow(request, response, callback, HttpMethod.POST)) {
                        classify(request, response, callback);
                    }
                }
                default -> sendJson(response, callback, 404, error("no such endpoint: " + method + " " + path, null));
            }
        } catch (RuntimeException e) {
            // A bug or a broken engine, never a bad upload: those are answered inside classify.
            LOG.error("{} {} failed", method, path, e);
            if (!response.isCommitted()) {
                sendJson(response, callback, 500, error("internal error: " + e.getClass().getSimpleName(), null));
            } else {
                callback.failed(e);
            }
        }
        return true;
    }

    private boolean allow(Request request, Response response, Callback callback, HttpMethod method) {
        if (method.is(request.getMethod())) {
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, method.asString());
        sendJson(response, callback, 405, error(request.getMethod() + " is not allowed here; use " + method, null));
        return false;
    }

    private void servePage(Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("Content-Security-Policy", PAGE_POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(page), callback);
    }

    private ObjectNode health() {
        ObjectNode node = mapper.createObjectNode();
        node.put("status", "ok");
        node.put("libraryVersion", classifier.model().libraryVersion());
        node.set("model", modelJson(classifier.model()));
        node.put("inFlight", admission.running());
        node.put("queued", admission.waiting());
        ObjectNode limits = node.putObject("limits");
        limits.put("maxBodyBytes", settings.maxBodyBytes());
        limits.put("maxPixels", classifier.imageLimits().maxPixels());
        limits.put("maxConcurrent", settings.maxConcurrent());
        limits.put("queueSize", settings.queueSize());
        limits.put("queueTimeoutMs", settings.queueTimeout().toMillis());
        limits.put("requestTimeoutMs", settings.requestTimeout().toMillis());
        node.set("thresholds", thresholdsJson());
        return node;
    }

    private void classify(Request request, Response response, Callback callback) {
        long begin = System.nanoTime();
        long deadline = begin + settings.requestTimeout().toNanos();
        String name = queryName(request);
        ContentWaiter waiter = new ContentWaiter(request);
        long declaredLength = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declaredLength > settings.maxBodyBytes()) {
            // Known to be too large: no need for a classification slot.
            reject(request, response, callback, waiter, new Rejection(413, tooLargeMessage(), name), deadline);
            return;
        }
        Admission.Outcome outcome;
        try {
            outcome = admission.enter(Math.min(settings.queueTimeout().toNanos(), deadline - System.nanoTime()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reject(request, response, callback, waiter, new Rejection(503, "the server is shutting down", name), deadline);
            return;
        }
        if (outcome != Admission.Outcome.ADMITTED) {
            String why = outcome == Admission.Outcome.QUEUE_FULL
                    ? "the server is busy: " + settings.maxConcurrent() + " requests running and " + settings.queueSize() + " waiting"
                    : "the server is busy: no slot became free within " + settings.queueTimeout().toMillis() + " ms";
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(Math.max(1, ceilSeconds(settings.retryAfter().toMillis()))));
            reject(request, response, callback, waiter, new Rejection(503, why, name), deadline);
            return;
        }
        try {
            long admitted = System.nanoTime();
            byte[] body = readBody(request, waiter, deadline, name);
            Upload upload = extractImage(request, body, name, deadline);
            long received = System.nanoTime();
            String displayName = upload.name() != null ? upload.name() : "upload";
            Classification c;
            try {
                c = classifier.classify(upload.bytes(), displayName);
            } catch (InvalidImageException e) {
                sendJson(response, callback, status(e.kind()), error(e.reason(), upload.name()));
                return;
            }
            long done = System.nanoTime();
            ObjectNode node = result(c, upload.name());
            ObjectNode timing = node.putObject("timing");
            timing.put("queueMs", millis(admitted - begin));
            timing.put("receiveMs", millis(received - admitted));
            timing.put("classifyMs", millis(done - received));
            timing.put("totalMs", millis(done - begin));
            sendJson(response, callback, 200, node);
        } catch (Rejection r) {
            reject(request, response, callback, waiter, r, deadline);
        } finally {
            admission.leave();
        }
    }

    /** The HTTP status for an upload the classifier refused. */
    static int status(InvalidImageException.Kind kind) {
        return switch (kind) {
            case NOT_AN_IMAGE, UNSUPPORTED_FORMAT -> 415;
            case TOO_LARGE -> 413;
            case CORRUPT, UNREADABLE -> 422;
        };
    }

    private ObjectNode result(Classification c, String file) {
        ObjectNode node = mapper.createObjectNode();
        node.put("file", file);
        node.put("score", c.score());
        node.put("decision", gate.decide(c.score()).name().toLowerCase(Locale.ROOT));
        node.set("thresholds", thresholdsJson());
        ObjectNode probabilities = node.putObject("probabilities");
        for (Map.Entry<String, Float> e : c.probabilities().entrySet()) {
            probabilities.put(e.getKey(), e.getValue());
        }
        node.put("topLabel", c.topLabel());
        classifier.description().scoreLabels().forEach(node.putArray("scoreLabels")::add);
        node.set("model", modelJson(c.model()));
        c.image().ifPresent(info -> {
            ObjectNode img = node.putObject("image");
            img.put("format", info.format());
            img.put("width", info.width());
            img.put("height", info.height());
            img.put("animated", info.animated());
        });
        return node;
    }

    private ObjectNode thresholdsJson() {
        ObjectNode node = mapper.createObjectNode();
        node.put("review", settings.reviewAt());
        node.put("reject", settings.rejectAt());
        return node;
    }

    private ObjectNode modelJson(ModelInfo info) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", info.id());
        node.put("name", info.name());
        node.put("version", info.version());
        node.put("engine", info.engine());
        return node;
    }

    /** The encoded image and the name its uploader gave it, if any. */
    private record Upload(byte[] bytes, String name) {
    }

    /** A request answered with a 4xx or 503; {@code file} is the upload's name, if known. */
    private static final class Rejection extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient String file;

        Rejection(int status, String message, String file) {
            super(message, null, false, false);
            this.status = status;
            this.file = file;
        }
    }

    /** Reads the whole body, refusing it as soon as it passes the limit or the deadline. */
    private byte[] readBody(Request request, ContentWaiter waiter, long deadline, String name) throws Rejection {
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 64 * 1024);
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                awaitContent(waiter, deadline, name);
                continue;
            }
            if (Content.Chunk.isFailure(chunk)) {
                throw readFailure(chunk.getFailure(), name);
            }
            try {
                ByteBuffer buffer = chunk.getByteBuffer();
                if (body.size() + (long) buffer.remaining() > settings.maxBodyBytes()) {
                    throw new Rejection(413, tooLargeMessage(), name);
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                body.write(bytes, 0, bytes.length);
                if (chunk.isLast()) {
                    return body.toByteArray();
                }
            } finally {
                chunk.release();
            }
        }
    }

    private void awaitContent(ContentWaiter waiter, long deadline, String name) throws Rejection {
        try {
            if (!waiter.await(deadline)) {
                throw new Rejection(408, "the request body did not arrive within "
                        + settings.requestTimeout().toMillis() + " ms", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Rejection(503, "the server is shutting down", name);
        }
    }

    /**
     * Blocks until the request has content to read. Jetty allows one pending demand per request,
     * so a demand that outlived a timed-out wait is reused rather than registered again.
     */
    private static final class ContentWaiter {
        private final Request request;
        private CountDownLatch pending;

        ContentWaiter(Request request) {
            this.request = request;
        }

        /** Returns false if the deadline passes first. */
        boolean await(long deadline) throws InterruptedException {
            if (pending == null || pending.getCount() == 0) {
                CountDownLatch latch = new CountDownLatch(1);
                pending = latch;
                request.demand(latch::countDown);
            }
            long remaining = deadline - System.nanoTime();
            return remaining > 0 && pending.await(remaining, TimeUnit.NANOSECONDS);
        }
    }

    private Rejection readFailure(Throwable failure, String name) {
        if (failure instanceof TimeoutException) {
            // Jetty's idle timeout, the same limit seen from the connection's side.
            return new Rejection(408, "the request body did not arrive within " + settings.requestTimeout().toMillis()
                    + " ms", name);
        }
        return new Rejection(400, "the request body could not be read: " + failure.getMessage(), name);
    }

    /**
     * Answers a refused request. The rest of the body is read and dropped first, up to
     * {@code maxBodyBytes} more, because most HTTP clients only read the answer once they have sent
     * the whole body: closing on them would look like a dropped request, not a 413 or 503.
     */
    private void reject(Request request, Response response, Callback callback, ContentWaiter waiter, Rejection r,
                        long deadline) {
        if (!drain(request, waiter, deadline)) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        sendJson(response, callback, r.status, error(r.getMessage(), r.file));
    }

    private boolean drain(Request request, ContentWaiter waiter, long deadline) {
        long budget = settings.maxBodyBytes();
        long dropped = 0;
        while (dropped <= budget) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                try {
                    if (!waiter.await(deadline)) {
                        return false;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                continue;
            }
            if (Content.Chunk.isFailure(chunk)) {
                return false;
            }
            dropped += chunk.remaining();
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                return true;
            }
        }
        return false;
    }

    private Upload extractImage(Request request, byte[] body, String name, long deadline) throws Rejection {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            if (body.length == 0) {
                throw new Rejection(400, "empty request body: send the image as the body, or as multipart/form-data "
                        + "in a field named 'image'", name);
            }
            return new Upload(body, name);
        }
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new Rejection(415, "unsupported multipart type; use multipart/form-data", name);
        }
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty()) {
            throw new Rejection(400, "multipart/form-data without a boundary parameter", name);
        }
        MultiPartConfig config = new MultiPartConfig.Builder()
                .maxParts(MAX_PARTS)
                .maxSize(settings.maxBodyBytes())
                .maxPartSize(settings.maxBodyBytes())
                // The body is already in memory and within the limit: keep every part in memory too.
                .maxMemoryPartSize(settings.maxBodyBytes() + 1)
                .build();
        MultiPartFormData.Parts parts;
        try {
            CompletableFuture<MultiPartFormData.Parts> parsed = new CompletableFuture<>();
            MultiPartFormData.onParts(Content.Source.from(ByteBuffer.wrap(body)), new Attributes.Mapped(), contentType,
                    config, Promise.Invocable.toPromise(parsed));
            parts = parsed.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new Rejection(400, "malformed multipart/form-data: " + cause.getMessage(), name);
        } catch (TimeoutException e) {
            throw new Rejection(408, "the multipart body could not be parsed within the request timeout", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Rejection(503, "the server is shutting down", name);
        }
        try (parts) {
            MultiPart.Part part = pickImagePart(parts);
            if (part == null) {
                throw new Rejection(400, "the multipart upload has no file: send the image in a field named 'image'", name);
            }
            String fileName = part.getFileName() != null && !part.getFileName().isBlank()
                    ? baseName(part.getFileName()) : name;
            byte[] bytes;
            try {
                ByteBuffer content = Content.Source.asByteBuffer(part.createContentSource());
                bytes = new byte[content.remaining()];
                content.get(bytes);
            } catch (IOException e) {
                throw new Rejection(400, "malformed multipart/form-data: " + e.getMessage(), fileName);
            }
            if (bytes.length == 0) {
                throw new Rejection(400, "the uploaded file is empty", fileName);
            }
            return new Upload(bytes, fileName);
        }
    }

    private static MultiPart.Part pickImagePart(MultiPartFormData.Parts parts) {
        for (String field : new String[] {"image", "file"}) {
            MultiPart.Part part = parts.getFirst(field);
            if (part != null) {
                return part;
            }
        }
        for (MultiPart.Part part : parts) {
            if (part.getFileName() != null) {
                return part;
            }
        }
        return null;
    }

    private static String queryName(Request request) {
        if (request.getHttpURI().getQuery() == null) {
            return null;
        }
        String name = Request.extractQueryParameters(request).getValue("name");
        return name == null || name.isBlank() ? null : baseName(name);
    }

    /** The last path segment of a client-supplied name, bounded in length: it is only echoed back. */
    private static String baseName(String name) {
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        return base.length() > MAX_NAME_LENGTH ? base.substring(0, MAX_NAME_LENGTH) : base;
    }

    private String tooLargeMessage() {
        return "the request body is larger than the limit of " + settings.maxBodyBytes() + " bytes";
    }

    private ObjectNode error(String message, String file) {
        ObjectNode node = mapper.createObjectNode();
        node.put("error", message);
        node.put("file", file);
        return node;
    }

    private static void sendJson(Response response, Callback callback, int status, ObjectNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }
}
