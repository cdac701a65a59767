package io.keshikaran.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keshikaran.InvalidImageException;
import io.keshikaran.image.ImageInput;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The labelled images {@code keshikaran calibrate} scores: the files under a positive and a negative
 * folder (found by {@link InputScanner}), or the lines of a CSV or JSONL labels file. Problems with a
 * source (a missing or empty folder, a bad line) are collected, not thrown, so the run goes on.
 */
final class LabeledImages {
    /** One image and its true class. */
    record Item(String file, Path path, boolean positive) {
    }

    /** A problem with an input: the file, folder or labels-file line, and why. */
    record Problem(String input, String error) {
    }

    private static final Set<String> POSITIVE = Set.of("1", "true", "yes", "positive", "pos");
    private static final Set<String> NEGATIVE = Set.of("0", "false", "no", "negative", "neg");
    static final String LABEL_VALUES = "1/0, true/false, yes/no, positive/negative or pos/neg";

    private final List<Item> items = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Set<Path> seen = new HashSet<>();
    private final ScanOptions scanOptions;

    /** @param scanOptions how label folders are scanned: the same globs as classify and report */
    LabeledImages(ScanOptions scanOptions) {
        this.scanOptions = scanOptions;
    }

    List<Item> items() {
        return items;
    }

    List<Problem> problems() {
        return problems;
    }

    /** Adds every image under {@code folder} with the given class; a missing or empty folder is a problem. */
    void addFolder(Path folder, boolean positive, String option) {
        String name = option + " " + folder;
        if (!Files.isDirectory(folder)) {
            problems.add(new Problem(name, Files.exists(folder) ? "not a folder" : "no such folder"));
            return;
        }
        int before = items.size();
        List<InvalidImageException> listing = new ArrayList<>();
        InputScanner scanner = scanOptions.scanner(System.in, listing::add);
        scanner.scan(List.of(folder.toString())).map(ImageInput::name).forEach(file -> add(file, Path.of(file), positive));
        listing.forEach(e -> problems.add(new Problem(e.source(), e.reason())));
        if (items.size() == before) {
            problems.add(new Problem(name, "no images found (looked for " + InputScanner.DEFAULT_INCLUDES_HELP + ")"));
        }
    }

    /**
     * Adds the images a labels file lists: CSV lines {@code path,label} (an optional header line, the
     * path may be double-quoted) or, for {@code .jsonl}/{@code .ndjson}, one {@code {"path", "label"}}
     * object per line. Relative paths are relative to the labels file's folder.
     *
     * @throws IOException if the file cannot be read at all
     */
    void addLabelsFile(Path labels) throws IOException {
        String lower = labels.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean jsonl = lower.endsWith(".jsonl") || lower.endsWith(".ndjson");
        Path base = labels.toAbsolutePath().getParent();
        ObjectMapper mapper = jsonl ? new ObjectMapper() : null;
        int before = items.size();
        try (BufferedReader in = Files.newBufferedReader(labels, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                String text = number == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
                if (text.isBlank() || text.startsWith("#")) {
                    continue;
                }
                String where = labels + ":" + number;
                String[] pathAndLabel = jsonl ? jsonLine(mapper, text, where) : csvLine(text, where);
                if (pathAndLabel == null) {
                    continue;
                }
                String label = pathAndLabel[1].strip().toLowerCase(Locale.ROOT);
                boolean positive = POSITIVE.contains(label);
                if (!positive && !NEGATIVE.contains(label)) {
                    if (number == 1 && !jsonl && (label.equals("label") || label.equals("class"))) {
                        continue; // a header line
                    }
                    problems.add(new Problem(where, "unknown label '" + pathAndLabel[1].strip() + "' (use " + LABEL_VALUES + ")"));
                    continue;
                }
                Path path = base.resolve(pathAndLabel[0]);
                add(pathAndLabel[0], path, positive);
            }
        }
        if (items.size() == before) {
            problems.add(new Problem(labels.toString(), "lists no labelled images"));
        }
    }

    private String[] csvLine(String line, String where) {
        String path;
        String rest;
        if (line.startsWith("\"")) {
            StringBuilder b = new StringBuilder();
            int i = 1;
            while (true) {
                if (i >= line.length()) {
                    problems.add(new Problem(where, "unterminated quoted path"));
                    return null;
                }
                char c = line.charAt(i++);
                if (c == '"') {
                    if (i < line.length() && line.charAt(i) == '"') {
                        b.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    b.append(c);
                }
            }
            path = b.toString();
            rest = line.substring(i).strip();
            if (!rest.startsWith(",")) {
                problems.add(new Problem(where, "expected a comma after the quoted path"));
                return null;
            }
            rest = rest.substring(1);
        } else {
            // The label never contains a comma; the path may, so split at the last one.
            int comma = line.lastIndexOf(',');
            if (comma < 0) {
                problems.add(new Problem(where, "expected path,label"));
                return null;
            }
            path = line.substring(0, comma).strip();
            rest = line.substring(comma + 1);
        }
        if (path.isEmpty()) {
            problems.add(new Problem(where, "empty path"));
            return null;
        }
        return new String[] {path, rest};
    }

    private String[] jsonLine(ObjectMapper mapper, String line, String where) {
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            problems.add(new Problem(where, "not JSON: " + e.getOriginalMessage()));
            return null;
        }
        JsonNode path = node.get("path") != null ? node.get("path") : node.get("file");
        JsonNode label = node.get("label");
        if (path == null || !path.isTextual() || path.asText().isEmpty() || label == null || label.isContainerNode()) {
            problems.add(new Problem(where, "expected {\"path\": \"...\", \"label\": ...}"));
            return null;
        }
        return new String[] {path.asText(), label.asText()};
    }

    private void add(String file, Path path, boolean positive) {
        Path key = path.toAbsolutePath().normalize();
        if (!seen.add(key)) {
            problems.add(new Problem(file, "listed more than once; the first label is used"));
            return;
        }
        items.add(new Item(file, path, positive));
    }
}
