package io.keshikaran.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keshikaran.Classification;
import io.keshikaran.FrameScore;
import io.keshikaran.InvalidImageException;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How results are printed on standard output, one line per input. */
enum OutputFormat {
    /** {@code 0.02} for a single file; {@code FILE<TAB>score} otherwise. Errors go to stderr only. */
    TEXT,
    /**
     * One JSON object per line: {@code {"file","score","model","probabilities","image"}}, plus
     * {@code "frames": [{"index","score"}...]} for animated images, or {@code {"file","error","kind"}}.
     */
    JSON,
    /** RFC 4180 CSV with a header: {@code file,score,<label>...,error}. */
    CSV;

    /** Prints results in one format. Not thread-safe; the caller serialises calls. */
    interface Printer {
        void result(Classification c);

        void error(InvalidImageException e);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A printer for this format; CSV writes its header at once.
     *
     * @param labels the model's labels, in output order
     * @param single whether exactly one file was named, so text prints the bare score
     */
    Printer printer(PrintWriter out, List<String> labels, boolean single) {
        return switch (this) {
            case TEXT -> new Printer() {
                @Override
                public void result(Classification c) {
                    out.println(single ? score(c.score()) : c.source() + "\t" + score(c.score()));
                }

                @Override
                public void error(InvalidImageException e) {
                }
            };
            case JSON -> new Printer() {
                @Override
                public void result(Classification c) {
                    out.println(json(c));
                }

                @Override
                public void error(InvalidImageException e) {
                    ObjectNode node = MAPPER.createObjectNode();
                    out.println(errorJson(e));
                }
            };
            case CSV -> {
                StringBuilder header = new StringBuilder("file,score");
                labels.forEach(l -> header.append(',').append(csv(l)));
                out.println(header.append(",error"));
                yield new Printer() {
                    @Override
                    public void result(Classification c) {
                        StringBuilder sb = new StringBuilder(csv(c.source())).append(',').append(c.score());
                        for (float p : c.probabilities().values()) {
                            sb.append(',').append(p);
                        }
                        out.println(sb.append(','));
                    }

                    @Override
                    public void error(InvalidImageException e) {
                        // Empty score and label cells, then the reason.
                        out.println(csv(e.source()) + ",".repeat(labels.size() + 2) + csv(e.reason()));
                    }
                };
            }
        };
    }

    /** The JSON-lines form of a failure: {@code {"file", "error", "kind"}}, kind as in {@link InvalidImageException.Kind}. */
    static ObjectNode errorJson(InvalidImageException e) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("file", e.source());
        node.put("error", e.reason());
        node.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
        return node;
    }

    /** The JSON-lines form of one classification. */
    static ObjectNode json(Classification c) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("file", c.source());
        node.put("score", c.score());
        node.put("model", c.model().id());
        ObjectNode probabilities = node.putObject("probabilities");
        for (Map.Entry<String, Float> e : c.probabilities().entrySet()) {
            probabilities.put(e.getKey(), e.getValue());
        }
        c.image().ifPresent(image -> node.putObject("image")
                .put("format", image.format())
                .put("width", image.width())
                .put("height", image.height()));
        if (!c.frames().isEmpty()) {
            // Animated input: the score above aggregates these sampled frames.
            ArrayNode frames = node.putArray("frames");
            for (FrameScore f : c.frames()) {
                frames.addObject().put("index", f.index()).put("score", f.score());
            }
        }
        return node;
    }

    static String score(double score) {
        return String.format(Locale.ROOT, "%.2f", score);
    }

    static String csv(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
