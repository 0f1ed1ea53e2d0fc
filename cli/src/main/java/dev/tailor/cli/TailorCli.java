package dev.tailor.cli;

import dev.tailor.cli.bench.BenchCommand;
import dev.tailor.cli.clean.CleanCommand;
import dev.tailor.cli.demo.DemoCommand;
import dev.tailor.cli.demo.DownCommand;
import dev.tailor.cli.demo.UpCommand;
import dev.tailor.cli.keys.KeysCommand;
import dev.tailor.cli.model.ModelCommand;
import dev.tailor.cli.remote.ChatCommand;
import dev.tailor.cli.remote.DatasetsCommand;
import dev.tailor.cli.remote.SourcesCommand;
import dev.tailor.cli.remote.DeploymentsCommand;
import dev.tailor.cli.remote.EvalsCommand;
import dev.tailor.cli.remote.JobsCommand;
import dev.tailor.cli.remote.ModelsCommand;
import dev.tailor.cli.remote.WatchCommand;
import dev.tailor.cli.training.TrainingCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./tailor}. Each capability is a picocli subcommand in its own package;
 * this class only wires them together.
 */
@Command(
        name = "tailor",
        mixinStandardHelpOptions = true,
        versionProvider = TailorCli.Version.class,
        description = "Tailor turns a generic pretrained LLM into your organization's own model.",
        subcommands = {
                UpCommand.class,
                DownCommand.class,
                DemoCommand.class,
                DatasetsCommand.class,
                SourcesCommand.class,
                JobsCommand.class,
                EvalsCommand.class,
                ModelsCommand.class,
                DeploymentsCommand.class,
                ChatCommand.class,
                WatchCommand.class,
                KeysCommand.class,
                ModelCommand.class,
                TrainingCommand.class,
                CleanCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class
        })
public final class TailorCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests use it to run commands without exiting the JVM. */
    public static CommandLine commandLine() {
        return new CommandLine(new TailorCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true)
                .setExecutionExceptionHandler(TailorCli::report);
    }

    /**
     * A failed command prints what went wrong (and what to do, where the message says so), not a stack trace;
     * {@code TAILOR_DEBUG=1} adds the trace.
     */
    private static int report(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        cli.getErr().println(cli.getColorScheme().errorText(cli.getCommandSpec().qualifiedName() + ": " + message));
        if (System.getenv("TAILOR_DEBUG") != null) {
            e.printStackTrace(cli.getErr());
        }
        cli.getErr().flush();
        return 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Version from the jar manifest (Implementation-Version), "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TailorCli.class.getPackage().getImplementationVersion();
            return new String[] {
                    "tailor " + (v == null ? "dev" : v),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
