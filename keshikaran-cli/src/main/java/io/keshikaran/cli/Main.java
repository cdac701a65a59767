package io.keshikaran.cli;

import picocli.CommandLine;

/** The {@code keshikaran} executable's entry point. */
public final class Main {
    private Main() {
    }

    /** Runs the CLI and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** A fully configured command line, for the launcher and for tests that capture its writers. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new ClassifyCommand());
        cl.addSubcommand("report", new ReportCommand());
        cl.addSubcommand("calibrate", new CalibrateCommand());
        // Enum options are typed; users type them in any case (--format json, --order COMPLETION).
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.MODEL_ERROR);
        return cl;
    }
}
