package io.keshikaran.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keshikaran.Classification;
import io.keshikaran.ClassificationResult;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.cli.Main;
import io.keshikaran.examples.server.ModerationServer;
import io.keshikaran.spark.KeshikaranScorer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One file, one score: every surface (the library's three entry points, the CLI's JSON, the
 * report's embedded results, the server's raw and multipart uploads, and the Spark scorer) gives
 * each file the same score within 1e-6, and the same error for each bad file. The files cover
 * animations, EXIF rotation, transparency, a photo over 20 megapixels and bad inputs of every kind.
 */
class SurfaceConsistencyTest {
    private static final double TOLERANCE = 1e-6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path folder;
    private static Classifier classifier;
    /** The library's classify(Path) answer per file name: a score, or the error. */
    private static Map<String, Outcome> expected;

    /** A score, or an error's kind and reason. */
    record Outcome(Double score, InvalidImageException.Kind kind, String reason) {
        static Outcome of(Classification c) {
            return new Outcome(c.score(), null, null);
        }

        static Outcome of(InvalidImageException e) {
            return new Outcome(null, e.kind(), e.reason());
        }

        boolean failed() {
            return score == null;
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        Path fixtures = fixtures();
        for (String name : List.of("gif-animated.gif", "gif-animated-disposal.gif", "webp-animated.webp",
                "webp-animated-lossy.webp", "jpeg-exif-orientation-3.jpg", "jpeg-exif-orientation-6.jpg",
                "jpeg-exif-orientation-8.jpg", "png-exif-orientation-6.png", "png-rgba.png", "png-palette-trns.png",
                "png-gray-alpha.png", "webp-lossy-alpha.webp", "webp-lossless-alpha.webp", "jpeg-progressive.jpg",
                "jpeg-cmyk.jpg", "png-16bit.png", "bmp-24.bmp",
                // Bad files: text, random bytes, truncated data, a header over the pixel limit.
                "text.png", "random.bin", "truncated.jpg", "truncated.png", "truncated.webp",
                "gif-claims-65535x65535.gif")) {
            Files.copy(fixtures.resolve("formats").resolve(name), folder.resolve(name));
        }
        for (String name : List.of("dog.jpg", "coffee.png", "horses.jpg", "astronaut.png")) {
            Files.copy(fixtures.resolve("images").resolve(name), folder.resolve(name));
        }
        writeLargePhoto(fixtures.resolve("images/dog.jpg"), folder.resolve("large-21mp.jpg"));
        // An image format keshikaran does not accept.
        ImageIO.write(ImageIO.read(fixtures.resolve("images/coffee.png").toFile()), "tiff", folder.resolve("scan.tif").toFile());

        classifier = Classifier.builder().build();
        expected = new TreeMap<>();
        for (Path file : files()) {
            try {
                expected.put(name(file), Outcome.of(classifier.classify(file)));
            } catch (InvalidImageException e) {
                expected.put(name(file), Outcome.of(e));
            }
        }
        assertThat(expected).hasSizeGreaterThanOrEqualTo(20);
        assertThat(expected.values().stream().filter(Outcome::failed).map(Outcome::kind))
                .contains(InvalidImageException.Kind.NOT_AN_IMAGE, InvalidImageException.Kind.CORRUPT,
                        InvalidImageException.Kind.TOO_LARGE, InvalidImageException.Kind.UNSUPPORTED_FORMAT);
        Classification large = classifier.classify(folder.resolve("large-21mp.jpg"));
        assertThat((long) large.image().orElseThrow().width() * large.image().orElseThrow().height())
                .isGreaterThan(20_000_000L);
        assertThat(classifier.classify(folder.resolve("gif-animated.gif")).frames()).hasSizeGreaterThan(1);
    }

    @AfterAll
    static void tearDown() {
        if (classifier != null) {
            classifier.close();
        }
    }

    /** 5600x3800: dog.jpg scaled up, as a phone photo of over 20 megapixels. */
    private static void writeLargePhoto(Path source, Path target) throws IOException {
        BufferedImage small = ImageIO.read(source.toFile());
        BufferedImage large = new BufferedImage(5600, 3800, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = large.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(small, 0, 0, 5600, 3800, null);
        g.dispose();
        ImageIO.write(large, "jpeg", target.toFile());
    }

    private static Path fixtures() {
        String dir = System.getProperty("keshikaran.fixtures");
        return dir != null ? Path.of(dir) : Path.of("..", "fixtures");
    }

    private static List<Path> files() throws IOException {
        try (var list = Files.list(folder)) {
            return list.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }

    private static String baseName(String path) {
        return path.substring(path.replace('\\', '/').lastIndexOf('/') + 1);
    }

    /** Every file has an answer on the surface, and it matches the library's. */
    private static void assertSame(String surface, Map<String, Outcome> actual) {
        assertThat(actual.keySet()).as(surface + ": files answered").containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((file, want) -> {
            Outcome got = actual.get(file);
            if (want.failed()) {
                assertThat(got.failed()).as(surface + ": " + file + " must fail").isTrue();
                if (got.kind() != null) {
                    assertThat(got.kind()).as(surface + ": " + file + " error kind").isEqualTo(want.kind());
                }
                if (got.reason() != null) {
                    assertThat(got.reason()).as(surface + ": " + file + " error").isEqualTo(want.reason());
                }
            } else {
                assertThat(got.score()).as(surface + ": " + file + " score").isNotNull()
                        .isCloseTo(want.score(), org.assertj.core.data.Offset.offset(TOLERANCE));
            }
        });
    }

    @Test
    void libraryBytesAndBatchAgreeWithLibraryPath() throws Exception {
        Map<String, Outcome> bytes = new TreeMap<>();
        for (Path file : files()) {
            try {
                bytes.put(name(file), Outcome.of(classifier.classify(Files.readAllBytes(file), name(file))));
            } catch (InvalidImageException e) {
                bytes.put(name(file), Outcome.of(e));
            }
        }
        assertSame("classify(byte[])", bytes);

        Map<String, Outcome> batch = new TreeMap<>();
        for (ClassificationResult r : classifier.classifyAll(files())) {
            batch.put(baseName(r.source()), r.classification().map(Outcome::of)
                    .orElseGet(() -> Outcome.of(r.error().orElseThrow())));
        }
        assertSame("classifyAll", batch);
    }

    @Test
    void cliJsonAgrees() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine command = Main.newCommandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(new StringWriter()));
        int exit = command.execute("--json", "--include", "*", folder.toString());
        assertThat(exit).isEqualTo(3); // some inputs failed, the others were classified
        Map<String, Outcome> cli = new TreeMap<>();
        for (String line : out.toString().strip().split("\n")) {
            JsonNode node = JSON.readTree(line);
            cli.put(baseName(node.path("file").asText()), outcome(node));
        }
        assertSame("CLI --json", cli);
    }

    @Test
    void reportEmbeddedResultsAgree() throws Exception {
        Path html = folder.getParent().resolve("consistency-report-" + ProcessHandle.current().pid() + ".html");
        CommandLine cli = Main.newCommandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));
        try {
            int exit = cli.execute("report", "--include", "*", folder.toString(), "-o", html.toString());
            assertThat(exit).isEqualTo(3);
            Matcher m = Pattern.compile("<script type=\"application/json\" id=\"keshikaran-results\">(.*?)</script>",
                    Pattern.DOTALL).matcher(Files.readString(html));
            assertThat(m.find()).isTrue();
            Map<String, Outcome> report = new TreeMap<>();
            for (JsonNode node : JSON.readTree(m.group(1))) {
                report.put(baseName(node.path("file").asText()), outcome(node));
            }
            assertSame("report", report);
        } finally {
            Files.deleteIfExists(html);
        }
    }

    /** A CLI or report JSON object: a score, or an error with its kind. */
    private static Outcome outcome(JsonNode node) {
        if (node.hasNonNull("score")) {
            return new Outcome(node.get("score").asDouble(), null, null);
        }
        return new Outcome(null, InvalidImageException.Kind.valueOf(node.path("kind").asText().toUpperCase(Locale.ROOT)),
                node.path("error").asText());
    }

    @Test
    void serverRawAndMultipartUploadsAgree() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (ModerationServer server = ModerationServer.builder().setClassifier(classifier).optPort(0)
                .optMaxBodyBytes(64L * 1024 * 1024).build().start()) {
            Map<String, Outcome> raw = new TreeMap<>();
            Map<String, Outcome> multipart = new TreeMap<>();
            Map<String, Integer> statuses = new TreeMap<>();
            for (Path file : files()) {
                URI uri = server.uri().resolve("/v1/classify?name=" + URLEncoder.encode(name(file), StandardCharsets.UTF_8));
                HttpRequest rawRequest = HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
                HttpResponse<String> rawResponse = http.send(rawRequest, HttpResponse.BodyHandlers.ofString());
                statuses.put(name(file), rawResponse.statusCode());
                raw.put(name(file), serverOutcome(rawResponse));

                String boundary = "keshikaran-consistency-boundary";
                byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
                        + name(file) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
                byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
                HttpRequest multipartRequest = HttpRequest.newBuilder(server.uri().resolve("/v1/classify"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, Files.readAllBytes(file), tail)))
                        .build();
                multipart.put(name(file), serverOutcome(http.send(multipartRequest, HttpResponse.BodyHandlers.ofString())));
            }
            assertSame("server raw", raw);
            assertSame("server multipart", multipart);
            // The documented status for each kind of bad upload (ModerationServer's Javadoc).
            expected.forEach((file, want) -> {
                int status = !want.failed() ? 200 : switch (want.kind()) {
                    case NOT_AN_IMAGE, UNSUPPORTED_FORMAT -> 415;
                    case TOO_LARGE -> 413;
                    case CORRUPT, UNREADABLE -> 422;
                };
                assertThat(statuses.get(file)).as("server status for " + file).isEqualTo(status);
            });
        }
    }

    /** The server's answer: a score, or the reason with the kind the status stands for. */
    private static Outcome serverOutcome(HttpResponse<String> response) throws IOException {
        JsonNode node = JSON.readTree(response.body());
        if (response.statusCode() == 200) {
            return new Outcome(node.get("score").asDouble(), null, null);
        }
        assertThat(response.statusCode()).isIn(413, 415, 422);
        return new Outcome(null, null, node.path("error").asText());
    }

    @Test
    void sparkScorerAgrees() {
        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .appName("keshikaran-consistency")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "1")
                .getOrCreate();
        try {
            Dataset<Row> files = spark.read().format("binaryFile").load(folder.toString());
            Map<String, Outcome> scored = new TreeMap<>();
            for (Row row : KeshikaranScorer.builder().build().score(files).collectAsList()) {
                String file = baseName(row.getString(row.fieldIndex("path")));
                scored.put(file, row.isNullAt(row.fieldIndex("score"))
                        ? new Outcome(null, null, row.getString(row.fieldIndex("error")))
                        : new Outcome(row.getDouble(row.fieldIndex("score")), null, null));
            }
            assertSame("Spark", scored);
        } finally {
            spark.stop();
        }
    }
}
