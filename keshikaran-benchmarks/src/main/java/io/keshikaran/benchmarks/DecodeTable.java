package io.keshikaran.benchmarks;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.image.ImageLimits;
import io.keshikaran.internal.image.ImageDecoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decode time per image, one thread, for the three ways keshikaran can decode: ImageIO at full
 * resolution, the default decoders ({@code DecodeOptions.Decoder.AUTO}: keshikaran's PNG decoder,
 * the native one for JPEG and WebP) at full resolution, as fidelity mode decodes, and the default
 * (the same decoders, reduced to at least twice a 224x224 model input). Best of {@code --rounds}
 * (default 3) after one warm-up pass over the folder; first frame only. Prints one tab-separated
 * line per file: {@code file format megapixels javaMs fullMs reducedMs}; tools/bench/decode-table.sh joins
 * it with libvips' times (sharp) and aggregates per format.
 *
 * <pre>
 * java -cp keshikaran-benchmarks/target/benchmarks.jar io.keshikaran.benchmarks.DecodeTable DIR [--rounds N] [--native-only]
 * </pre>
 */
public final class DecodeTable {
    private DecodeTable() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = BenchImages.requireDir(Path.of(args[0]));
        int rounds = args.length > 2 && "--rounds".equals(args[1]) ? Integer.parseInt(args[2]) : 3;
        // ImageIO takes minutes over a real-world folder; its column is then NaN.
        boolean nativeOnly = List.of(args).contains("--native-only");
        DecodeOptions full = DecodeOptions.builder().optMaxFrames(1).optResolution(DecodeOptions.Resolution.FULL).build();
        ImageDecoder[] decoders = {
            new ImageDecoder(ImageLimits.defaults(), full.toBuilder().optDecoder(DecodeOptions.Decoder.JAVA).build()),
            new ImageDecoder(ImageLimits.defaults(), full),
            new ImageDecoder(ImageLimits.defaults(), DecodeOptions.builder().optMaxFrames(1).build()).withTargetSize(224, 224),
        };
        List<Path> files = new ArrayList<>();
        try (var all = Files.list(dir)) {
            all.filter(f -> f.getFileName().toString().matches("(?i).*\\.(jpe?g|png|webp|gif)")).sorted().forEach(files::add);
        }
        for (Path f : files) { // warm-up
            byte[] bytes = Files.readAllBytes(f);
            for (ImageDecoder d : decoders) {
                if (!(nativeOnly && d == decoders[0])) {
                    decode(d, bytes, f);
                }
            }
        }
        System.out.println("file\tformat\tmegapixels\tjavaMs\tfullMs\treducedMs");
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            DecodedImage first = decode(decoders[1], bytes, f);
            if (first == null) {
                continue;
            }
            double mp = first.first().pixelCount() / 1e6;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s\t%s%s\t%.2f",
                    f.getFileName(), first.format(), first.isAnimated() ? "-anim" : "", mp));
            for (ImageDecoder d : decoders) {
                if (nativeOnly && d == decoders[0]) {
                    line.append("\tNaN");
                    continue;
                }
                long best = Long.MAX_VALUE;
                for (int r = 0; r < rounds; r++) {
                    long t = System.nanoTime();
                    decode(d, bytes, f);
                    best = Math.min(best, System.nanoTime() - t);
                }
                line.append(String.format(Locale.ROOT, "\t%.1f", best / 1e6));
            }
            System.out.println(line);
        }
    }

    private static DecodedImage decode(ImageDecoder d, byte[] bytes, Path f) {
        try {
            return d.decodeFrames(bytes, f.toString());
        } catch (InvalidImageException e) {
            System.err.println(e.getMessage());
            return null;
        }
    }
}
