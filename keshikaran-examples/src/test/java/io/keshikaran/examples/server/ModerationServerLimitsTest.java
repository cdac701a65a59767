package io.keshikaran.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keshikaran.Classifier;
import io.keshikaran.examples.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The overload and timeout paths. A real slow upload (a socket that sends half a body, then
 * waits) holds the only classification slot, so the queue fills deterministically; the test
 * waits for states it can see in {@code /healthz}, never for a fixed time.
 */
class ModerationServerLimitsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Classifier classifier;
    private static HttpClient http;

    @BeforeAll
    static void loadModel() throws Exception {
        classifier = Classifier.builder().build();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void closeModel() {
        classifier.close();
    }

    private static ModerationServer start(int queueSize, Duration queueTimeout, Duration requestTimeout) throws Exception {
        return ModerationServer.builder().setClassifier(classifier).optPort(0)
                .optMaxConcurrent(1).optQueueSize(queueSize).optQueueTimeout(queueTimeout)
                .optRequestTimeout(requestTimeout).optRetryAfter(Duration.ofSeconds(3))
                .build().start();
    }

    /** Polls {@code /healthz} until it shows the expected state; fails after 30 s. */
    private static void awaitHealth(ModerationServer server, Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = MAPPER.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("server never reached: " + what + "; last health: " + last);
    }

    private static HttpRequest smallUpload(ModerationServer server) {
        return Uploads.raw(server.uri(), Fixtures.bytes(Fixtures.image("hedgehog-tiny.png")), "image/png", "hedgehog.png");
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndEveryQueuedRequestIsServedLater() throws Exception {
        byte[] dog = Fixtures.bytes(Fixtures.image("dog.jpg"));
        try (ModerationServer server = start(1, Duration.ofSeconds(60), Duration.ofSeconds(60));
             SlowUpload holder = new SlowUpload(server.uri(), dog, "image/jpeg")) {
            awaitHealth(server, h -> h.path("inFlight").asInt() == 1, "the slow upload holds the slot");
            CompletableFuture<HttpResponse<String>> queued =
                    http.sendAsync(smallUpload(server), HttpResponse.BodyHandlers.ofString());
            awaitHealth(server, h -> h.path("queued").asInt() == 1, "one request waits in the queue");

            HttpResponse<String> turnedAway = http.send(smallUpload(server), HttpResponse.BodyHandlers.ofString());

            assertThat(turnedAway.statusCode()).isEqualTo(503);
            assertThat(turnedAway.headers().firstValue("Retry-After")).hasValue("3");
            JsonNode error = MAPPER.readTree(turnedAway.body());
            assertThat(error.path("error").asText()).contains("busy").contains("1 requests running and 1 waiting");
            assertThat(error.path("file").asText()).isEqualTo("hedgehog.png");

            holder.finish();
            SlowUpload.RawResponse slow = holder.response();
            assertThat(slow.status()).isEqualTo(200);
            assertThat(MAPPER.readTree(slow.body()).path("score").asDouble())
                    .isEqualTo(classifier.classify(Fixtures.image("dog.jpg")).score());
            HttpResponse<String> served = queued.get(60, TimeUnit.SECONDS);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(MAPPER.readTree(served.body()).path("score").asDouble())
                    .isEqualTo(classifier.classify(Fixtures.image("hedgehog-tiny.png")).score());
        }
    }

    @Test
    void aRequestThatWaitsTooLongInTheQueueGets503() throws Exception {
        byte[] dog = Fixtures.bytes(Fixtures.image("dog.jpg"));
        try (ModerationServer server = start(4, Duration.ofMillis(200), Duration.ofSeconds(60));
             SlowUpload holder = new SlowUpload(server.uri(), dog, "image/jpeg")) {
            awaitHealth(server, h -> h.path("inFlight").asInt() == 1, "the slow upload holds the slot");

            HttpResponse<String> timedOut = http.send(smallUpload(server), HttpResponse.BodyHandlers.ofString());

            assertThat(timedOut.statusCode()).isEqualTo(503);
            assertThat(timedOut.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(MAPPER.readTree(timedOut.body()).path("error").asText()).contains("no slot became free within 200 ms");
            holder.finish();
            assertThat(holder.response().status()).isEqualTo(200);
        }
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIs408AndFreesTheSlot() throws Exception {
        byte[] dog = Fixtures.bytes(Fixtures.image("dog.jpg"));
        try (ModerationServer server = start(4, Duration.ofSeconds(60), Duration.ofMillis(500));
             SlowUpload stalled = new SlowUpload(server.uri(), dog, "image/jpeg")) {
            SlowUpload.RawResponse response = stalled.response();

            assertThat(response.status()).isEqualTo(408);
            JsonNode error = MAPPER.readTree(response.body());
            assertThat(error.path("error").asText()).contains("did not arrive within 500 ms");
            assertThat(error.path("file").asText()).isEqualTo("slow.jpg");
            awaitHealth(server, h -> h.path("inFlight").asInt() == 0, "the slot is free again");
            assertThat(http.send(smallUpload(server), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }
}
