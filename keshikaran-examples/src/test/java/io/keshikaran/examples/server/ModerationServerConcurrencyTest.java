package io.keshikaran.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keshikaran.Classifier;
import io.keshikaran.examples.Fixtures;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 32 clients at once, over real HTTP, each sending a mix of valid images and malformed uploads.
 * Every valid upload must get 200 and exactly the library's score; every malformed one its 4xx;
 * nothing may get a 5xx or go unanswered.
 */
class ModerationServerConcurrencyTest {
    private static final int CLIENTS = 32;
    private static final int REQUESTS_PER_CLIENT = 20;
    private static final int MAX_BODY = 1024 * 1024;

    /** One kind of request and what the server must answer to it. */
    private record Case(String name, Function<URI, HttpRequest> request, int status, Double score) {
    }

    private static List<Case> cases(Classifier classifier) throws Exception {
        List<Case> cases = new ArrayList<>();
        for (String image : List.of("dog.jpg", "astronaut.png", "cartoon-watermill.png", "grace-hopper.jpg",
                "dog-german-shepherd.jpg", "hedgehog-tiny.png")) {
            Path path = Fixtures.image(image);
            byte[] bytes = Fixtures.bytes(path);
            double score = classifier.classify(path).score();
            String type = image.endsWith(".png") ? "image/png" : "image/jpeg";
            cases.add(new Case("raw " + image, base -> Uploads.raw(base, bytes, type, image), 200, score));
            cases.add(new Case("multipart " + image, base -> Uploads.multipart(base, "image", image, type, bytes), 200, score));
        }
        for (String other : List.of("webp-lossy.webp", "gif-static.gif", "bmp-24.bmp")) {
            Path path = Fixtures.format(other);
            byte[] bytes = Fixtures.bytes(path);
            cases.add(new Case("raw " + other, base -> Uploads.raw(base, bytes, null, other), 200,
                    classifier.classify(path).score()));
        }
        byte[] text = Fixtures.bytes(Fixtures.format("text.png"));
        byte[] truncated = Fixtures.bytes(Fixtures.format("truncated.jpg"));
        byte[] random = new byte[64 * 1024];
        new Random(42).nextBytes(random);
        byte[] oversized = Arrays.copyOf(random, MAX_BODY + 4096);
        byte[] dog = Fixtures.bytes(Fixtures.image("dog.jpg"));
        cases.add(new Case("empty body", base -> Uploads.raw(base, new byte[0], "image/jpeg", null), 400, null));
        cases.add(new Case("text", base -> Uploads.raw(base, text, "text/plain", null), 415, null));
        cases.add(new Case("truncated jpeg", base -> Uploads.raw(base, truncated, "image/jpeg", null), 422, null));
        cases.add(new Case("random bytes", base -> Uploads.raw(base, random, "application/octet-stream", null), 415, null));
        cases.add(new Case("oversized body", base -> Uploads.raw(base, oversized, "image/jpeg", null), 413, null));
        cases.add(new Case("multipart without boundary", base -> Uploads.multipartWithoutBoundary(base, dog), 400, null));
        cases.add(new Case("multipart without file", Uploads::multipartWithoutFile, 400, null));
        cases.add(new Case("multipart garbage", base -> Uploads.multipartGarbage(base, dog), 400, null));
        cases.add(new Case("multipart truncated image",
                base -> Uploads.multipart(base, "image", "t.jpg", "image/jpeg", truncated), 422, null));
        return cases;
    }

    @Test
    void thirtyTwoClientsSendingGoodAndBadUploadsAllGetTheRightAnswer() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        try (Classifier classifier = Classifier.builder().build();
             ModerationServer server = ModerationServer.builder().setClassifier(classifier).optPort(0)
                     .optMaxBodyBytes(MAX_BODY)
                     // Room for every client in the queue: this test is about correctness under
                     // concurrency; the 503 path has its own test.
                     .optQueueSize(CLIENTS).optQueueTimeout(Duration.ofSeconds(120))
                     .optRequestTimeout(Duration.ofSeconds(120))
                     .build().start()) {
            List<Case> cases = cases(classifier);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(30)).build();
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger clientErrors = new AtomicInteger();
            AtomicInteger serverErrors = new AtomicInteger();
            AtomicInteger dropped = new AtomicInteger();
            AtomicInteger validSent = new AtomicInteger();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                        // Each client walks the cases from its own starting point, so at any moment
                        // valid and malformed uploads of every kind are in flight together.
                        Case k = cases.get((client * 7 + r) % cases.size());
                        if (k.status() == 200) {
                            validSent.incrementAndGet();
                        }
                        HttpResponse<String> response;
                        try {
                            response = http.send(k.request().apply(server.uri()), HttpResponse.BodyHandlers.ofString());
                        } catch (Exception e) {
                            dropped.incrementAndGet();
                            problems.add(k.name() + ": no answer: " + e);
                            continue;
                        }
                        int status = response.statusCode();
                        if (status >= 500) {
                            serverErrors.incrementAndGet();
                        } else if (status >= 400) {
                            clientErrors.incrementAndGet();
                        }
                        try {
                            JsonNode body = mapper.readTree(response.body());
                            if (status != k.status()) {
                                problems.add(k.name() + ": expected " + k.status() + ", got " + status + " " + response.body());
                            } else if (status == 200 && body.path("score").asDouble() != k.score()) {
                                problems.add(k.name() + ": score " + body.path("score") + " instead of " + k.score());
                            } else if (status == 200) {
                                ok.incrementAndGet();
                            } else if (body.path("error").asText().isBlank()) {
                                problems.add(k.name() + ": " + status + " without an error message");
                            }
                        } catch (Exception e) {
                            problems.add(k.name() + ": answer is not JSON: " + response.body());
                        }
                    }
                });
            }
            go.countDown();
            clients.shutdown();
            assertThat(clients.awaitTermination(10, TimeUnit.MINUTES)).as("all clients finished").isTrue();

            int total = CLIENTS * REQUESTS_PER_CLIENT;
            System.out.printf(Locale.ROOT, "concurrency: %d requests from %d clients, %d ok, %d 4xx, %d 5xx, %d dropped, "
                            + "%d wrong answers (%d valid uploads sent)%n", total, CLIENTS, ok.get(), clientErrors.get(),
                    serverErrors.get(), dropped.get(), problems.size(), validSent.get());
            assertThat(problems).isEmpty();
            assertThat(serverErrors.get()).isZero();
            assertThat(dropped.get()).isZero();
            assertThat(ok.get()).isEqualTo(validSent.get());
            assertThat(ok.get() + clientErrors.get()).isEqualTo(total);
            assertThat(clientErrors.get()).isEqualTo(total - validSent.get()).isPositive();
        }
    }
}
