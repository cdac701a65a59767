package io.keshikaran.cli;

import io.keshikaran.InvalidImageException;
import io.keshikaran.image.ImageInput;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Turns command-line inputs into a lazy stream of images: files as given, {@code -} for one image
 * on standard input, and folders walked recursively (symbolic links not followed), keeping the
 * files that match the include globs and none of the exclude globs. Hidden files and folders
 * (names starting with a dot, such as {@code .thumbnails} or {@code .git}) are skipped in folder
 * walks; a hidden file named explicitly is read. The one scanner of every command.
 *
 * <p>Each folder yields its files in name order, then its sub-folders (depth first). Folders are
 * walked as the stream is consumed, so a scan of millions of files starts at once
 * and holds only the current folder's listing. A folder that can't be read is reported to the
 * error callback and the walk goes on.
 */
final class InputScanner {
    /** Files a folder scan picks up by default, by extension; content decides the format later. */
    static final List<String> DEFAULT_INCLUDES = List.of(
            "*.{jpg,jpeg,png,gif,webp,bmp,heic,heif,avif,JPG,JPEG,PNG,GIF,WEBP,BMP,HEIC,HEIF,AVIF}");
    /** {@link #DEFAULT_INCLUDES} for messages. */
    static final String DEFAULT_INCLUDES_HELP = "jpg, jpeg, png, gif, webp, bmp, heic, heif, avif";

    private final List<Predicate<Path>> includes;
    private final List<Predicate<Path>> excludes;
    private final InputStream stdin;
    private final Consumer<InvalidImageException> errors;

    InputScanner(List<String> includes, List<String> excludes, InputStream stdin, Consumer<InvalidImageException> errors) {
        this.includes = matchers(includes.isEmpty() ? DEFAULT_INCLUDES : includes);
        this.excludes = matchers(excludes);
        this.stdin = stdin;
        this.errors = errors;
    }

    /**
     * A glob with a slash matches the path relative to the scanned folder ({@code photos/**.jpg});
     * one without matches the file name at any depth ({@code *.jpg}), as in .gitignore.
     */
    private static List<Predicate<Path>> matchers(List<String> globs) {
        List<Predicate<Path>> out = new ArrayList<>();
        for (String glob : globs) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            out.add(glob.contains("/") ? m::matches : relative -> m.matches(relative.getFileName()));
        }
        return out;
    }

    /** The images named by the arguments, in order; folders expand in place. */
    Stream<ImageInput> scan(List<String> args) {
        return args.stream().flatMap(this::expand);
    }

    /** The images listed one path per line in {@code list}; blank lines are skipped. */
    Stream<ImageInput> scanList(BufferedReader list) {
        return list.lines().map(String::strip).filter(l -> !l.isEmpty()).flatMap(this::expand);
    }

    /** Opens a {@code --files-from} argument: a file, or {@code -} for standard input. */
    BufferedReader openList(String source) throws IOException {
        InputStream in = "-".equals(source) ? stdin : Files.newInputStream(Path.of(source));
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private Stream<ImageInput> expand(String arg) {
        if ("-".equals(arg)) {
            return Stream.of(ImageInput.of(stdin, "-"));
        }
        Path path = Path.of(arg);
        if (Files.isDirectory(path)) {
            return walk(path);
        }
        // Files named explicitly are always attempted, whatever their name; errors come from decoding.
        return Stream.of(ImageInput.of(path));
    }

    private boolean selected(Path root, Path file) {
        Path relative = root.relativize(file);
        return includes.stream().anyMatch(m -> m.test(relative)) && excludes.stream().noneMatch(m -> m.test(relative));
    }

    /** Walks one folder lazily: each sub-folder's listing is read when the stream reaches it. */
    private Stream<ImageInput> walk(Path root) {
        Iterator<Path> files = new Iterator<>() {
            private final java.util.ArrayDeque<Path> folders = new java.util.ArrayDeque<>(List.of(root));
            private final java.util.ArrayDeque<Path> pending = new java.util.ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (pending.isEmpty() && !folders.isEmpty()) {
                    list(folders.poll());
                }
                return !pending.isEmpty();
            }

            @Override
            public Path next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return pending.poll();
            }

            private void list(Path folder) {
                List<Path> subfolders = new ArrayList<>();
                try (Stream<Path> entries = Files.list(folder)) {
                    entries.sorted().forEach(p -> {
                        if (isHidden(p)) {
                            return;
                        }
                        BasicFileAttributes attrs;
                        try {
                            attrs = Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        } catch (IOException e) {
                            errors.accept(new InvalidImageException(p.toString(), InvalidImageException.Kind.UNREADABLE, describe(e), e));
                            return;
                        }
                        if (attrs.isDirectory()) {
                            subfolders.add(p);
                        } else if (attrs.isRegularFile() && selected(root, p)) {
                            pending.add(p);
                        }
                    });
                } catch (IOException | UncheckedIOException e) {
                    IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
                    errors.accept(new InvalidImageException(folder.toString(), InvalidImageException.Kind.UNREADABLE,
                            "cannot list folder: " + describe(io), io));
                }
                // Depth-first, in name order, so the output order is stable.
                for (int i = subfolders.size() - 1; i >= 0; i--) {
                    folders.push(subfolders.get(i));
                }
            }
        };
        Iterable<Path> iterable = () -> files;
        return StreamSupport.stream(iterable.spliterator(), false).map(ImageInput::of);
    }

    private static boolean isHidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
    }
}
