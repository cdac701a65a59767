package io.keshikaran.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.examples.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every endpoint and every error mapping, over real HTTP against a running server. */
class ModerationServerTest {
    static final int MAX_BODY = 1024 * 1024;

    private static Classifier classifier;
    private static ModerationServer server;
    private static HttpClient http;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        classifier = Classifier.builder().optImageLimits(ImageLimits.defaults().withMaxPixels(4_000_000)).build();
        server = ModerationServer.builder().setClassifier(classifier).optPort(0)
                .optMaxBodyBytes(MAX_BODY).build().start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        classifier.close();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return MAPPER.readTree(response.body());
    }

    private static void assertMatchesLibrary(JsonNode node, Path image) throws Exception {
        Classification expected = classifier.classify(image);
        assertThat(node.path("score").asDouble()).isEqualTo(expected.score());
        for (var e : expected.probabilities().entrySet()) {
            assertThat((float) node.path("probabilities").path(e.getKey()).asDouble()).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(node.path("topLabel").asText()).isEqualTo(expected.topLabel());
        String decision = expected.score() >= 0.8 ? "reject" : expected.score() >= 0.4 ? "review" : "accept";
        assertThat(node.path("decision").asText()).isEqualTo(decision);
    }

    @Test
    void rawUploadIsScoredLikeTheLibraryDoes() throws Exception {
        Path dog = Fixtures.image("dog.jpg");
        HttpResponse<String> response = send(Uploads.raw(server.uri(), Fixtures.bytes(dog), "image/jpeg", "dog.jpg"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode node = json(response);
        assertMatchesLibrary(node, dog);
        assertThat(node.path("file").asText()).isEqualTo("dog.jpg");
        assertThat(node.path("model").path("id").asText()).isEqualTo(classifier.model().id());
        assertThat(node.path("model").path("engine").asText()).isEqualTo(classifier.model().engine());
        assertThat(node.path("thresholds").path("review").asDouble()).isEqualTo(0.4);
        assertThat(node.path("thresholds").path("reject").asDouble()).isEqualTo(0.8);
        assertThat(node.path("scoreLabels")).extracting(JsonNode::asText).containsExactly("Hentai", "Porn", "Sexy");
        BufferedImage decoded = ImageIO.read(dog.toFile());
        assertThat(node.path("image").path("width").asInt()).isEqualTo(decoded.getWidth());
        assertThat(node.path("image").path("height").asInt()).isEqualTo(decoded.getHeight());
        for (String field : new String[] {"queueMs", "receiveMs", "classifyMs", "totalMs"}) {
            assertThat(node.path("timing").path(field).isNumber()).as(field).isTrue();
        }
    }

    @Test
    void rawUploadNeedsNoContentTypeAndNoName() throws Exception {
        Path png = Fixtures.image("cartoon-watermill.png");
        HttpResponse<String> response = send(Uploads.raw(server.uri(), Fixtures.bytes(png), null, null));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode node = json(response);
        assertMatchesLibrary(node, png);
        assertThat(node.path("file").isNull()).isTrue();
    }

    @Test
    void multipartUploadIsScoredAndNamedAfterTheFile() throws Exception {
        Path image = Fixtures.image("dog-german-shepherd.jpg");
        HttpResponse<String> response = send(Uploads.multipart(server.uri(), "image", "shepherd.jpg", "image/jpeg",
                Fixtures.bytes(image)));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode node = json(response);
        assertMatchesLibrary(node, image);
        assertThat(node.path("file").asText()).isEqualTo("shepherd.jpg");
    }

    @Test
    void multipartFileFieldMayHaveAnotherName() throws Exception {
        Path image = Fixtures.image("astronaut.png");
        HttpResponse<String> response = send(Uploads.multipart(server.uri(), "upload", "a.png", "image/png",
                Fixtures.bytes(image)));
        assertThat(response.statusCode()).isEqualTo(200);
        assertMatchesLibrary(json(response), image);
    }

    private static JsonNode expectError(HttpRequest request, int status) throws Exception {
        HttpResponse<String> response = send(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode node = json(response);
        assertThat(node.path("error").asText()).isNotBlank();
        assertThat(node.has("file")).isTrue();
        return node;
    }

    @Test
    void emptyBodyIs400() throws Exception {
        JsonNode node = expectError(Uploads.raw(server.uri(), new byte[0], "image/jpeg", "empty.jpg"), 400);
        assertThat(node.path("error").asText()).startsWith("empty request body");
        assertThat(node.path("file").asText()).isEqualTo("empty.jpg");
    }

    @Test
    void textIs415() throws Exception {
        JsonNode node = expectError(Uploads.raw(server.uri(), Fixtures.bytes(Fixtures.format("text.png")), "image/png",
                "text.png"), 415);
        assertThat(node.path("error").asText()).isEqualTo("not an image (the content is text)");
        assertThat(node.path("file").asText()).isEqualTo("text.png");
    }

    @Test
    void randomBytesAre415() throws Exception {
        JsonNode node = expectError(Uploads.raw(server.uri(), Fixtures.bytes(Fixtures.format("random.bin")),
                "application/octet-stream", null), 415);
        assertThat(node.path("error").asText()).startsWith("not a recognised image format");
        assertThat(node.path("file").isNull()).isTrue();
    }

    @Test
    void truncatedJpegIs422() throws Exception {
        JsonNode node = expectError(Uploads.raw(server.uri(), Fixtures.bytes(Fixtures.format("truncated.jpg")),
                "image/jpeg", "truncated.jpg"), 422);
        assertThat(node.path("error").asText()).contains("truncated");
    }

    @Test
    void tooManyPixelsIs413() throws Exception {
        JsonNode node = expectError(Uploads.raw(server.uri(), Fixtures.bytes(Fixtures.format("jpeg-claims-65500x65500.jpg")),
                "image/jpeg", "huge.jpg"), 413);
        assertThat(node.path("error").asText()).contains("over the limit of 4000000 pixels");
    }

    @Test
    void oversizedBodyIs413WhateverItsDeclaredLength() throws Exception {
        byte[] big = new byte[MAX_BODY + 1];
        new Random(1).nextBytes(big);
        JsonNode declared = expectError(Uploads.raw(server.uri(), big, "image/jpeg", "big.jpg"), 413);
        assertThat(declared.path("error").asText()).contains("larger than the limit of " + MAX_BODY + " bytes");
        // Without a Content-Length the limit is found while the body streams in.
        HttpRequest chunked = HttpRequest.newBuilder(Uploads.classifyUri(server.uri(), "big.jpg"))
                .timeout(Uploads.TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();
        JsonNode streamed = expectError(chunked, 413);
        assertThat(streamed.path("file").asText()).isEqualTo("big.jpg");
        // And the connection still works for the next request.
        assertThat(send(Uploads.raw(server.uri(), Fixtures.bytes(Fixtures.image("dog.jpg")), "image/jpeg", null))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void malformedMultipartIs400() throws Exception {
        byte[] dog = Fixtures.bytes(Fixtures.image("dog.jpg"));
        assertThat(expectError(Uploads.multipartWithoutBoundary(server.uri(), dog), 400).path("error").asText())
                .contains("boundary");
        assertThat(expectError(Uploads.multipartWithoutFile(server.uri()), 400).path("error").asText())
                .contains("has no file");
        expectError(Uploads.multipartGarbage(server.uri(), dog), 400);
        byte[] cut = Arrays.copyOf(Uploads.multipartBody("image", "dog.jpg", "image/jpeg", dog), 5000);
        expectError(HttpRequest.newBuilder(Uploads.classifyUri(server.uri(), null)).timeout(Uploads.TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=keshikaran-test-boundary-7MA4YWxkTrZu0gW")
                .POST(HttpRequest.BodyPublishers.ofByteArray(cut)).build(), 400);
    }

    @Test
    void multipartWithABrokenImageIsJudgedByTheImage() throws Exception {
        JsonNode node = expectError(Uploads.multipart(server.uri(), "image", "half.jpg", "image/jpeg",
                Fixtures.bytes(Fixtures.format("truncated.jpg"))), 422);
        assertThat(node.path("file").asText()).isEqualTo("half.jpg");
        JsonNode empty = expectError(Uploads.multipart(server.uri(), "image", "none.jpg", "image/jpeg", new byte[0]), 400);
        assertThat(empty.path("error").asText()).isEqualTo("the uploaded file is empty");
    }

    @Test
    void unknownPathsAndWrongMethodsAreJsonErrors() throws Exception {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(server.uri().resolve("v2/nothing")).GET().build());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").asText()).contains("/v2/nothing");
        HttpResponse<String> get = send(HttpRequest.newBuilder(server.uri().resolve("v1/classify")).GET().build());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(json(get).path("error").asText()).contains("use POST");
    }

    @Test
    void malformedHttpIsAJson400FromJettyItself() throws Exception {
        try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write("THIS IS NOT HTTP\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            SlowUpload.RawResponse response = SlowUpload.RawResponse.parse(answer);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.headers().get("content-type")).startsWith("application/json");
            assertThat(MAPPER.readTree(response.body()).path("error").asText()).isNotBlank();
        }
    }

    @Test
    void healthReportsModelLoadAndLimits() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.uri().resolve("healthz")).GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode node = json(response);
        assertThat(node.path("status").asText()).isEqualTo("ok");
        // The version the build filtered in, the pom's: the surefire JVM sees it as this system property.
        assertThat(node.path("libraryVersion").asText()).isEqualTo(System.getProperty("keshikaran.version"))
                .matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(node.path("model").path("id").asText()).isEqualTo(classifier.model().id());
        assertThat(node.path("inFlight").asInt()).isZero();
        assertThat(node.path("queued").asInt()).isZero();
        assertThat(node.path("limits").path("maxBodyBytes").asLong()).isEqualTo(MAX_BODY);
        assertThat(node.path("limits").path("maxPixels").asLong()).isEqualTo(4_000_000);
    }

    @Test
    void uploadPageIsOneSelfContainedHtmlFile() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(server.uri()).GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(response.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'none'").contains("connect-src 'self'");
        assertThat(response.body()).contains("<input id=\"file\" type=\"file\"").contains("v1/classify")
                .doesNotContainPattern("(?i)(src|href)=\"(https?:)?//").doesNotContain("<link");
    }

    @Test
    void builderValidatesSettings() {
        assertThatThrownBy(() -> ModerationServer.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setClassifier");
        assertThatThrownBy(() -> ModerationServer.builder().setClassifier(classifier).optThresholds(0.9, 0.1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModerationServer.builder().setClassifier(classifier).optMaxConcurrent(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrent");
        assertThatThrownBy(() -> ModerationServer.builder().setClassifier(classifier).optQueueSize(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueSize");
        assertThatThrownBy(() -> ModerationServer.builder().setClassifier(classifier)
                .optRequestTimeout(java.time.Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
    }

    @Test
    void aTakenPortIsAClearError() {
        ModerationServer second = ModerationServer.builder().setClassifier(classifier).optPort(server.port()).build();
        assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + server.port());
        URI unused = server.uri();
        assertThat(unused.getPort()).isEqualTo(server.port());
    }
}
