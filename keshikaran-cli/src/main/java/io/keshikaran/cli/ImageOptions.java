package io.keshikaran.cli;

import io.keshikaran.image.DecodeOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.Locale;

/** How images are turned into pixels: decoder, EXIF orientation, transparency, animation frames. */
final class ImageOptions {

    @Option(names = "--exif-orientation", paramLabel = "MODE", defaultValue = "apply",
            description = "apply: turn photos upright as their EXIF tag says, as viewers do; ignore: use the "
                    + "stored pixels, as nsfwjs does. Default: ${DEFAULT-VALUE}.")
    String orientation;

    @Option(names = "--transparency", paramLabel = "MODE", defaultValue = "fill",
            description = "fill: fully transparent pixels take the background colour, the others keep theirs; "
                    + "composite: blend every pixel onto the background; keep: drop alpha, keeping the stored "
                    + "colour, as nsfwjs does. Default: ${DEFAULT-VALUE} (measured in docs/images.md).")
    String transparency;

    @Option(names = "--background", paramLabel = "COLOR", defaultValue = "white",
            description = "Background for --transparency fill or composite: white, black, gray or #RRGGBB. "
                    + "Default: ${DEFAULT-VALUE}.")
    String background;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "" + DecodeOptions.DEFAULT_MAX_FRAMES,
            description = "Animated GIF/WebP: classify at most N frames (1 = the first only). Default: ${DEFAULT-VALUE}.")
    int maxFrames;

    @Option(names = "--frame-step", paramLabel = "N", defaultValue = "1",
            description = "Animated GIF/WebP: classify every N-th frame (0, N, 2N, ...). Default: ${DEFAULT-VALUE}.")
    int frameStep;

    @Option(names = "--frame-aggregate", paramLabel = "HOW", defaultValue = "max",
            description = "Animated GIF/WebP: the file's score is the max or the mean of the frame scores. "
                    + "Default: ${DEFAULT-VALUE}. --json lists every frame's score.")
    String frameAggregate;

    @Option(names = "--decoder", paramLabel = "WHICH", defaultValue = "auto",
            description = "Still JPEG, PNG and WebP decoder: native (OpenCV: libjpeg-turbo, libpng, libwebp; 3-10x faster "
                    + "on large images), java (ImageIO only), or auto: native where it loads, else java (also set by "
                    + "-D" + DecodeOptions.Decoder.PROPERTY + "). Default: ${DEFAULT-VALUE}.")
    String decoder;

    /** The decode options these flags ask for; usage errors for values out of range. */
    DecodeOptions toDecodeOptions(CommandLine commandLine, DecodeOptions.Builder builder) {
        try {
            return builder
                    .optOrientation(choice(commandLine, DecodeOptions.Orientation.class, orientation, "--exif-orientation"))
                    .optTransparency(switch (transparency.toLowerCase(Locale.ROOT)) {
                        case "fill" -> DecodeOptions.Transparency.FILL_TRANSPARENT;
                        case "composite" -> DecodeOptions.Transparency.COMPOSITE;
                        case "keep" -> DecodeOptions.Transparency.KEEP_STORED_COLOR;
                        default -> throw new CommandLine.ParameterException(commandLine,
                                "--transparency must be fill, composite or keep, got '" + transparency + "'");
                    })
                    .optBackground(colour(commandLine))
                    .optMaxFrames(maxFrames)
                    .optFrameStep(frameStep)
                    .optFrameAggregate(choice(commandLine, DecodeOptions.FrameAggregate.class, frameAggregate, "--frame-aggregate"))
                    .optDecoder(choice(commandLine, DecodeOptions.Decoder.class, decoder, "--decoder"))
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

    private static <E extends Enum<E>> E choice(CommandLine commandLine, Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, option + " must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", got '" + value + "'");
        }
    }
}
