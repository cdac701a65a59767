package io.keshikaran.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CLI on every kind of image input (fixtures/formats): animations with per-frame JSON, the
 * pixel-semantics flags, standard input, and bad inputs that must each get one line on stderr
 * while the batch goes on.
 */
class ImageInputsCommandTest {

    private static Path format(String name) {
        return Path.of(System.getProperty("keshikaran.fixtures", "../fixtures"), "formats", name);
    }

    @Test
    void animatedInputsListEveryFrameInJson() throws Exception {
        CliRun run = CliRun.of("--json", format("gif-animated.gif").toString(), format("jpeg-baseline.jpg").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode gif = run.jsonLines().get(0);
        JsonNode frames = gif.path("frames");
        assertThat(frames.size()).isEqualTo(3);
        double max = 0;
        for (int i = 0; i < 3; i++) {
            assertThat(frames.get(i).path("index").asInt()).isEqualTo(i);
            max = Math.max(max, frames.get(i).path("score").asDouble());
        }
        assertThat(gif.path("score").asDouble()).isEqualTo(max);
        assertThat(run.jsonLines().get(1).has("frames")).as("still images have no frames").isFalse();
    }

    @Test
    void frameFlagsChooseSamplingAndAggregate() throws Exception {
        String webp = format("webp-animated.webp").toString();
        JsonNode mean = CliRun.of("--json", "--frame-aggregate", "mean", webp).jsonLines().get(0);
        double sum = 0;
        for (JsonNode f : mean.path("frames")) {
            sum += f.path("score").asDouble();
        }
        assertThat(mean.path("score").asDouble()).isCloseTo(sum / 3, within(1e-9));
        JsonNode stepped = CliRun.of("--json", "--frame-step", "2", webp).jsonLines().get(0);
        assertThat(stepped.path("frames").findValuesAsText("index")).containsExactly("0", "2");
        JsonNode first = CliRun.of("--json", "--max-frames", "1", webp).jsonLines().get(0);
        assertThat(first.path("frames").size()).isEqualTo(1);
        assertThat(CliRun.of("--max-frames", "0", webp).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("--frame-aggregate", "median", webp).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void orientationAndTransparencyFlagsChangeThePixels() throws Exception {
        // A lossless PNG storing the photo turned, with EXIF orientation 6: applying the tag gives
        // exactly the upright photo's probabilities; ignoring it does not.
        String rotated = format("png-exif-orientation-6.png").toString();
        JsonNode applied = CliRun.of("--json", rotated).jsonLines().get(0).path("probabilities");
        JsonNode ignored = CliRun.of("--json", "--exif-orientation", "ignore", rotated).jsonLines().get(0).path("probabilities");
        JsonNode upright = CliRun.of("--json", format("png-named-as.jpg").toString()).jsonLines().get(0).path("probabilities");
        assertThat(distance(applied, upright)).isLessThan(1e-6);
        assertThat(distance(ignored, upright)).isGreaterThan(1e-3);

        String rgba = format("alpha/grace-hopper-frame.png").toString();
        double fill = CliRun.of("--json", rgba).jsonLines().get(0).path("score").asDouble();
        double keep = CliRun.of("--json", "--transparency", "keep", rgba).jsonLines().get(0).path("score").asDouble();
        double black = CliRun.of("--json", "--background", "#000000", rgba).jsonLines().get(0).path("score").asDouble();
        assertThat(fill).isNotEqualTo(keep);
        // The file stores black under its transparent frame: filling with black is keeping it.
        assertThat(black).isCloseTo(keep, within(1e-6));
        assertThat(CliRun.of("--background", "pink", rgba).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("--transparency", "maybe", rgba).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    private static double distance(JsonNode a, JsonNode b) {
        double sum = 0;
        for (var it = a.fieldNames(); it.hasNext(); ) {
            String label = it.next();
            sum += Math.abs(a.path(label).asDouble() - b.path(label).asDouble());
        }
        return sum / 2;
    }

    @Test
    void dashReadsTheImageFromStandardInput() throws Exception {
        byte[] webp = Files.readAllBytes(format("webp-lossy.webp"));
        CliRun run = CliRun.withStdin(webp, "-");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).matches("0\\.\\d\\d\\R");
        CliRun json = CliRun.withStdin(Files.readAllBytes(format("gif-animated.gif")), "--json", "-");
        assertThat(json.jsonLines().get(0).path("file").asText()).isEqualTo("-");
        assertThat(json.jsonLines().get(0).path("frames").size()).isEqualTo(3);
        CliRun empty = CliRun.withStdin(new byte[0], "-");
        assertThat(empty.exitCode()).isEqualTo(ExitCodes.ALL_FAILED);
        assertThat(empty.err()).contains("keshikaran: -: empty file");
    }

    @Test
    void everyKindOfBadInputGetsOneLineAndTheBatchGoesOn() throws Exception {
        String[][] cases = {
            {"empty.jpg", "empty file"},
            {"truncated.jpg", "corrupt or truncated JPEG data"},
            {"truncated.png", "corrupt or truncated PNG data"},
            {"truncated.webp", "corrupt or truncated WEBP data"},
            {"truncated-animated.gif", "corrupt or truncated GIF data (frame 1)"},
            {"random.bin", "not a recognised image format"},
            {"text.png", "not an image (the content is text)"},
            {"missing.jpg", "no such file"},
            {"png-claims-100000x100000.png", "over the limit of 100000000 pixels"},
        };
        List<String> args = new ArrayList<>(List.of("--json"));
        for (String[] c : cases) {
            args.add(format(c[0]).toString());
        }
        args.add(format("jpeg-baseline.jpg").toString());
        boolean proc = Files.exists(Path.of("/proc/self/mem"));
        if (proc) {
            args.add("/proc/self/mem"); // a file whose read fails, even for root
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).isEqualTo(ExitCodes.SOME_FAILED);
        List<String> errLines = run.err().lines().filter(l -> l.startsWith("keshikaran: ")).toList();
        for (String[] c : cases) {
            assertThat(errLines).as(c[0]).anySatisfy(l -> assertThat(l).startsWith("keshikaran: " + format(c[0]) + ": ").contains(c[1]));
        }
        if (proc) {
            assertThat(errLines).anySatisfy(l -> assertThat(l).isEqualTo("keshikaran: /proc/self/mem: cannot read file: Input/output error"));
        }
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        List<JsonNode> json = run.jsonLines();
        assertThat(json).hasSize(cases.length + 1 + (proc ? 1 : 0));
        assertThat(json).filteredOn(n -> n.has("score")).hasSize(1);

        // --verbose adds the stack traces.
        CliRun verbose = CliRun.of("--verbose", format("truncated.jpg").toString(), format("jpeg-baseline.jpg").toString());
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(verbose.err()).contains("InvalidImageException").contains("\tat ");
    }

    @Test
    void aFolderNamedLikeAnImageIsScannedNotDecoded() {
        // The CLI treats directories as folders to scan; directory.jpg holds no image.
        Path dir = format("directory.jpg");
        assumeTrue(Files.isDirectory(dir));
        CliRun run = CliRun.of(dir.toString(), format("jpeg-baseline.jpg").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines()).hasSize(1);
    }

    @Test
    void everyFormatFixtureIsClassified() throws Exception {
        List<String> good = List.of("jpeg-baseline.jpg", "jpeg-progressive.jpg", "jpeg-gray.jpg", "jpeg-cmyk.jpg",
                "jpeg-ycck.jpg", "jpeg-adobergb.jpg", "png-gray.png", "png-palette.png", "png-palette-trns.png",
                "png-rgb-trns.png", "png-rgba.png", "png-16bit.png", "png-16bit-rgba.png", "png-interlaced.png",
                "png-adobergb.png", "gif-static.gif", "gif-transparent.gif", "gif-animated.gif",
                "webp-lossy.webp", "webp-lossless.webp", "webp-lossy-alpha.webp", "webp-lossless-alpha.webp",
                "webp-animated.webp", "bmp-24.bmp", "bmp-8bit-palette.bmp", "bmp-32-alpha.bmp",
                "tiny-1x1.png", "tiny-1x1.jpg", "tiny-1x1.webp", "tiny-1x64.png", "tiny-64x1.gif", "png-named-as.jpg");
        List<String> args = new ArrayList<>(List.of("--json"));
        good.forEach(f -> args.add(format(f).toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.err().lines()).noneMatch(l -> l.startsWith("keshikaran: " + format("")));
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.jsonLines()).hasSize(good.size()).allSatisfy(n -> assertThat(n.path("score").isNumber()).isTrue());
    }

    @Test
    void heicAndAvifAreClassifiedAndAFolderScanPicksThemUp(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path heic = format("heif/heif-photo.heic");
        Path avif = format("heif/avif-grid-2x2.avif");
        CliRun run = CliRun.of("--json", heic.toString(), avif.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.jsonLines()).hasSize(2).allSatisfy(n -> assertThat(n.path("score").isNumber()).isTrue());
        // The same picture in PNG scores alike (HeifClassificationTest measures it closely).
        double png = CliRun.of("--json", format("png-interlaced.png").toString()).jsonLines().get(0).path("score").asDouble();
        assertThat(run.jsonLines().get(0).path("score").asDouble()).isCloseTo(png, within(0.05));

        Files.copy(heic, dir.resolve("phone.HEIC"));
        Files.copy(heic, dir.resolve("phone.heif"));
        Files.copy(avif, dir.resolve("web.avif"));
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        CliRun scan = CliRun.of("--json", dir.toString());
        assertThat(scan.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(scan.jsonLines()).extracting(n -> Path.of(n.path("file").asText()).getFileName().toString())
                .containsExactlyInAnyOrder("phone.HEIC", "phone.heif", "web.avif");
        // Without keshikaran-video's decoder the error says what decodes it.
        CliRun java = CliRun.of("--decoder", "java", heic.toString());
        assertThat(java.err()).as(java.exitCode() + " out: " + java.out()).contains("HEIF images need keshikaran-video's decoder (FFmpeg), which DecodeOptions.Decoder.JAVA turns off");
    }

    @Test
    void decoderOptionChoosesTheDecoderAndBothScoreAJpegAlike() throws Exception {
        String jpeg = format("jpeg-progressive.jpg").toString();
        double nativeScore = CliRun.of("--json", "--decoder", "native", jpeg).jsonLines().get(0).path("score").asDouble();
        double javaScore = CliRun.of("--json", "--decoder", "java", jpeg).jsonLines().get(0).path("score").asDouble();
        // Full-resolution JPEG pixels are byte-identical on both paths; this fixture is not reduced.
        assertThat(nativeScore).isEqualTo(javaScore);
        assertThat(CliRun.of("--decoder", "fast", jpeg).exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
