package io.keshikaran.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keshikaran.Classification;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelInfo;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The folder report as one self-contained HTML page: thumbnails are {@code data:} URIs, styles and
 * script are inline, and a Content-Security-Policy forbids loading anything else. The results are
 * also embedded as JSON, {@code <script type="application/json" id="keshikaran-results">}: an
 * array of {@code {file, score, probabilities, error, kind}} in the page's order, failures last.
 */
final class HtmlReport {
    /** A classified image; {@code thumbnail} is a {@code data:} URI. */
    record Entry(String file, Classification classification, String thumbnail, List<FrameThumbnail> frames) {
        /** An image's entry. */
        Entry(String file, Classification classification, String thumbnail) {
            this(file, classification, thumbnail, List.of());
        }
    }

    /** One of a video's highest-scoring frames: its time in seconds, its score and its thumbnail. */
    record FrameThumbnail(double timeSeconds, double score, String thumbnail) {
    }

    /** An image that could not be classified, and why. */
    record Failure(String file, String error, InvalidImageException.Kind kind) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String folder;
    private final ModelInfo model;
    private final Set<String> scoreLabels;
    private final double threshold;
    private final List<Entry> entries;
    private final List<Failure> failures;

    HtmlReport(String folder, ModelInfo model, List<String> scoreLabels, double threshold, List<Entry> entries,
               List<Failure> failures) {
        this.folder = folder;
        this.model = model;
        this.scoreLabels = Set.copyOf(scoreLabels);
        this.threshold = threshold;
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingDouble((Entry e) -> e.classification().score()).reversed()
                .thenComparing(Entry::file));
        this.entries = List.copyOf(sorted);
        List<Failure> failed = new ArrayList<>(failures);
        failed.sort(Comparator.comparing(Failure::file));
        this.failures = List.copyOf(failed);
    }

    /** The classified images, highest score first. */
    List<Entry> entries() {
        return entries;
    }

    /** The images that could not be classified, by name. */
    List<Failure> failures() {
        return failures;
    }

    /** How many images score at or above the threshold. */
    long flaggedCount() {
        return entries.stream().filter(this::isFlagged).count();
    }

    private boolean isFlagged(Entry e) {
        return e.classification().score() >= threshold;
    }

    String render() {
        StringBuilder html = new StringBuilder(64 * 1024 + entries.size() * 24 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; ")
            .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .append("<title>keshikaran report: ").append(escape(folder)).append("</title>\n")
            .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<header>\n")
            .append("<h1>keshikaran report: <span class=\"folder\">").append(escape(folder)).append("</span></h1>\n")
            .append("<p class=\"summary\" id=\"summary\">")
            .append(entries.size()).append(entries.size() == 1 ? " image" : " images")
            .append(" · <strong>").append(flaggedCount()).append(" at or above ").append(format2(threshold))
            .append("</strong> (blurred; click to show)");
        if (!failures.isEmpty()) {
            html.append(" · ").append(failures.size()).append(" could not be read");
        }
        html.append("</p>\n<p class=\"meta\">Score from 0 (not explicit) to 1 (explicit): the sum of ")
            .append(escape(String.join(", ", scoreLabels.stream().sorted().toList())))
            .append(". Model ").append(escape(model.id())).append(" on ").append(escape(model.engine()))
            .append(". Generated ").append(escape(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)))
            .append(".</p>\n");
        if (flaggedCount() > 0) {
            html.append("<p><button type=\"button\" id=\"toggle-all\">Show all</button></p>\n");
        }
        html.append("</header>\n<main>\n");
        if (entries.isEmpty()) {
            html.append("<p class=\"empty\">No image could be classified.</p>\n");
        }
        html.append("<div class=\"grid\" id=\"images\">\n");
        for (Entry e : entries) {
            appendCard(html, e);
        }
        html.append("</div>\n");
        if (!failures.isEmpty()) {
            html.append("<section id=\"errors\">\n<h2>Could not be classified</h2>\n<table>\n")
                .append("<thead><tr><th>File</th><th>Reason</th></tr></thead>\n<tbody>\n");
            for (Failure f : failures) {
                html.append("<tr class=\"failure\"><td class=\"file\">").append(escape(f.file()))
                    .append("</td><td class=\"reason\">").append(escape(f.error())).append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n</section>\n");
        }
        html.append("</main>\n<script type=\"application/json\" id=\"keshikaran-results\">")
            .append(resultsJson()).append("</script>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    /**
     * The results as JSON, safe inside a script element: {@code <}, {@code >} and {@code &} are
     * escaped as JSON unicode escapes, so no file name can end the element.
     */
    String resultsJson() {
        ArrayNode array = MAPPER.createArrayNode();
        for (Entry e : entries) {
            ObjectNode node = array.addObject();
            node.put("file", e.file());
            node.put("score", e.classification().score());
            ObjectNode probabilities = node.putObject("probabilities");
            e.classification().probabilities().forEach(probabilities::put);
            node.putNull("error");
            node.putNull("kind");
        }
        for (Failure f : failures) {
            ObjectNode node = array.addObject();
            node.put("file", f.file());
            node.putNull("score");
            node.putNull("probabilities");
            node.put("error", f.error());
            node.put("kind", f.kind().name().toLowerCase(Locale.ROOT));
        }
        return array.toString().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    private void appendCard(StringBuilder html, Entry e) {
        Classification c = e.classification();
        boolean flagged = isFlagged(e);
        html.append("<figure class=\"card").append(flagged ? " flagged" : "").append("\" data-file=\"")
            .append(escape(e.file())).append("\" data-score=\"").append(c.score()).append("\">\n");
        if (flagged) {
            html.append("<button type=\"button\" class=\"frame blurred\" aria-pressed=\"false\" title=\"Scores at or above ")
                .append(format2(threshold)).append(": click to show or hide\">");
        } else {
            html.append("<div class=\"frame\">");
        }
        html.append("<img src=\"").append(e.thumbnail()).append("\" alt=\"").append(escape(e.file())).append("\">");
        if (flagged) {
            html.append("<span class=\"hint\">Click to show</span></button>\n");
        } else {
            html.append("</div>\n");
        }
        if (!e.frames().isEmpty()) {
            // A video: its highest-scoring frames, with their times; blurred while the frame above is.
            html.append("<div class=\"video-frames\">");
            for (FrameThumbnail f : e.frames()) {
                html.append("<figure class=\"video-frame\" data-time=\"").append(f.timeSeconds()).append("\"><img src=\"")
                    .append(f.thumbnail()).append("\" alt=\"").append(escape(e.file())).append(" at ")
                    .append(String.format(Locale.ROOT, "%.1f s", f.timeSeconds())).append("\"><figcaption>")
                    .append(String.format(Locale.ROOT, "%.1f s · %.2f", f.timeSeconds(), f.score()))
                    .append("</figcaption></figure>");
            }
            html.append("</div>\n");
        }
        html.append("<figcaption>\n<div class=\"headline\"><span class=\"score\">").append(format2(c.score()))
            .append("</span><span class=\"top\">").append(escape(c.topLabel())).append("</span></div>\n")
            .append("<div class=\"file\" title=\"").append(escape(e.file())).append("\">").append(escape(e.file()))
            .append("</div>\n<div class=\"bars\">\n");
        for (Map.Entry<String, Float> p : c.probabilities().entrySet()) {
            double percent = Math.max(0, Math.min(1, p.getValue())) * 100;
            html.append("<div class=\"bar").append(scoreLabels.contains(p.getKey()) ? " explicit" : "")
                .append("\" data-label=\"").append(escape(p.getKey())).append("\"><span class=\"label\">")
                .append(escape(p.getKey())).append("</span><span class=\"track\"><span class=\"fill\" style=\"width:")
                .append(String.format(Locale.ROOT, "%.1f", percent)).append("%\"></span></span><span class=\"value\">")
                .append(String.format(Locale.ROOT, "%.1f%%", percent)).append("</span></div>\n");
        }
        html.append("</div>\n</figcaption>\n</figure>\n");
    }

    private static String format2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            :root { --fg: #1d2330; --muted: #5f6b7a; --line: #d9dee5; --accent: #2f6fde; --explicit: #c8312b; }
            * { box-sizing: border-box; }
            body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
                   color: var(--fg); background: #f5f7fa; }
            header { padding: 22px 24px 8px; }
            h1 { font-size: 21px; margin: 0 0 6px; word-break: break-all; }
            h1 .folder { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 600; }
            .summary { margin: 0 0 4px; font-size: 15px; }
            .meta { margin: 0 0 8px; color: var(--muted); font-size: 13px; }
            main { padding: 4px 24px 32px; }
            button { font: inherit; }
            #toggle-all { padding: 5px 12px; border: 1px solid var(--line); border-radius: 6px; background: #fff;
                          cursor: pointer; }
            .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 16px; }
            .card { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
            .card.flagged { border-color: #e3a7a4; }
            .frame { position: relative; display: block; width: 100%; height: 200px; padding: 0; border: 0;
                     background: #e9ecf1; overflow: hidden; }
            button.frame { cursor: pointer; }
            .frame img { width: 100%; height: 100%; object-fit: contain; display: block; transition: filter .15s; }
            .frame.blurred img { filter: blur(22px) saturate(.6); transform: scale(1.08); }
            .frame .hint { display: none; position: absolute; left: 50%; top: 50%; transform: translate(-50%, -50%);
                           padding: 5px 12px; border-radius: 999px; background: rgba(20, 24, 32, .78); color: #fff;
                           font-size: 13px; white-space: nowrap; }
            .frame.blurred .hint { display: block; }
            figcaption { padding: 10px 12px 12px; }
            .video-frames { display: flex; gap: 4px; padding: 4px 12px 0; }
            .frame.blurred ~ .video-frames img { filter: blur(10px); }
            .video-frame { margin: 0; flex: 1; text-align: center; }
            .video-frame img { width: 100%; height: 56px; object-fit: cover; display: block; }
            .video-frame figcaption { padding: 2px 0 0; font-size: 11px; color: var(--muted); }
            .headline { display: flex; align-items: baseline; gap: 8px; }
            .score { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
            .flagged .score { color: var(--explicit); }
            .top { color: var(--muted); }
            .file { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; color: var(--muted);
                    white-space: nowrap; overflow: hidden; text-overflow: ellipsis; margin-bottom: 6px; }
            .bar { display: grid; grid-template-columns: 62px 1fr 46px; align-items: center; gap: 6px; margin: 3px 0; }
            .bar .label { font-size: 12px; }
            .bar .track { height: 9px; background: #e8ebf0; border-radius: 5px; overflow: hidden; }
            .bar .fill { display: block; height: 100%; background: var(--accent); }
            .bar.explicit .fill { background: var(--explicit); }
            .bar .value { text-align: right; font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
            #errors { margin-top: 28px; }
            #errors h2 { font-size: 17px; }
            table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
            th, td { text-align: left; padding: 6px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
            td.file { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
            .empty { color: var(--muted); }
            """;

    private static final String SCRIPT = """
            (function () {
              'use strict';
              var frames = Array.prototype.slice.call(document.querySelectorAll('button.frame'));
              frames.forEach(function (frame) {
                frame.addEventListener('click', function () {
                  var blurred = frame.classList.toggle('blurred');
                  frame.setAttribute('aria-pressed', String(!blurred));
                });
              });
              var all = document.getElementById('toggle-all');
              if (all) {
                all.addEventListener('click', function () {
                  var show = frames.some(function (f) { return f.classList.contains('blurred'); });
                  frames.forEach(function (f) {
                    f.classList.toggle('blurred', !show);
                    f.setAttribute('aria-pressed', String(show));
                  });
                  all.textContent = show ? 'Blur again' : 'Show all';
                });
              }
            }());
            """;
}
