package dev.tailor.cli.demo;

import dev.tailor.localstack.ChildProcesses;
import dev.tailor.localstack.LocalStack;
import dev.tailor.localstack.TailorService;
import dev.tailor.localstack.TopicTail;
import dev.tailor.cli.support.MemoryMeter;
import dev.tailor.cli.support.ProgressBar;
import dev.tailor.cli.support.RepoRoot;
import dev.tailor.cli.support.Terminal;
import dev.tailor.common.auth.ApiKeyStore;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tailor demo}: the whole pipeline on this machine. Starts Kafka, S3 and the five services as
 * processes, uploads the sample dataset with auto-training on the starter model, follows every stage,
 * prints the evaluation and a ready-to-paste {@code curl}, and keeps serving until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on this machine and serve the tuned model.",
                "Starts Kafka, S3, the five services and the web console as processes, uploads the sample dataset, which is "
                        + "cleaned, fine-tuned (LoRA) on the starter model, evaluated and served; shows each stage "
                        + "and prints a curl for the chat API. Ctrl-C stops every process it started."})
public final class DemoCommand implements Callable<Integer> {

    static final String TENANT = LocalTailor.TENANT;
    /** How long the demo's API key works. */
    static final Duration KEY_LIFETIME = Duration.ofDays(7);

    @Option(names = "--no-build", description = "Skip ./tailor's up-to-date check and build (handled by the launcher).")
    boolean noBuild;

    @Option(names = "--keep-data", description = "Keep Kafka and S3 data under .tailor/demo/infra after exit.")
    boolean keepData;

    @Option(names = "--timeout", defaultValue = "PT20M",
            description = "Longest wait from upload to a served model, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--dataset", description = "JSONL file to upload (default: examples/support-faq.jsonl).")
    Path dataset;

    @Option(names = "--base-model", description = "An HF checkpoint folder to fine-tune instead of the starter model.")
    Path baseModelDir;

    @Option(names = "--services-root", hidden = true,
            description = "Checkout whose <service>/target/quarkus-app to run (default: this one).")
    Path servicesRoot;

    @Option(names = "--stop-when-ready", description = "Stop everything once the model is served (for scripts).")
    boolean stopWhenReady;

    @Override
    public Integer call() throws Exception {
        Terminal term = Terminal.stdout();
        Path root = RepoRoot.find();
        Path demoDir = root.resolve(".tailor/demo");
        Path data = demoDir.resolve("infra");
        Path input = dataset != null ? dataset : root.resolve("examples/support-faq.jsonl");
        if (!Files.isRegularFile(input)) {
            throw new IllegalArgumentException("dataset " + input + " not found: pass --dataset FILE.jsonl");
        }
        term.line(term.bold("Tailor demo") + " — Kafka, S3 and five services on this machine; Ctrl-C stops them all.");
        MemoryMeter memory = new MemoryMeter().start();
        ChildProcesses children = new ChildProcesses();
        Shutdown shutdown = new Shutdown(term, children, data, keepData);
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "tailor-demo-shutdown"));
        StarterModel.deleteRecursively(data);
        StarterModel.deleteRecursively(demoDir.resolve("cache"));
        LocalTailor.Running running = LocalTailor.start(term, root, demoDir, baseModelDir, servicesRoot, children,
                KEY_LIFETIME, "tailor-demo", s -> shutdown.stack = s);
        LocalStack stack = running.stack();
        String key = running.apiKey();
        String baseName = running.baseModel();

        long uploadStart = System.nanoTime();
        DemoHttp http = new DemoHttp(key);
        String datasetId = http.uploadDataset(stack.url(TailorService.INGEST), input, "support-faq", baseName);
        term.line(PipelineView.label("upload") + term.green("✓ ") + input.getFileName() + " ("
                + ProgressBar.bytes(Files.size(input)) + ") → dataset " + datasetId + " · status: curl "
                + stack.url(TailorService.INGEST) + "/v1/datasets/" + datasetId);

        ModelEvaluated eval = follow(term, stack, datasetId, uploadStart);
        printVerdict(term, http, stack, eval);
        String model = awaitServed(term, http, stack, eval, baseName, uploadStart);
        term.line(PipelineView.label("memory") + "peak " + ProgressBar.bytes(memory.peakBytes()) + " RSS across "
                + memory.peakProcesses() + " processes (this CLI, Kafka, S3, services, training worker)");
        term.line("");
        term.line(term.bold("Upload → served model in " + ProgressBar.elapsed(uploadStart)) + ". Try it:");
        term.line("  API key (admin of tenant '" + TENANT + "', valid " + KEY_LIFETIME.toDays() + " days; shown once,"
                + " stored only as a SHA-256):");
        term.line("  export TAILOR_API_KEY=" + key);
        term.line("  " + ExampleRequest.curl(stack.url(TailorService.INFERENCE), model,
                ExampleRequest.question(testSplit(stack, datasetId), input)));
        term.line("  Web console: " + stack.url(TailorService.CONSOLE) + "  (sign in with the API key; pipeline, cleaning"
                + " report, jobs, evaluations, models, chat)");
        term.line("");
        if (stopWhenReady) {
            shutdown.run();
            return 0;
        }
        term.line("Serving until Ctrl-C.");
        new CountDownLatch(1).await();
        return 0;
    }

    /**
     * What auto-training does with the starter model: the platform defaults suit real checkpoints (a low learning
     * rate, q/v only); the small starter model learns the support data's style faster with LoRA on every
     * projection, a higher rate and longer sequences (the sample's answers run to 600 characters).
     */
    static final String AUTO_TRAIN_PARAMS = Json.write(TrainingParams.defaults().toBuilder()
            .targetModules(Projection.values()).learningRate(0.005).epochs(3).maxSeqLength(512).build());

    /** The demo's evaluation: answers of up to 64 new tokens (the sample's answers run longer; the report says so). */
    static final String EVAL_OPTIONS = "{\"generation\": {\"maxNewTokens\": 64}}";

    /** Where each service keeps its local files in the demo, and the base model inference serves as is. */
    static Map<TailorService, Map<String, String>> serviceSettings(Path demoDir, String baseName) {
        Path cache = demoDir.resolve("cache");
        return Map.of(
                TailorService.CLEANING, Map.of("tailor.cleaning.default-base-model", baseName),
                TailorService.TRAINING, Map.of("tailor.training.work-dir", cache.resolve("training").toString(),
                        "tailor.training.default-base-model", baseName,
                        "tailor.training.auto-train-params", AUTO_TRAIN_PARAMS),
                TailorService.EVAL, Map.of("tailor.eval.cache-dir", cache.resolve("eval").toString(),
                        "tailor.eval.public-url", "http://127.0.0.1:" + LocalStack.defaultPorts().get(TailorService.EVAL),
                        "tailor.eval.options", EVAL_OPTIONS),
                TailorService.INFERENCE, Map.of("tailor.inference.cache-dir", cache.resolve("inference").toString(),
                        "tailor.inference.base-models", TENANT + "/" + baseName));
    }

    private ModelEvaluated follow(Terminal term, LocalStack stack, String datasetId, long uploadStart) {
        PipelineView view = new PipelineView(term, datasetId);
        long deadline = uploadStart + timeout.toNanos();
        try (TopicTail events = new TopicTail(stack.infra().kafkaBootstrap(), "tailor-cli")) {
            while (!view.evaluated()) {
                events.poll(Duration.ofMillis(500)).forEach(view::accept);
                view.tick();
                if (view.failure() != null) {
                    throw new IllegalStateException(view.failure() + " (service logs: .tailor/demo/logs/)");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no evaluation after " + ProgressBar.duration(timeout)
                            + "; see .tailor/demo/logs/ or raise --timeout");
                }
            }
        }
        return view.evaluation();
    }

    /** Every metric's gain with its 95 % interval, from eval's API (the report's URL is on the line above). */
    private static void printVerdict(Terminal term, DemoHttp http, LocalStack stack, ModelEvaluated eval)
            throws InterruptedException {
        if (eval.evaluationId() == null) {
            return;
        }
        com.fasterxml.jackson.databind.JsonNode view = http.evaluation(stack.url(TailorService.EVAL),
                eval.evaluationId());
        String line = VerdictLine.of(view);
        if (!line.isEmpty()) {
            term.line(" ".repeat(13) + "gains (tuned − base, 95 % intervals): " + line);
        }
    }

    /** Waits until inference lists the tuned model (or, when rejected, the base model) and returns its id. */
    private String awaitServed(Terminal term, DemoHttp http, LocalStack stack, ModelEvaluated eval, String baseName,
                               long uploadStart) throws InterruptedException {
        String wanted = eval.promoted() ? eval.modelId() : baseName;
        long t = System.nanoTime();
        long deadline = uploadStart + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> ids = http.modelIds(stack.url(TailorService.INFERENCE));
            String match = ids.stream().filter(id -> id.equals(wanted) || id.contains(wanted)).findFirst().orElse(null);
            if (match != null) {
                term.line(PipelineView.label("serving") + term.green("✓ ") + match + " on "
                        + stack.url(TailorService.INFERENCE) + "  " + ProgressBar.elapsed(t));
                return match;
            }
            term.live(PipelineView.label("serving") + "loading " + wanted + " into inference  " + ProgressBar.elapsed(t));
            Thread.sleep(1000);
        }
        throw new IllegalStateException("inference did not list " + wanted + " within --timeout; see "
                + ".tailor/demo/logs/inference.log");
    }

    /** The cleaned test split of the uploaded dataset (newest version), or null when it cannot be read. */
    private static java.io.InputStream testSplit(LocalStack stack, String datasetId) {
        try {
            ObjectStore store = stack.infra().objectStore();
            ObjectLayout layout = new ObjectLayout(TENANT);
            String newest = null;
            Instant at = null;
            for (dev.tailor.common.storage.ObjectInfo o : store.list(layout.datasetRoot(datasetId))) {
                if (o.key().endsWith("/test.jsonl") && (at == null || o.lastModified().isAfter(at))) {
                    newest = o.key();
                    at = o.lastModified();
                }
            }
            return newest == null ? null : store.get(newest);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** Stops everything once, from the shutdown hook (Ctrl-C, SIGTERM) or at the end of a scripted run. */
    private static final class Shutdown {
        private final Terminal term;
        private final ChildProcesses children;
        private final Path data;
        private final boolean keepData;
        volatile LocalStack stack;
        private boolean done;

        Shutdown(Terminal term, ChildProcesses children, Path data, boolean keepData) {
            this.term = term;
            this.children = children;
            this.data = data;
            this.keepData = keepData;
        }

        synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            term.line("");
            term.line("Stopping the services, Kafka and S3 …");
            children.destroyAll();
            if (stack != null) {
                stack.close();
            }
            if (!keepData) {
                try {
                    StarterModel.deleteRecursively(data);
                } catch (RuntimeException e) {
                    term.line("could not delete " + data + ": " + e.getMessage());
                }
            }
            term.line("Stopped." + (keepData ? " Data kept in " + data : ""));
        }
    }
}
