package dev.tailor.cli.demo;

import dev.tailor.cli.support.ProgressBar;
import dev.tailor.cli.support.RepoRoot;
import dev.tailor.cli.support.Terminal;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tailor down}: stops the local Tailor of {@code tailor up} (its data stays for the next {@code up}). */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the local Tailor started by `tailor up`; its data stays in .tailor/stack/ for the next up.")
public final class DownCommand implements Callable<Integer> {
    @Option(names = "--no-build", hidden = true)
    boolean noBuild;

    @Override
    public Integer call() throws Exception {
        Terminal term = Terminal.stdout();
        Path root = RepoRoot.find();
        StackFiles files = new StackFiles(root);
        Optional<ProcessHandle> p = files.running();
        if (p.isEmpty()) {
            files.clear();
            term.line("No local Tailor is running (nothing in " + root.relativize(files.dir()) + "/tailor.pid).");
            return 0;
        }
        long t = System.nanoTime();
        term.live("stopping the services, Kafka and S3 (pid " + p.get().pid() + ") …");
        p.get().destroy(); // SIGTERM: its shutdown hook stops every child in order
        try {
            p.get().onExit().get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.TimeoutException slow) {
            p.get().destroyForcibly(); // its children watch it and exit with it
        }
        files.clear();
        term.line(term.green("✓ ") + "stopped  " + ProgressBar.elapsed(t) + "; data kept in " + root.relativize(files.dir()));
        return 0;
    }
}
