package io.keshikaran.cli;

import io.keshikaran.image.DecodeOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * How images are turned into pixels: decoder, EXIF orientation, transparency, animation frames,
 * resolution. Shared by every command that classifies.
 */
final class ImageOptions {

    @Option(names = "--exif-orientation", paramLabel = "MODE", defaultValue = "apply",
            description = "apply: turn photos upright as their EXIF tag says, as viewers do; ignore: use the "
                    + "stored pixels, as nsfwjs does. Default: ${DEFAULT-VALUE}.")
    DecodeOptions.Orientation orientation;

    /** The --transparency values, named for the command line. */
    enum TransparencyMode {
        FILL(DecodeOptions.Transparency.FILL_TRANSPARENT),
        COMPOSITE(DecodeOptions.Transparency.COMPOSITE),
        KEEP(DecodeOptions.Transparency.KEEP_STORED_COLOR);

        final DecodeOptions.Transparency option;

        TransparencyMode(DecodeOptions.Transparency option) {
            this.option = option;
        }
    }

    @Option(names = "--transparency", paramLabel = "MODE", defaultValue = "fill",
            description = "fill: fully transparent pixels take the background colour, the others keep theirs; "
                    + "composite: blend every pixel onto the background; keep: drop alpha, keeping the stored "
                    + "colour, as nsfwjs does. Default: ${DEFAULT-VALUE} (measured in docs/images.md).")
    TransparencyMode transparency;

    @Option(names = "--background", paramLabel = "COLOR", defaultValue = "white",
            description = "Background for --transparency fill or composite: white, black, gray or #RRGGBB. "
                    + "Default: ${DEFAULT-VALUE}.")
    String background;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "" + DecodeOptions.DEFAULT_MAX_FRAMES,
            description = "Animated GIF, WebP or PNG: classify at most N frames (1 = the first only). Default: ${DEFAULT-VALUE}.")
    int maxFrames;

    @Option(names = "--frame-step", paramLabel = "N", defaultValue = "1",
            description = "Animated GIF, WebP or PNG: classify every N-th frame (0, N, 2N, ...). Default: ${DEFAULT-VALUE}.")
    int frameStep;

    @Option(names = "--frame-aggregate", paramLabel = "HOW", defaultValue = "max",
            description = "Animated GIF, WebP or PNG: the file's score is the max or the mean of the frame scores. "
                    + "Default: ${DEFAULT-VALUE}. --json lists every frame's score.")
    DecodeOptions.FrameAggregate frameAggregate;

    @Option(names = "--full-resolution",
            description = "Decode every pixel of large photos, as nsfwjs does. By default a photo more than twice "
                    + "the model's input size is decoded smaller (faster; scores differ slightly, see docs/performance.md).")
    boolean fullResolution;

    @Option(names = "--decoder", paramLabel = "WHICH", defaultValue = "auto",
            description = "Still JPEG, PNG and WebP decoder: native (Leptonica: libjpeg-turbo, libpng, libwebp; 3-10x faster "
                    + "on large images), java (ImageIO only; HEIC and AVIF, which only FFmpeg decodes, are then refused), "
                    + "or auto: native where it loads, else java (also set by "
                    + "-D" + DecodeOptions.Decoder.PROPERTY + "). Default: ${DEFAULT-VALUE}.")
    DecodeOptions.Decoder decoder;

    /** The decode options these flags ask for; usage errors for values out of range. */
    DecodeOptions toDecodeOptions(CommandLine commandLine) {
        try {
            return DecodeOptions.builder()
                    .optResolution(fullResolution ? DecodeOptions.Resolution.FULL : DecodeOptions.Resolution.REDUCED)
                    .optOrientation(orientation)
                    .optTransparency(transparency.option)
                    .optBackground(colour(commandLine))
                    .optMaxFrames(maxFrames)
                    .optFrameStep(frameStep)
                    .optFrameAggregate(frameAggregate)
                    .optDecoder(decoder)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--max-frames and --frame-step: " + e.getMessage());
        }
    }

    private int colour(CommandLine commandLine) {
        String c = background.toLowerCase(Locale.ROOT);
        switch (c) {
            case "white":
                return 0xFFFFFF;
            case "black":
                return 0x000000;
            case "gray":
            case "grey":
                return 0x808080;
            default:
                if (c.matches("#[0-9a-f]{6}")) {
                    return Integer.parseInt(c.substring(1), 16);
                }
                throw new CommandLine.ParameterException(commandLine,
                        "--background must be white, black, gray or #RRGGBB, got '" + background + "'");
        }
    }
}
