package io.keshikaran.cli;

import io.keshikaran.eval.ConfidenceInterval;
import io.keshikaran.eval.ConfusionMatrix;
import io.keshikaran.eval.PrecisionRecallCurve;
import io.keshikaran.eval.RocCurve;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.keshikaran.cli.HtmlReport.escape;

/**
 * {@code keshikaran calibrate -o calibration.html}: one self-contained page with the ROC and
 * precision-recall curves as inline SVG, the threshold table, and the misclassified images as
 * {@code data:} thumbnails (blurred until clicked), worst first. Like the folder report, a
 * Content-Security-Policy forbids loading anything else.
 */
final class CalibrationPage {
    private static final String[] COLOURS = {"#2f6fde", "#c8312b", "#1d9a6c", "#8a4fd1", "#d4830f", "#0f8fa8", "#6b7280"};
    private static final int PLOT = 300;
    private static final int PAD = 44;

    private final List<Calibration> calibrations;
    private final List<LabeledImages.Problem> problems;
    private final Map<String, String> thumbnails;

    CalibrationPage(List<Calibration> calibrations, List<LabeledImages.Problem> problems, Map<String, String> thumbnails) {
        this.calibrations = calibrations;
        this.problems = problems;
        this.thumbnails = thumbnails;
    }

    String render() {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; ")
            .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .append("<title>keshikaran calibration</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
            .append("<header>\n<h1>keshikaran calibration</h1>\n<p class=\"meta\">");
        Calibration first = calibrations.get(0);
        html.append(first.positives).append(" positive and ").append(first.negatives).append(" negative images scored");
        if (!problems.isEmpty()) {
            html.append(" · ").append(problems.size()).append(" inputs could not be used (listed below)");
        }
        html.append(". An image is sent to review at or above the review threshold and rejected at or above the reject "
                + "threshold. Intervals: 95% stratified bootstrap. Generated ")
            .append(escape(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME))).append(".</p>\n</header>\n<main>\n");

        html.append("<section id=\"curves\">\n");
        html.append(chart("roc", "ROC curve", "false-positive rate", "true-positive rate (recall)", true));
        html.append(chart("pr", "Precision-recall curve", "recall", "precision", false));
        html.append("<ul class=\"legend\">\n");
        for (int i = 0; i < calibrations.size(); i++) {
            Calibration c = calibrations.get(i);
            html.append("<li><span class=\"swatch\" style=\"background:").append(colour(i)).append("\"></span>")
                .append(escape(label(c))).append("</li>\n");
        }
        html.append("<li><span class=\"dot review\"></span>review threshold</li>\n<li><span class=\"dot reject\"></span>reject threshold</li>\n</ul>\n</section>\n");

        html.append("<section id=\"thresholds\">\n<h2>Thresholds</h2>\n<table>\n<thead><tr><th>Model</th><th>Score</th>"
                + "<th>Images (+/−)</th><th>ROC AUC [95% CI]</th><th>Average precision [95% CI]</th><th>Review at ≥</th>"
                + "<th>Reject at ≥</th><th>Misclassified</th></tr></thead>\n<tbody>\n");
        for (Calibration c : calibrations) {
            html.append("<tr data-model=\"").append(escape(c.model)).append("\" data-formula=\"").append(escape(c.formula()))
                .append("\"><td>").append(escape(c.model)).append("</td><td>").append(escape(c.formula())).append("</td><td>")
                .append(c.positives).append(" / ").append(c.negatives).append("</td>");
            if (c.error != null) {
                html.append("<td colspan=\"5\" class=\"error\">").append(escape(c.error)).append("</td></tr>\n");
                continue;
            }
            html.append("<td>").append(interval(c.rocAuc)).append("</td><td>").append(interval(c.averagePrecision)).append("</td>")
                .append(decision(c.review, "review")).append(decision(c.reject, "reject"))
                .append("<td>").append(c.missCount).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n<p class=\"meta\">Thresholds are scores that occur in these images, so the counts "
                + "are exact here; on new images expect them to move by about the intervals.</p>\n</section>\n");

        for (int i = 0; i < calibrations.size(); i++) {
            Calibration c = calibrations.get(i);
            if (c.error != null) {
                continue;
            }
            html.append("<section class=\"misses\" data-model=\"").append(escape(c.model)).append("\" data-formula=\"")
                .append(escape(c.formula())).append("\">\n<h2>Misclassified: ").append(escape(label(c))).append("</h2>\n");
            if (c.misses.isEmpty()) {
                html.append("<p class=\"meta\">None: every negative scores below the review threshold and every positive at or above it.</p>\n");
            } else {
                html.append("<p class=\"meta\">").append(c.missCount).append(" images, worst first");
                if (c.missCount > c.misses.size()) {
                    html.append(" (the first ").append(c.misses.size()).append(" shown)");
                }
                html.append(". Thumbnails are blurred: click to show.</p>\n<div class=\"grid\">\n");
                for (Calibration.Miss m : c.misses) {
                    appendMiss(html, m);
                }
                html.append("</div>\n");
            }
            html.append("</section>\n");
        }

        if (!problems.isEmpty()) {
            html.append("<section id=\"errors\">\n<h2>Could not be used</h2>\n<table>\n<thead><tr><th>Input</th><th>Reason</th></tr></thead>\n<tbody>\n");
            for (LabeledImages.Problem p : problems) {
                html.append("<tr><td class=\"file\">").append(escape(p.input())).append("</td><td>").append(escape(p.error())).append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n</section>\n");
        }
        html.append("</main>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private void appendMiss(StringBuilder html, Calibration.Miss m) {
        String file = m.item().file();
        html.append("<figure class=\"miss\" data-file=\"").append(escape(file)).append("\" data-score=\"").append(m.score())
            .append("\" data-label=\"").append(m.item().positive() ? "positive" : "negative").append("\">\n");
        String thumb = thumbnails.get(file);
        if (thumb != null) {
            html.append("<button type=\"button\" class=\"frame blurred\" aria-pressed=\"false\" title=\"Click to show or hide\">")
                .append("<img src=\"").append(thumb).append("\" alt=\"").append(escape(file)).append("\"></button>\n");
        } else {
            html.append("<div class=\"frame none\">no thumbnail</div>\n");
        }
        html.append("<figcaption><div class=\"score\">").append(String.format(Locale.ROOT, "%.4f", m.score()))
            .append("</div><div class=\"outcome\">").append(escape(m.outcome())).append("</div><div class=\"file\" title=\"")
            .append(escape(file)).append("\">").append(escape(file)).append("</div></figcaption>\n</figure>\n");
    }

    private static String label(Calibration c) {
        return c.model + " · " + c.formula();
    }

    private static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    private static String interval(ConfidenceInterval ci) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", ci.estimate(), ci.lower(), ci.upper());
    }

    private static String decision(Calibration.Decision d, String kind) {
        ConfusionMatrix m = d.point();
        if (m == null) {
            return "<td class=\"" + kind + " none\" title=\"" + escape(d.target()) + "\">none: " + escape(d.note()) + "</td>";
        }
        return "<td class=\"" + kind + "\" data-threshold=\"" + m.threshold() + "\" title=\"" + escape(d.target())
                + (d.note() != null ? "; " + escape(d.note()) : "") + "\"><strong>" + String.format(Locale.ROOT, "%.4f", m.threshold())
                + "</strong><br><small>" + String.format(Locale.ROOT, "P %.3f · R %.3f · FPR %.3f", m.precision(), m.recall(),
                m.falsePositiveRate()) + "<br>" + escape(d.target()) + "</small></td>";
    }

    /** One chart with a curve per calibration and its review and reject points. */
    private String chart(String id, String title, String xLabel, String yLabel, boolean roc) {
        int size = PLOT + 2 * PAD;
        StringBuilder svg = new StringBuilder();
        svg.append("<figure class=\"chart\" id=\"").append(id).append("\">\n<figcaption>").append(title).append("</figcaption>\n")
           .append("<svg viewBox=\"0 0 ").append(size).append(' ').append(size)
           .append("\" width=\"").append(size).append("\" height=\"").append(size).append("\" role=\"img\" aria-label=\"")
           .append(title).append("\">\n");
        for (int k = 0; k <= 4; k++) {
            double v = k / 4.0;
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                    x(0), y(v), x(1), y(v)));
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                    x(v), y(0), x(v), y(1)));
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.2f</text>",
                    x(v), y(0) + 16, v));
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n",
                    x(0) - 6, y(v) + 4, v));
        }
        svg.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                x(0.5), size - 6, xLabel));
        svg.append(String.format(Locale.ROOT, "<text class=\"axis\" transform=\"translate(12 %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
                y(0.5), yLabel));
        if (roc) {
            svg.append(String.format(Locale.ROOT, "<line class=\"chance\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                    x(0), y(0), x(1), y(1)));
        }
        for (int i = 0; i < calibrations.size(); i++) {
            Calibration c = calibrations.get(i);
            if (c.error != null) {
                continue;
            }
            double[] xs;
            double[] ys;
            if (roc) {
                RocCurve curve = c.evaluation.roc();
                xs = curve.falsePositiveRates();
                ys = curve.truePositiveRates();
            } else {
                PrecisionRecallCurve curve = c.evaluation.precisionRecall();
                xs = curve.recalls();
                ys = curve.precisions();
            }
            svg.append("<polyline class=\"curve\" data-model=\"").append(escape(c.model)).append("\" data-formula=\"")
               .append(escape(c.formula())).append("\" stroke=\"").append(colour(i)).append("\" points=\"");
            for (int k = 0; k < xs.length; k++) {
                // A PR curve is a step function: hold the precision until recall moves.
                if (!roc && k > 0) {
                    svg.append(String.format(Locale.ROOT, "%.2f,%.2f ", x(xs[k]), y(ys[k - 1])));
                }
                svg.append(String.format(Locale.ROOT, "%.2f,%.2f ", x(xs[k]), y(ys[k])));
            }
            svg.append("\"/>\n");
            for (Calibration.Decision d : List.of(c.review, c.reject)) {
                ConfusionMatrix m = d.point();
                if (m == null) {
                    continue;
                }
                double px = roc ? m.falsePositiveRate() : m.recall();
                double py = roc ? m.recall() : m.precision();
                svg.append(String.format(Locale.ROOT, "<circle class=\"point %s\" cx=\"%.2f\" cy=\"%.2f\" r=\"5\" stroke=\"%s\">"
                        + "<title>%s %s at ≥ %.4f</title></circle>\n", d == c.review ? "review" : "reject", x(px), y(py),
                        colour(i), escape(label(c)), d == c.review ? "review" : "reject", m.threshold()));
            }
        }
        svg.append("</svg>\n</figure>\n");
        return svg.toString();
    }

    private static double x(double v) {
        return PAD + v * PLOT;
    }

    private static double y(double v) {
        return PAD + (1 - v) * PLOT;
    }

    private static final String STYLE = """
            :root { --fg: #1d2330; --muted: #5f6b7a; --line: #d9dee5; }
            * { box-sizing: border-box; }
            body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
                   background: #f5f7fa; }
            header { padding: 22px 24px 4px; }
            h1 { font-size: 21px; margin: 0 0 6px; }
            h2 { font-size: 17px; margin: 26px 0 8px; }
            .meta { color: var(--muted); font-size: 13px; margin: 0 0 8px; }
            main { padding: 4px 24px 32px; }
            #curves { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
            .chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 8px; }
            .chart figcaption { font-weight: 600; padding: 2px 6px; }
            svg .grid { stroke: #e6e9ee; stroke-width: 1; }
            svg .chance { stroke: #b8c0cc; stroke-dasharray: 4 4; }
            svg .tick { font-size: 10px; fill: var(--muted); }
            svg .axis { font-size: 12px; fill: var(--fg); }
            svg .curve { fill: none; stroke-width: 2; stroke-linejoin: round; }
            svg .point { fill: #fff; stroke-width: 2.5; }
            svg .point.reject { fill: #1d2330; }
            .legend { list-style: none; padding: 0; margin: 8px 0; }
            .legend li { margin: 4px 0; }
            .swatch { display: inline-block; width: 18px; height: 4px; margin-right: 8px; vertical-align: middle; }
            .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; border: 2px solid #1d2330;
                   margin-right: 8px; vertical-align: middle; }
            .dot.reject { background: #1d2330; }
            table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
            th, td { text-align: left; padding: 6px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
            td.error, td.none { color: #a3322b; }
            td.file { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
            .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 14px; }
            .miss { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
            .frame { display: block; width: 100%; height: 160px; padding: 0; border: 0; background: #e9ecf1; overflow: hidden;
                     cursor: pointer; }
            .frame.none { cursor: default; color: var(--muted); text-align: center; line-height: 160px; }
            .frame img { width: 100%; height: 100%; object-fit: contain; display: block; transition: filter .15s; }
            .frame.blurred img { filter: blur(18px) saturate(.6); transform: scale(1.08); }
            figcaption { padding: 8px 10px 10px; }
            .miss .score { font-size: 18px; font-weight: 700; font-variant-numeric: tabular-nums; }
            .miss .outcome { color: #a3322b; font-size: 13px; }
            .miss .file { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; color: var(--muted);
                          white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
            """;

    private static final String SCRIPT = """
            (function () {
              'use strict';
              document.querySelectorAll('button.frame').forEach(function (frame) {
                frame.addEventListener('click', function () {
                  var blurred = frame.classList.toggle('blurred');
                  frame.setAttribute('aria-pressed', String(!blurred));
                });
              });
            }());
            """;
}
