package dev.tailor.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.cli.support.ProgressBar;
import dev.tailor.cli.support.RepoRoot;
import dev.tailor.cli.support.Terminal;
import dev.tailor.localstack.ChildProcesses;
import dev.tailor.localstack.LocalStack;
import dev.tailor.localstack.TailorService;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tailor up}: Kafka, S3 and the five services on this machine, kept running in the background with their data
 * in {@code .tailor/stack/} (a restart keeps every dataset and model); prints the URLs and an admin API key, and
 * returns. {@code tailor down} stops it. With {@code --foreground} it stays attached and Ctrl-C stops it.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start a local Tailor that stays up: Kafka, S3 and the five services, data kept in .tailor/stack/"
                + " across restarts; prints the URLs and an admin API key. `tailor down` stops it."})
public final class UpCommand implements Callable<Integer> {
    /** How long the key printed by `up` works. */
    static final Duration KEY_LIFETIME = Duration.ofDays(30);

    @Option(names = "--foreground", description = "Stay attached (Ctrl-C stops everything) instead of running in the"
            + " background.")
    boolean foreground;

    @Option(names = "--base-model", description = "An HF checkpoint folder to fine-tune instead of the starter model.")
    Path baseModelDir;

    @Option(names = "--timeout", defaultValue = "PT15M", description = "Longest wait until every service is ready"
            + " (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--no-build", description = "Skip ./tailor's up-to-date check and build (handled by the launcher).")
    boolean noBuild;

    @Option(names = "--services-root", hidden = true, description = "Checkout whose <service>/target/quarkus-app to run.")
    Path servicesRoot;

    @Override
    public Integer call() throws Exception {
        Terminal term = Terminal.stdout();
        Path root = RepoRoot.find();
        StackFiles files = new StackFiles(root);
        if (files.running().isPresent() && files.readInfo().isPresent()) {
            term.line("A local Tailor is already running (pid " + files.running().get().pid() + ").");
            print(term, files.readInfo().get());
            return 0;
        }
        return foreground ? runHere(term, root, files) : runInBackground(term, root, files);
    }

    /** Starts this command again with --foreground as a process of its own session, and waits until it is ready. */
    private int runInBackground(Terminal term, Path root, StackFiles files) throws Exception {
        Files.createDirectories(files.dir());
        files.clear();
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid"); // out of the terminal's session: closing it does not stop the stack
        }
        cmd.add(ProcessHandle.current().info().command().orElse(StarterModel.javaBinary()));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib")).toList());
        cmd.addAll(List.of("-Dtailor.home=" + root, "-cp", System.getProperty("java.class.path"),
                "dev.tailor.cli.TailorCli", "up", "--foreground", "--timeout", timeout.toString()));
        if (baseModelDir != null) {
            cmd.addAll(List.of("--base-model", baseModelDir.toAbsolutePath().toString()));
        }
        if (servicesRoot != null) {
            cmd.addAll(List.of("--services-root", servicesRoot.toAbsolutePath().toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(files.log().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        long t = System.nanoTime();
        long deadline = t + timeout.toNanos() + Duration.ofMinutes(1).toNanos();
        while (files.readInfo().isEmpty()) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the local Tailor stopped while starting:\n" + tail(files.log())
                        + "\n(whole log: " + root.relativize(files.log()) + ")");
            }
            if (System.nanoTime() > deadline) {
                p.destroy();
                throw new IllegalStateException("not ready within --timeout " + ProgressBar.duration(timeout)
                        + "; see " + root.relativize(files.log()));
            }
            term.live("  starting   " + lastLine(files.log()) + "  " + ProgressBar.elapsed(t));
            Thread.sleep(500);
        }
        term.line(term.green("✓ ") + "a local Tailor runs in the background (pid " + p.pid() + ", log "
                + root.relativize(files.log()) + ")  " + ProgressBar.elapsed(t));
        print(term, files.readInfo().get());
        return 0;
    }

    private int runHere(Terminal term, Path root, StackFiles files) throws Exception {
        if (files.running().isPresent()) {
            throw new IllegalStateException("a local Tailor already runs (pid " + files.running().get().pid()
                    + "): stop it with ./tailor down first");
        }
        files.writePid();
        ChildProcesses children = new ChildProcesses();
        LocalStack[] stack = new LocalStack[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            children.destroyAll();
            if (stack[0] != null) {
                stack[0].close();
            }
            if (files.ownedByThisProcess()) { // never the files of another instance
                files.clear();
            }
            System.out.println("Stopped; data kept in " + files.dir());
        }, "tailor-up-shutdown"));
        LocalTailor.Running running = LocalTailor.start(term, root, files.dir(), baseModelDir, servicesRoot, children,
                KEY_LIFETIME, "tailor-up", s -> stack[0] = s);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("pid", ProcessHandle.current().pid());
        Map<String, String> urls = new LinkedHashMap<>();
        for (TailorService s : TailorService.values()) {
            urls.put(s.shortName(), running.stack().url(s));
        }
        info.put("urls", urls);
        info.put("apiKey", running.apiKey());
        info.put("tenant", LocalTailor.TENANT);
        info.put("baseModel", running.baseModel());
        info.put("kafka", running.stack().infra().kafkaBootstrap());
        info.put("s3", running.stack().infra().s3Endpoint());
        info.put("data", files.dir().toString());
        info.put("startedAt", Instant.now().toString());
        info.put("keyExpiresAt", Instant.now().plus(KEY_LIFETIME).toString());
        files.writeInfo(info);
        print(term, Json2.tree(info));
        term.line("Running until `./tailor down` (or Ctrl-C here).");
        new CountDownLatch(1).await();
        return 0;
    }

    static void print(Terminal term, JsonNode info) {
        info.path("urls").fields().forEachRemaining(e -> term.line(String.format("  %-10s %s", e.getKey(),
                e.getValue().asText())));
        term.line("  Kafka      " + info.path("kafka").asText() + " · S3 " + info.path("s3").asText());
        term.line("  data       " + info.path("data").asText() + " (kept across restarts)");
        term.line("  API key (admin of tenant '" + info.path("tenant").asText() + "', until "
                + info.path("keyExpiresAt").asText() + "; the CLI in this checkout uses it by itself):");
        term.line("  export TAILOR_API_KEY=" + info.path("apiKey").asText());
        term.line("  next: ./tailor datasets upload examples/support-faq.jsonl --auto-train --base-model "
                + info.path("baseModel").asText() + "   then ./tailor watch <id>");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i).replaceAll("\u001B\\[[;\\d]*m", "").replace('\r', ' ').strip();
                if (!l.isEmpty()) {
                    return l.length() > 80 ? l.substring(0, 80) : l;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not written yet
        }
        return "";
    }

    /** JSON of a map, for printing what was just written. */
    private static final class Json2 {
        static JsonNode tree(Map<String, Object> m) {
            return dev.tailor.common.json.Json.mapper().valueToTree(m);
        }
    }
}
