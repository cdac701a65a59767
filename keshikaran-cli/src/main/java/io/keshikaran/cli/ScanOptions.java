package io.keshikaran.cli;

import io.keshikaran.InvalidImageException;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How folders are scanned, shared by every command that takes folders ({@code classify},
 * {@code report}), so that they pick the same files.
 */
final class ScanOptions {

    @Option(names = "--include", paramLabel = "GLOB",
            description = "In folders, take only files matching GLOB (repeatable). A glob without '/' matches "
                    + "the file name, one with '/' the path under the folder. Default: common image extensions "
                    + "(" + InputScanner.DEFAULT_INCLUDES_HELP + "). Hidden files and folders (.name) are skipped; files "
                    + "named explicitly are always read.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "In folders, skip files matching GLOB (repeatable).")
    List<String> excludes = new ArrayList<>();

    /**
     * The scanner these options describe.
     *
     * @param stdin  what {@code -} reads
     * @param errors receives folders and entries that cannot be read; the scan goes on
     * @return the scanner
     */
    InputScanner scanner(InputStream stdin, Consumer<InvalidImageException> errors) {
        return scanner(stdin, errors, List.of());
    }

    /**
     * The scanner these options describe, whose default includes (used when no {@code --include} is
     * given) also take {@code moreDefaults}, such as video files for {@code --video}.
     *
     * @param stdin        what {@code -} reads
     * @param errors       receives folders and entries that cannot be read; the scan goes on
     * @param moreDefaults globs added to the default includes
     * @return the scanner
     */
    InputScanner scanner(InputStream stdin, Consumer<InvalidImageException> errors, List<String> moreDefaults) {
        List<String> effective = includes;
        if (includes.isEmpty() && !moreDefaults.isEmpty()) {
            effective = new ArrayList<>(InputScanner.DEFAULT_INCLUDES);
            effective.addAll(moreDefaults);
        }
        return new InputScanner(effective, excludes, stdin, errors);
    }

    /** Whether the user chose the files to take ({@code --include}), rather than the default image extensions. */
    boolean hasIncludes() {
        return !includes.isEmpty();
    }
}
