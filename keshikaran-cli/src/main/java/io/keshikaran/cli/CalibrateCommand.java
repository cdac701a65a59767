package io.keshikaran.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.EngineUnavailableException;
import io.keshikaran.InferenceException;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelException;
import io.keshikaran.ScoreFunction;
import io.keshikaran.eval.Bootstrap;
import io.keshikaran.eval.ConfidenceInterval;
import io.keshikaran.eval.ConfusionMatrix;
import io.keshikaran.eval.PrecisionRecallCurve;
import io.keshikaran.eval.RocCurve;
import io.keshikaran.eval.ThresholdsFile;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.DecodedImage;
import io.keshikaran.internal.AtomicFiles;
import io.keshikaran.preprocess.PreprocessingSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code keshikaran calibrate}: scores labelled images with one or more models and score formulas,
 * and recommends review and reject thresholds from precision and recall targets.
 */
@Command(name = "calibrate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Chooses thresholds from your own labelled images.",
            "",
            "Scores every image under --positive (images that should be caught) and --negative (images that should "
                + "pass), or listed in --labels-from, with each --model and each --score-labels formula. Prints ROC AUC "
                + "and average precision with bootstrap 95% intervals, and the thresholds that reach the targets: "
                + "reject at or above the lowest score whose precision reaches --reject-precision, send to review at "
                + "or above the highest score whose recall reaches --review-recall. The first model and formula are "
                + "the ones --save-thresholds writes.",
            "Here --model takes a comma-separated list (mobilenet_v2_mid,inception_v3) and --score-labels a "
                + "comma-separated list of formulas, each a sum of labels joined by + (Porn+Hentai+Sexy,Porn+Hentai); "
                + "without --score-labels each model's own score is used.",
            "Each image is decoded once per input size the models share. Images that cannot be read are listed, "
                + "counted and left out; a missing or empty folder is reported and the run goes on.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Calibrated; every listed image was scored.",
            "2:Invalid command line.",
            "3:Calibrated, but some inputs could not be used (each is reported on stderr and in the outputs).",
            "4:Nothing to calibrate (no image scored, or one class only), or an output could not be written.",
            "5:No model could be loaded, or the engine failed.",
        })
public final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ModelOptions modelOptions;

    @CommandLine.Mixin
    ImageOptions imageOptions;

    @Option(names = "--positive", paramLabel = "DIR", description = "A folder of images that should be caught (repeatable).")
    List<Path> positiveDirs = new ArrayList<>();

    @Option(names = "--negative", paramLabel = "DIR", description = "A folder of images that should pass (repeatable).")
    List<Path> negativeDirs = new ArrayList<>();

    @Option(names = "--labels-from", paramLabel = "FILE",
            description = "A CSV of path,label lines (optional header; path relative to FILE's folder) or, for .jsonl, "
                    + "{\"path\": ..., \"label\": ...} lines. Labels: " + LabeledImages.LABEL_VALUES + ".")
    Path labelsFrom;

    @Option(names = "--reject-precision", paramLabel = "P", defaultValue = "0.99",
            description = "Reject threshold: the lowest score whose precision is at least P. Default: ${DEFAULT-VALUE}.")
    double rejectPrecision;

    @Option(names = "--review-recall", paramLabel = "R", defaultValue = "0.95",
            description = "Review threshold: the highest score whose recall is at least R. Default: ${DEFAULT-VALUE}.")
    double reviewRecall;

    @Option(names = "--json", description = "Print the results as one JSON object (AUC and AP with intervals, "
            + "thresholds, curves, misclassified images, unreadable inputs) instead of a table.")
    boolean json;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Also write a self-contained HTML page: ROC and PR curves, the threshold table, and the "
                    + "misclassified images as thumbnails, worst first.")
    Path html;

    @Option(names = "--save-thresholds", paramLabel = "FILE",
            description = "Write the first model's thresholds as Java properties (" + ThresholdsFile.MODEL_KEY + ", "
                    + ThresholdsFile.SCORE_LABELS_KEY + ", " + ThresholdsFile.REVIEW_THRESHOLD_KEY + ", "
                    + ThresholdsFile.REJECT_THRESHOLD_KEY + "), or as JSON if FILE ends with .json.")
    Path thresholdsFile;

    @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "" + Bootstrap.DEFAULT_RESAMPLES,
            description = "Bootstrap resamples for the 95% intervals. Default: ${DEFAULT-VALUE}.")
    int resamples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + Bootstrap.DEFAULT_SEED,
            description = "Bootstrap random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--max-misclassified", paramLabel = "N", defaultValue = "24",
            description = "Show at most N misclassified images per model and formula. Default: ${DEFAULT-VALUE}.")
    int maxMisses;

    @CommandLine.Mixin
    ScanOptions scanOptions;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            description = "Progress line on stderr: auto (when stderr is a terminal), always or never. Default: ${DEFAULT-VALUE}.")
    ClassifyCommand.ProgressMode progress;

    /** A loaded model and the score formulas computed from its probabilities. */
    private record Scorer(String name, Classifier classifier, List<List<String>> formulas) {
    }

    /** The scores of one image, per scorer and formula, or why it could not be scored. */
    private record Outcome(double[][] scores, LabeledImages.Problem problem) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CommandLine cl = spec.commandLine();
        List<List<String>> formulas = parseFormulas();
        boolean live = validate(cl);
        Bootstrap bootstrap = Bootstrap.builder().optResamples(resamples).optSeed(seed).build();

        LabeledImages labeled = new LabeledImages(scanOptions);
        positiveDirs.forEach(d -> labeled.addFolder(d, true, "--positive"));
        negativeDirs.forEach(d -> labeled.addFolder(d, false, "--negative"));
        if (labelsFrom != null) {
            try {
                labeled.addLabelsFile(labelsFrom);
            } catch (IOException e) {
                labeled.problems().add(new LabeledImages.Problem(labelsFrom.toString(), "cannot read: " + ReportCommand.rootMessage(e)));
            }
        }
        List<LabeledImages.Problem> problems = new ArrayList<>(labeled.problems());
        problems.forEach(p -> err.println("keshikaran: " + p.input() + ": " + p.error()));
        err.flush();
        if (labeled.items().isEmpty()) {
            err.println("keshikaran: no labelled images to calibrate on");
            err.flush();
            return ExitCodes.ALL_FAILED;
        }

        List<Scorer> scorers = new ArrayList<>();
        try {
            for (String model : modelNames()) {
                Scorer scorer = load(model, formulas, err);
                if (scorer != null) {
                    scorers.add(scorer);
                }
            }
            if (scorers.isEmpty()) {
                return ExitCodes.MODEL_ERROR;
            }
            Progress bar = new Progress(err, live);
            List<LabeledImages.Item> scored = new ArrayList<>();
            List<double[][]> scores = new ArrayList<>();
            List<LabeledImages.Problem> unreadable = new ArrayList<>();
            scoreAll(scorers, labeled.items(), bar, err, scored, scores, unreadable);
            bar.summary();
            problems.addAll(unreadable);

            List<Calibration> calibrations = new ArrayList<>();
            for (int s = 0; s < scorers.size(); s++) {
                Scorer scorer = scorers.get(s);
                for (int f = 0; f < scorer.formulas().size(); f++) {
                    double[] column = new double[scored.size()];
                    for (int i = 0; i < column.length; i++) {
                        column[i] = scores.get(i)[s][f];
                    }
                    calibrations.add(new Calibration(scorer.name(), scorer.classifier().model().engine(),
                            scorer.formulas().get(f), scored, column, reviewRecall, rejectPrecision, bootstrap, maxMisses));
                }
            }
            return finish(out, err, scorers, calibrations, problems, scored.size());
        } catch (InferenceException | EngineUnavailableException e) {
            err.println("keshikaran: " + e.getMessage());
            if (modelOptions.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.MODEL_ERROR;
        } finally {
            scorers.forEach(s -> s.classifier().close());
        }
    }

    private boolean validate(CommandLine cl) {
        if (positiveDirs.isEmpty() && negativeDirs.isEmpty() && labelsFrom == null) {
            throw new CommandLine.ParameterException(cl, "give --positive DIR and --negative DIR, or --labels-from FILE");
        }
        if (!(rejectPrecision >= 0 && rejectPrecision <= 1) || !(reviewRecall >= 0 && reviewRecall <= 1)) {
            throw new CommandLine.ParameterException(cl, "--reject-precision and --review-recall must be within 0..1");
        }
        if (resamples < 10 || maxMisses < 0) {
            throw new CommandLine.ParameterException(cl, "--bootstrap must be at least 10 and --max-misclassified at least 0");
        }
        modelOptions.validate(cl);
        for (Path target : Arrays.asList(html, thresholdsFile)) {
            if (target != null) {
                Path parent = target.toAbsolutePath().getParent();
                if (parent == null || !Files.isDirectory(parent) || Files.isDirectory(target)) {
                    throw new CommandLine.ParameterException(cl, "cannot write " + target
                            + (Files.isDirectory(target) ? ": it is a folder" : ": its folder does not exist"));
                }
            }
        }
        return switch (progress) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> Boolean.getBoolean("keshikaran.stderr.tty");
        };
    }

    /** {@code --model a,b,c}: the mixin's one value, split. */
    private List<String> modelNames() {
        List<String> names = new ArrayList<>(new LinkedHashSet<>(Arrays.asList(modelOptions.model.split(","))));
        names.removeIf(String::isBlank);
        if (names.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model names no model");
        }
        return names.stream().map(String::strip).toList();
    }

    /**
     * Here {@code --score-labels} lists formulas to compare ({@code Porn+Hentai+Sexy,Porn+Hentai}), not
     * the model's own score, so the option is taken out of the model description before models load.
     */
    private List<List<String>> parseFormulas() {
        List<String> given = modelOptions.description.scoreLabels;
        modelOptions.description.scoreLabels = null;
        List<List<String>> formulas = new ArrayList<>();
        if (given != null) {
            for (String formula : given) {
                List<String> labels = Arrays.stream(formula.split("\\+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                if (labels.isEmpty()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--score-labels: empty formula in '" + given + "'");
                }
                if (!formulas.contains(labels)) {
                    formulas.add(labels);
                }
            }
        }
        return formulas;
    }

    /** Loads one model and keeps the formulas its labels support; null (reported) if it cannot load. */
    private Scorer load(String model, List<List<String>> formulas, PrintWriter err) {
        Classifier.Builder builder = modelOptions.classifierBuilder(model);
        builder.optDecodeOptions(imageOptions.toDecodeOptions(spec.commandLine()));
        Classifier classifier;
        try {
            classifier = builder.build();
        } catch (ModelException | EngineUnavailableException e) {
            err.println("keshikaran: model " + model + ": " + ModelOptions.errorMessage(e));
            err.flush();
            return null;
        }
        List<String> labels = classifier.description().labels();
        List<List<String>> kept = new ArrayList<>();
        for (List<String> formula : formulas.isEmpty() ? List.of(classifier.description().scoreLabels()) : formulas) {
            List<String> unknown = formula.stream().filter(l -> !labels.contains(l)).toList();
            if (unknown.isEmpty()) {
                kept.add(formula);
            } else {
                err.println("keshikaran: model " + model + " has no label " + String.join(", ", unknown) + " (its labels: "
                        + String.join(", ", labels) + "): skipping the formula " + String.join("+", formula));
            }
        }
        err.flush();
        if (kept.isEmpty()) {
            classifier.close();
            return null;
        }
        return new Scorer(model, classifier, kept);
    }

    /** Scores every image with every scorer, a few images at a time; keeps input order. */
    private void scoreAll(List<Scorer> scorers, List<LabeledImages.Item> items, Progress bar, PrintWriter err,
                          List<LabeledImages.Item> scored, List<double[][]> scores, List<LabeledImages.Problem> unreadable) {
        // Models whose preprocessing resizes to the same size share one decode of each image: the
        // first classifier of each group decodes, as its own classify(Path) would.
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int s = 0; s < scorers.size(); s++) {
            PreprocessingSpec p = scorers.get(s).classifier().description().preprocessing();
            String key = p.resizeWidth() + "x" + p.resizeHeight();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        int threads = Math.max(1, Math.min(items.size(), Math.min(4, Runtime.getRuntime().availableProcessors())));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "keshikaran-calibrate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>(items.size());
            for (LabeledImages.Item item : items) {
                futures.add(pool.submit(() -> {
                    Outcome o = scoreOne(scorers, groups, item);
                    bar.update(o.problem() == null);
                    return o;
                }));
            }
            for (int i = 0; i < items.size(); i++) {
                Outcome o = get(futures.get(i));
                if (o.problem() == null) {
                    scored.add(items.get(i));
                    scores.add(o.scores());
                } else {
                    unreadable.add(o.problem());
                    bar.clearLine();
                    err.println("keshikaran: " + o.problem().input() + ": " + o.problem().error());
                    err.flush();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome scoreOne(List<Scorer> scorers, Map<String, List<Integer>> groups, LabeledImages.Item item) {
        double[][] scores = new double[scorers.size()][];
        try {
            for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
                DecodedImage decoded = scorers.get(group.getValue().get(0)).classifier().decode(item.path());
                for (int s : group.getValue()) {
                    Scorer scorer = scorers.get(s);
                    Classification c = scorer.classifier().classify(decoded, item.file());
                    scores[s] = new double[scorer.formulas().size()];
                    for (int f = 0; f < scores[s].length; f++) {
                        double v = ScoreFunction.sumOf(scorer.formulas().get(f).toArray(String[]::new)).score(c.probabilities());
                        scores[s][f] = Math.max(0, Math.min(1, v));
                    }
                }
            }
            return new Outcome(scores, null);
        } catch (InvalidImageException e) {
            return new Outcome(null, new LabeledImages.Problem(item.file(), e.reason()));
        }
    }

    private static Outcome get(Future<Outcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring", e);
        } catch (ExecutionException e) {
            // Only environment failures get here (a broken engine); images fail as problems.
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private int finish(PrintWriter out, PrintWriter err, List<Scorer> scorers, List<Calibration> calibrations, List<LabeledImages.Problem> problems,
                       int scored) {
        for (Calibration c : calibrations) {
            if (c.error != null) {
                err.println("keshikaran: " + c.model + " " + c.formula() + ": " + c.error);
            } else {
                for (Calibration.Decision d : List.of(c.reject, c.review)) {
                    if (d.note() != null) {
                        err.println("keshikaran: " + c.model + " " + c.formula() + ": " + d.note());
                    }
                }
            }
        }
        err.flush();
        if (json) {
            out.println(toJson(calibrations, problems, scored).toPrettyString());
        } else {
            printTable(out, calibrations, problems, scored);
        }
        out.flush();
        boolean usable = calibrations.stream().anyMatch(c -> c.error == null);
        int exit = !usable ? ExitCodes.ALL_FAILED : problems.isEmpty() ? ExitCodes.OK : ExitCodes.SOME_FAILED;
        try {
            if (html != null) {
                Map<String, String> thumbnails = thumbnails(scorers.get(0).classifier(), calibrations, err);
                AtomicFiles.writeString(html, new CalibrationPage(calibrations, problems, thumbnails).render());
                err.println("keshikaran: wrote " + html);
            }
            Calibration first = calibrations.get(0);
            if (thresholdsFile != null) {
                if (first.error != null) {
                    err.println("keshikaran: not writing " + thresholdsFile + ": " + first.error);
                    exit = ExitCodes.ALL_FAILED;
                } else {
                    thresholds(first).write(thresholdsFile, thresholdsComments(first));
                    err.println("keshikaran: wrote " + thresholdsFile);
                }
            }
        } catch (IOException e) {
            err.println("keshikaran: cannot write output: " + ReportCommand.rootMessage(e));
            exit = ExitCodes.ALL_FAILED;
        }
        err.flush();
        return exit;
    }

    /**
     * Thumbnails of the misclassified images, each decoded once again (only these are kept in
     * memory), as the classifier sees them.
     */
    private Map<String, String> thumbnails(Classifier decoder, List<Calibration> calibrations, PrintWriter err) {
        Map<String, String> out = new HashMap<>();
        Set<String> failed = new LinkedHashSet<>();
        for (Calibration c : calibrations) {
            for (Calibration.Miss m : c.misses) {
                String file = m.item().file();
                if (out.containsKey(file) || failed.contains(file)) {
                    continue;
                }
                try {
                    out.put(file, Thumbnails.jpegDataUri(decoder.decode(m.item().path()).first()));
                } catch (InvalidImageException | IOException e) {
                    failed.add(file);
                    err.println("keshikaran: " + file + ": no thumbnail: " + ReportCommand.rootMessage(e));
                }
            }
        }
        return out;
    }

    /** The first model's thresholds, as --save-thresholds writes them and --json recommends them. */
    private static ThresholdsFile thresholds(Calibration c) {
        ThresholdsFile.Builder b = ThresholdsFile.builder().setModel(c.model).optScoreLabels(c.scoreLabels)
                .setReviewThreshold(c.review.point().threshold());
        c.reject.matrix().ifPresent(m -> b.optRejectThreshold(m.threshold()));
        return b.build();
    }

    /** How the thresholds were chosen, for the comments of the properties file. */
    private static List<String> thresholdsComments(Calibration c) {
        List<String> lines = new ArrayList<>();
        lines.add("keshikaran calibrate, " + Instant.now() + ": " + c.positives + " positive and " + c.negatives + " negative images");
        lines.add(String.format(Locale.ROOT, "ROC AUC %.4f [%.4f, %.4f], average precision %.4f [%.4f, %.4f] (95%% bootstrap)",
                c.rocAuc.estimate(), c.rocAuc.lower(), c.rocAuc.upper(), c.averagePrecision.estimate(),
                c.averagePrecision.lower(), c.averagePrecision.upper()));
        lines.add("An image is sent to review at or above the review threshold and rejected at or above the reject threshold.");
        lines.add(thresholdComment(ThresholdsFile.REVIEW_THRESHOLD_KEY, c.review));
        lines.add(thresholdComment(ThresholdsFile.REJECT_THRESHOLD_KEY, c.reject));
        return lines;
    }

    private static String thresholdComment(String key, Calibration.Decision d) {
        if (d.point() == null) {
            return key + ": " + d.note();
        }
        return key + ", " + d.target() + ": " + Calibration.describe(d.point()) + (d.note() != null ? "; " + d.note() : "");
    }

    private void printTable(PrintWriter out, List<Calibration> calibrations, List<LabeledImages.Problem> problems, int scored) {
        out.printf(Locale.ROOT, "%d images scored, %d inputs could not be used%n", scored, problems.size());
        for (Calibration c : calibrations) {
            out.printf(Locale.ROOT, "%n%s  score %s  (%d positive, %d negative)%n", c.model, c.formula(), c.positives, c.negatives);
            if (c.error != null) {
                out.println("  " + c.error);
                continue;
            }
            out.printf(Locale.ROOT, "  ROC AUC            %.4f  [%.4f, %.4f]%n", c.rocAuc.estimate(), c.rocAuc.lower(), c.rocAuc.upper());
            out.printf(Locale.ROOT, "  average precision  %.4f  [%.4f, %.4f]%n", c.averagePrecision.estimate(),
                    c.averagePrecision.lower(), c.averagePrecision.upper());
            for (Calibration.Decision d : List.of(c.review, c.reject)) {
                String name = d == c.review ? "review" : "reject";
                out.printf(Locale.ROOT, "  %-6s at >= %s%n", name, d.point() == null ? "(none: " + d.note() + ")"
                        : Calibration.describe(d.point()) + "  [" + d.target() + "]");
            }
            out.printf(Locale.ROOT, "  misclassified at these thresholds: %d%n", c.missCount);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ObjectNode toJson(List<Calibration> calibrations, List<LabeledImages.Problem> problems, int scored) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode images = root.putObject("images");
        images.put("scored", scored);
        images.put("unusable", problems.size());
        ObjectNode targets = root.putObject("targets");
        targets.put("reject_precision", rejectPrecision);
        targets.put("review_recall", reviewRecall);
        ObjectNode boot = root.putObject("bootstrap");
        boot.put("resamples", resamples);
        boot.put("level", Bootstrap.DEFAULT_LEVEL);
        boot.put("seed", seed);
        ArrayNode results = root.putArray("results");
        for (Calibration c : calibrations) {
            ObjectNode r = results.addObject();
            r.put("model", c.model);
            r.put("engine", c.engine);
            r.put("formula", c.formula());
            c.scoreLabels.forEach(r.putArray("score_labels")::add);
            r.put("positives", c.positives);
            r.put("negatives", c.negatives);
            if (c.error != null) {
                r.put("error", c.error);
                continue;
            }
            putInterval(r.putObject("roc_auc"), c.rocAuc);
            putInterval(r.putObject("average_precision"), c.averagePrecision);
            putDecision(r.putObject("review"), c.review);
            putDecision(r.putObject("reject"), c.reject);
            RocCurve roc = c.evaluation.roc();
            ObjectNode rocNode = r.putObject("roc");
            putArray(rocNode, "thresholds", roc.thresholds());
            putArray(rocNode, "fpr", roc.falsePositiveRates());
            putArray(rocNode, "tpr", roc.truePositiveRates());
            PrecisionRecallCurve pr = c.evaluation.precisionRecall();
            ObjectNode prNode = r.putObject("pr");
            putArray(prNode, "thresholds", pr.thresholds());
            putArray(prNode, "precision", pr.precisions());
            putArray(prNode, "recall", pr.recalls());
            r.put("misclassified_count", c.missCount);
            ArrayNode misses = r.putArray("misclassified");
            for (Calibration.Miss m : c.misses) {
                ObjectNode n = misses.addObject();
                n.put("file", m.item().file());
                n.put("label", m.item().positive() ? "positive" : "negative");
                n.put("score", m.score());
                n.put("outcome", m.outcome());
            }
        }
        ArrayNode errors = root.putArray("errors");
        for (LabeledImages.Problem p : problems) {
            errors.addObject().put("input", p.input()).put("error", p.error());
        }
        Calibration first = calibrations.get(0);
        if (first.error == null) {
            ThresholdsFile t = thresholds(first);
            ObjectNode rec = root.putObject("recommended");
            rec.put(ThresholdsFile.MODEL_KEY, t.model());
            rec.put(ThresholdsFile.SCORE_LABELS_KEY, String.join(",", t.scoreLabels()));
            rec.put(ThresholdsFile.REVIEW_THRESHOLD_KEY, t.reviewThreshold());
            t.rejectThreshold().ifPresentOrElse(r -> rec.put(ThresholdsFile.REJECT_THRESHOLD_KEY, r),
                    () -> rec.putNull(ThresholdsFile.REJECT_THRESHOLD_KEY));
        }
        return root;
    }

    private static void putInterval(ObjectNode node, ConfidenceInterval ci) {
        node.put("estimate", ci.estimate());
        node.put("lower", ci.lower());
        node.put("upper", ci.upper());
        node.put("level", ci.level());
    }

    private static void putDecision(ObjectNode node, Calibration.Decision d) {
        node.put("target", d.target());
        if (d.note() != null) {
            node.put("note", d.note());
        }
        ConfusionMatrix m = d.point();
        if (m == null) {
            node.putNull("threshold");
            return;
        }
        node.put("threshold", m.threshold());
        putNumber(node, "precision", m.precision());
        putNumber(node, "recall", m.recall());
        putNumber(node, "false_positive_rate", m.falsePositiveRate());
        node.put("tp", m.truePositives());
        node.put("fp", m.falsePositives());
        node.put("tn", m.trueNegatives());
        node.put("fn", m.falseNegatives());
    }

    /** JSON has no NaN or infinity: those become null (an infinite threshold flags nothing). */
    private static void putNumber(ObjectNode node, String key, double v) {
        if (Double.isFinite(v)) {
            node.put(key, v);
        } else {
            node.putNull(key);
        }
    }

    private static void putArray(ObjectNode node, String key, double[] values) {
        ArrayNode a = node.putArray(key);
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
    }
}
