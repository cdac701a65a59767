package io.keshikaran.examples.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The whole application on a real server at 127.0.0.1, driven through MockMvc and over HTTP. The
 * fixtures hold no explicit images, so the thresholds are lowered until a safe photo crosses them:
 * the German shepherd scores 0.23 with the default model, the small dog 0.06.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "keshikaran.review-threshold=0.05", "keshikaran.reject-threshold=0.2"})
class UploadApplicationTest {

    private static final Path FIXTURES = Path.of(System.getProperty("keshikaran.fixtures", "fixtures"), "images");
    private static final byte[] TEXT = "name,size\ndog.jpg,1234\n".getBytes(StandardCharsets.UTF_8);

    @Autowired
    private Classifier classifier;        // what the user gets: the shared, auto-configured classifier
    @Autowired
    private WebApplicationContext context;
    @Autowired
    private Environment environment;

    private MockMvc mvc;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).build();
    }

    private static byte[] image(String name) throws IOException {
        return Files.readAllBytes(FIXTURES.resolve(name));
    }

    @Test
    void theAutowiredClassifierIsTheConfiguredOne() throws Exception {
        assertThat(classifier.model().name()).isEqualTo("mobilenet_v2_mid");
        assertThat(classifier.model().engine()).isEqualTo("onnxruntime");
        assertThat(classifier.classify(FIXTURES.resolve("dog.jpg")).score()).isLessThan(0.2);
    }

    @Test
    void requestPartAcceptRejectAndUndecodable() throws Exception {
        mvc.perform(multipart("/images").file(new MockMultipartFile("image", "dog.jpg", "image/jpeg", image("dog.jpg"))))
                .andExpect(status().isOk()).andExpect(jsonPath("$.accepted").value("dog.jpg"));

        Classification shepherd = classifier.classify(FIXTURES.resolve("dog-german-shepherd.jpg"));
        mvc.perform(multipart("/images").file(new MockMultipartFile("image", "shepherd.jpg", "image/jpeg",
                        image("dog-german-shepherd.jpg"))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0]").value(String.format(Locale.ROOT,
                        "image is not allowed: it scores %.2f (mostly %s), the limit is below 0.20",
                        shepherd.score(), shepherd.topLabel())));

        mvc.perform(multipart("/images").file(new MockMultipartFile("image", "list.jpg", "image/jpeg", TEXT)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0]").value("not a usable image: not an image (the content is text)"));

        mvc.perform(multipart("/images").file(new MockMultipartFile("image", "list.jpg", "image/jpeg", TEXT))
                        .header("Accept-Language", "de"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0]").value("kein verwendbares Bild: not an image (the content is text)"));
    }

    @Test
    void validFormObject() throws Exception {
        mvc.perform(multipart("/listings").file(new MockMultipartFile("photo", "dog.jpg", "image/jpeg", image("dog.jpg")))
                        .param("title", "my dog"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.decision").value("review"));
        mvc.perform(multipart("/listings").file(new MockMultipartFile("photo", "shepherd.jpg", "image/jpeg",
                        image("dog-german-shepherd.jpg"))).param("title", "another dog"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("image is not allowed: it scores 0.")));
        byte[] truncated = java.util.Arrays.copyOf(image("dog.jpg"), 700);
        mvc.perform(multipart("/listings").file(new MockMultipartFile("photo", "cut.jpg", "image/jpeg", truncated))
                        .param("title", "cut"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0]").value(org.hamcrest.Matchers.startsWith("not a usable image: corrupt or truncated")));
    }

    @Test
    void realHttpUploadsHealthAndMetrics() throws Exception {
        double reviews = metric("keshikaran.decisions?tag=decision:review");
        double notImages = metric("keshikaran.errors?tag=kind:not_an_image");

        HttpResponse<String> ok = post("/images", "dog.jpg", image("dog.jpg"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"accepted\":\"dog.jpg\"");
        HttpResponse<String> bad = post("/images", "notes.jpg", TEXT);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("not a usable image: not an image (the content is text)");

        // dog.jpg scores 0.06: between the review (0.05) and reject (0.2) thresholds of this test.
        assertThat(metric("keshikaran.decisions?tag=decision:review")).isEqualTo(reviews + 1);
        assertThat(metric("keshikaran.errors?tag=kind:not_an_image")).isEqualTo(notImages + 1);
        assertThat(metric("keshikaran.classification?tag=outcome:success&tag=model:mobilenet_v2_mid")).isPositive();
        assertThat(metric("keshikaran.classification?tag=outcome:invalid_image")).isPositive();
        assertThat(metric("keshikaran.score")).isPositive();

        HttpResponse<String> health = get("/actuator/health/keshikaran");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"loaded\":true")
                .contains("\"model\":\"mobilenet_v2_mid\"").contains("\"engine\":\"onnxruntime\"")
                .contains("\"version\":\"" + classifier.model().version() + "\"").contains("\"inFlight\":0");
    }

    private String base() {
        return "http://127.0.0.1:" + environment.getProperty("local.server.port");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The COUNT statistic of a meter, from the Actuator's metrics endpoint. */
    private double metric(String query) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/actuator/metrics/" + query);
        assertThat(r.statusCode()).as("%s: %s", query, r.body()).isEqualTo(200);
        Matcher m = Pattern.compile("\"statistic\":\"COUNT\",\"value\":([0-9.Ee+-]+)").matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private HttpResponse<String> post(String path, String filename, byte[] content) throws IOException, InterruptedException {
        String boundary = "keshikaran-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
                + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
