package io.keshikaran.cli;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.EngineUnavailableException;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelException;
import io.keshikaran.image.ImageDecoder;
import io.keshikaran.image.RgbImage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code keshikaran report DIR -o report.html}: classifies every image under a folder and writes
 * one self-contained HTML page with thumbnails sorted by score, the risky ones blurred.
 */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Writes a self-contained HTML report of every image under DIR.",
            "",
            "Every image under DIR (recursively) is classified. The report shows thumbnails sorted by score "
                + "and a bar per class; images scoring at or above the threshold are blurred until clicked. "
                + "Files that can't be read are listed in the report with the reason; the others are still classified.",
            "Images are recognised by their extension (" + ReportCommand.EXTENSIONS_HELP + "). Hidden files and "
                + "folders are skipped; symbolic links are not followed.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:The report was written; every image was classified and none reached the threshold.",
            "1:The report was written; at least one image scored at or above the threshold, and none failed.",
            "2:Invalid command line, or DIR is not a folder.",
            "3:The report was written; some images could not be classified (they are listed in it).",
            "4:No image could be classified, or the report could not be written.",
            "5:The model or engine could not be loaded.",
        })
public final class ReportCommand implements Callable<Integer> {
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp");
    static final String EXTENSIONS_HELP = "jpg, jpeg, png, gif, bmp, webp";
    /** The default blur threshold: the moderation example's "review" threshold. */
    static final String DEFAULT_THRESHOLD = "0.4";

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ModelOptions modelOptions;

    @Parameters(paramLabel = "DIR", description = "The folder to scan.")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "report.html",
            description = "The HTML file to write. Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--threshold", paramLabel = "T", defaultValue = DEFAULT_THRESHOLD,
            description = "Blur images scoring at or above T (0..1) until clicked. Default: ${DEFAULT-VALUE}.")
    double threshold;






    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        Scan scan;
        try {
            scan = scan(dir);
        } catch (IOException | UncheckedIOException e) {
            err.println("keshikaran: cannot list " + dir + ": " + rootMessage(e));
            err.flush();
            return ExitCodes.ALL_FAILED;
        }
        HtmlReport report;
        try (Classifier classifier = modelOptions.buildClassifier()) {
            report = classifyAll(classifier, scan, err);
        } catch (ModelException | EngineUnavailableException e) {
            err.println("keshikaran: " + e.getMessage());
            if (modelOptions.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.MODEL_ERROR;
        }
        try {
            writeAtomically(output, report.render());
        } catch (IOException e) {
            err.println("keshikaran: cannot write " + output + ": " + rootMessage(e));
            err.flush();
            return ExitCodes.ALL_FAILED;
        }
        int failed = report.failures().size();
        int classified = report.entries().size();
        long flagged = report.flaggedCount();
        out.printf(Locale.ROOT, "%s: %d images, %d at or above %.2f, %d could not be read%n",
                output, classified, flagged, threshold, failed);
        if (classified + failed == 0) {
            err.println("keshikaran: no images found under " + dir + " (looked for " + EXTENSIONS_HELP + ")");
        }
        out.flush();
        err.flush();
        if (failed > 0) {
            return classified == 0 ? ExitCodes.ALL_FAILED : ExitCodes.SOME_FAILED;
        }
        return flagged > 0 ? ExitCodes.THRESHOLD_REACHED : ExitCodes.OK;
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new CommandLine.ParameterException(cl, "--threshold must be within 0..1, got " + threshold);
        }
        modelOptions.validate(cl);
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(cl, dir + ": " + (Files.exists(dir) ? "not a folder" : "no such folder"));
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new CommandLine.ParameterException(cl, "cannot write " + output + ": its folder does not exist");
        }
        if (Files.isDirectory(output)) {
            throw new CommandLine.ParameterException(cl, "cannot write " + output + ": it is a folder");
        }
    }

    /** What a scan of the folder found: image files in path order, and what could not be listed. */
    record Scan(List<Path> images, List<HtmlReport.Failure> failures) {
    }

    /**
     * Image files under {@code root}, by extension, in path order. Hidden files and folders are
     * skipped; a folder that cannot be read is recorded as a failure and the scan goes on.
     */
    static Scan scan(Path root) throws IOException {
        List<Path> images = new ArrayList<>();
        List<HtmlReport.Failure> failures = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return !d.equals(root) && isHidden(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !isHidden(file) && hasImageExtension(file)) {
                    images.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (file.equals(root)) {
                    throw new UncheckedIOException(e);
                }
                failures.add(new HtmlReport.Failure(relativeName(root, file), "cannot read: " + rootMessage(e)));
                return FileVisitResult.CONTINUE;
            }
        });
        images.sort(null);
        return new Scan(images, failures);
    }

    static String relativeName(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static boolean isHidden(Path file) {
        return file.getFileName() != null && file.getFileName().toString().startsWith(".");
    }

    private static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Decodes each image once, for both the classifier and the thumbnail; a few at a time. */
    private HtmlReport classifyAll(Classifier classifier, Scan scan, PrintWriter err) {
        List<Path> images = scan.images();
        ImageDecoder decoder = new ImageDecoder(modelOptions.limits());
        int threads = Math.max(1, Math.min(images.size(), Math.min(4, Runtime.getRuntime().availableProcessors())));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "keshikaran-report");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Object>> futures = new ArrayList<>(images.size());
            for (Path image : images) {
                String name = relativeName(dir, image);
                futures.add(pool.submit(() -> classifyOne(classifier, decoder, image, name)));
            }
            List<HtmlReport.Entry> entries = new ArrayList<>();
            List<HtmlReport.Failure> failures = new ArrayList<>(scan.failures());
            for (HtmlReport.Failure failure : scan.failures()) {
                err.println("keshikaran: " + dir.resolve(failure.file()) + ": " + failure.error());
            }
            for (Future<Object> f : futures) {
                Object result = get(f);
                if (result instanceof HtmlReport.Entry entry) {
                    entries.add(entry);
                } else {
                    HtmlReport.Failure failure = (HtmlReport.Failure) result;
                    failures.add(failure);
                    err.println("keshikaran: " + dir.resolve(failure.file()) + ": " + failure.error());
                }
            }
            err.flush();
            return new HtmlReport(dir.toString(), classifier.model(), classifier.description().scoreLabels(), threshold,
                    entries, failures);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Object classifyOne(Classifier classifier, ImageDecoder decoder, Path image, String name) {
        try {
            RgbImage rgb = decoder.decode(image);
            Classification c = classifier.classify(rgb, name);
            return new HtmlReport.Entry(name, c, Thumbnails.jpegDataUri(rgb));
        } catch (InvalidImageException e) {
            return new HtmlReport.Failure(name, e.reason());
        } catch (IOException e) {
            return new HtmlReport.Failure(name, "cannot make a thumbnail: " + rootMessage(e));
        }
    }

    private static Object get(Future<Object> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while classifying", e);
        } catch (ExecutionException e) {
            // Only environment failures get here (a broken engine); images fail as Failure entries.
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Writes beside the target, then renames, so a reader never sees half a report. */
    static void writeAtomically(Path target, String html) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(tmp, html, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }
}
