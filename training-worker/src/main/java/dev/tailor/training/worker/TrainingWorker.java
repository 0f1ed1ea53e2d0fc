package dev.tailor.training.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.LocalModelCache;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.finetune.FineTune;
import dev.tailor.llm.train.CancellationToken;
import dev.tailor.llm.train.RunOptions;
import dev.tailor.llm.train.TrainProgress;
import dev.tailor.llm.train.TrainResult;
import dev.tailor.llm.train.TrainingCancelledException;
import dev.tailor.llm.vocab.VocabularyExtension;
import dev.tailor.training.worker.WorkerReport.State;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One training job in its own JVM (DJL allows one gradient collector per process, and a job must be killable):
 * downloads the base model and the dataset splits, resumes from the last checkpoint in S3, runs the fine-tune
 * recipe ({@link FineTune}), mirrors checkpoints to S3 as it goes, then writes the adapter, {@code training.json},
 * {@code metrics.jsonl} and finally {@code manifest.json} to {@code models/tuned/{modelId}/}. Plain Java: the
 * training-worker module's own classpath, no Quarkus.
 *
 * <p>Two modes. Local ({@code TrainingWorker spec.json}): progress goes to stdout as {@link WorkerReport} lines, and the
 * controller's closing of stdin stops it. Cluster (no argument; the spec in {@code TAILOR_WORKER_SPEC}, the pod of a
 * Kubernetes Job): progress and {@code model.trained} go to Kafka ({@code TAILOR_KAFKA_BOOTSTRAP_SERVERS}), SIGTERM
 * (preemption, deletion) saves a checkpoint to S3 before the pod goes, and a failure's reason is the pod's termination
 * message ({@code TAILOR_TERMINATION_LOG}). A restarted pod resumes from the last checkpoint in S3.
 *
 * <p>Exit codes: 0 succeeded, 1 failed, 3 cancelled.
 */
public final class TrainingWorker {
    static final int EXIT_FAILED = 1;
    static final int EXIT_CANCELLED = 3;
    private static final long SYNC_SECONDS = 2;

    /** The whole spec as JSON, in a cluster worker's environment. */
    static final String ENV_SPEC = "TAILOR_WORKER_SPEC";
    static final String ENV_KAFKA = "TAILOR_KAFKA_BOOTSTRAP_SERVERS";
    static final String ENV_TERMINATION_LOG = "TAILOR_TERMINATION_LOG";

    private final WorkerSpec spec;
    private final ObjectStore store;
    private final Reports out;
    private final boolean cluster;
    private final CancellationToken cancel = new CancellationToken();
    private volatile boolean signalled;

    TrainingWorker(WorkerSpec spec, ObjectStore store, Reports out, boolean cluster) {
        this.spec = spec;
        this.store = store;
        this.out = out;
        this.cluster = cluster;
    }

    public static void main(String[] args) {
        boolean cluster = args.length == 0 && System.getenv(ENV_SPEC) != null;
        Reports out = null;
        int code;
        TrainingWorker worker = null;
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try {
            if (args.length != 1 && !cluster) {
                throw new IllegalArgumentException("usage: TrainingWorker <spec.json>, or no argument with the spec"
                        + " in " + ENV_SPEC);
            }
            WorkerSpec spec = cluster ? Json.read(System.getenv(ENV_SPEC), WorkerSpec.class)
                    : Json.read(Files.readAllBytes(Path.of(args[0])), WorkerSpec.class);
            out = cluster && System.getenv(ENV_KAFKA) != null
                    ? new KafkaReports(new KafkaEvents(System.getenv(ENV_KAFKA), System.getenv("KAFKA_SASL_JAAS_CONFIG")),
                    spec, System.getenv(ENV_TERMINATION_LOG) == null ? null : Path.of(System.getenv(ENV_TERMINATION_LOG)))
                    : new ProgressOut();
            ObjectStore store = new ObjectStore(spec.s3Endpoint(), env(WorkerSpec.ENV_ACCESS_KEY),
                    env(WorkerSpec.ENV_SECRET_KEY), spec.bucket(), spec.region());
            worker = new TrainingWorker(spec, store, out, cluster);
            if (cluster) {
                TrainingWorker w = worker;
                // SIGTERM (preemption, deletion, node drain): stop at the next step, checkpoint to S3, then go
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    w.signalled = true;
                    w.cancel.cancel();
                    try {
                        done.await(10, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "checkpoint-on-sigterm"));
            }
            code = worker.run();
        } catch (Throwable t) {
            t.printStackTrace();
            if (out == null) {
                out = new ProgressOut();
            }
            out.end(new WorkerReport(State.FAILED.name(), 0, 0, 0, null, null, null, null, null,
                    t.getClass().getSimpleName() + ": " + t.getMessage()));
            code = EXIT_FAILED;
        } finally {
            if (out != null) {
                out.close();
            }
            done.countDown();
        }
        if (worker == null || !worker.signalled) {
            System.exit(code); // after a SIGTERM the JVM is already exiting (with 143)
        }
    }

    int run() throws IOException {
        Path work = Path.of(spec.workDir());
        Path outputDir = work.resolve("output");
        Files.createDirectories(outputDir);
        if (cluster && store.exists(ObjectLayout.manifest(spec.outputPrefix()))) {
            // an earlier attempt finished the output but went before announcing it
            out.trained(TrainingOutputs.trained(store, spec));
            out.end(new WorkerReport(State.SUCCEEDED.name(), 0, 0, 0, null, null, null, null, 0.0,
                    "output already complete; model.trained published again"));
            return 0;
        }
        Path baseDir = new LocalModelCache(store, work).folder("base", spec.baseModel(), spec.baseModelPrefix(), false);
        List<ChatExample> train = readSplit(spec.trainKey());
        List<ChatExample> validation = store.exists(spec.validationKey()) ? readSplit(spec.validationKey()) : List.of();

        ParentWatch parent = cluster ? null : ParentWatch.start(cancel);
        CheckpointSync checkpoints = new CheckpointSync(store, spec.outputPrefix(), outputDir);
        checkpoints.restore().ifPresent(step -> System.err.println("resuming from checkpoint at step " + step));
        ScheduledExecutorService syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "checkpoint-sync");
            t.setDaemon(true);
            return t;
        });
        syncer.scheduleWithFixedDelay(() -> {
            try {
                checkpoints.sync();
            } catch (RuntimeException e) {
                System.err.println("checkpoint upload failed, will retry: " + e.getMessage());
            }
        }, SYNC_SECONDS, SYNC_SECONDS, TimeUnit.SECONDS);

        TrainResult result;
        RunOptions run = RunOptions.to(outputDir).withCheckpointEvery(spec.checkpointEvery())
                .withBaseModelName(spec.baseModel()).withListener(this::report).withCancel(cancel);
        if (spec.parentPrefix() != null) {
            // continue from the parent's adapter: its weights are the starting point of this job's adapter
            run = run.withInitialAdapter(new LocalModelCache(store, work).folder("parent", spec.parentModel(),
                    spec.parentPrefix(), true));
        }
        try {
            result = FineTune.run(baseDir, train, validation, withGlossaryTerms(spec), run);
        } catch (TrainingCancelledException e) {
            syncer.shutdownNow();
            checkpoints.sync();
            out.end(new WorkerReport(State.CANCELLED.name(), 0, 0, 0, null, null, null, null, null,
                    signalled || (parent != null && parent.parentGone())
                            ? "stopped (controller went away, or the pod was preempted); resumable from the last"
                            + " checkpoint" : "cancelled at a step boundary; checkpoint saved"));
            return EXIT_CANCELLED;
        } finally {
            syncer.shutdownNow();
        }
        checkpoints.sync();
        publishOutput(outputDir, result);
        out.trained(TrainingOutputs.trained(store, spec));
        out.end(new WorkerReport(State.SUCCEEDED.name(), result.steps(), result.steps(), 0,
                finite(result.trainLoss()), result.validationLoss(), null, null, 0.0,
                result.stoppedEarly() ? "stopped early on validation loss" : "done"));
        return 0;
    }

    private void report(TrainProgress p) {
        out.step(new WorkerReport(State.RUNNING.name(), p.step(), p.totalSteps(), p.epoch(), p.loss(),
                p.validationLoss(), p.learningRate(), p.tokensPerSecond(), p.etaSeconds(), null));
    }

    /** Uploads the adapter (or full checkpoint) and summaries, then the manifest that marks the output complete. */
    private void publishOutput(Path outputDir, TrainResult result) throws IOException {
        enrichSummary(outputDir.resolve("training.json"));
        Map<String, String> keys = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(outputDir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String key = spec.outputPrefix() + file.getFileName();
            try (InputStream in = Files.newInputStream(file)) {
                store.put(key, in, Files.size(file), contentType(file));
            }
            keys.put(file.getFileName().toString(), store.uri(key));
        }
        TrainingOutputs.writeManifest(store, spec, "training-service/worker", keys, result.steps());
    }

    /** Adds the job's identity and inputs to the trainer's training.json; lifts the losses to the top level. */
    private void enrichSummary(Path file) throws IOException {
        ObjectNode summary = Files.exists(file) ? (ObjectNode) Json.mapper().readTree(file.toFile())
                : Json.mapper().createObjectNode();
        JsonNode result = summary.path("result");
        if (result.path("trainLoss").isNumber()) {
            summary.set("trainLoss", result.get("trainLoss"));
        }
        if (result.path("validationLoss").isNumber()) {
            summary.set("validationLoss", result.get("validationLoss"));
        }
        summary.put("jobId", spec.jobId());
        summary.put("modelId", spec.modelId());
        summary.put("datasetId", spec.datasetId());
        summary.put("datasetVersion", spec.datasetVersion());
        summary.put("baseModel", spec.baseModel());
        summary.set("params", Json.mapper().valueToTree(spec.params()));
        if (spec.parentModel() != null) {
            summary.put("parentModel", spec.parentModel());
        }
        if (spec.sweep() != null) {
            summary.set("sweep", Json.mapper().valueToTree(spec.sweep()));
        }
        Files.writeString(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    }

    /**
     * The job's parameters, with the glossary terms of the train split when it extends the vocabulary without listing
     * terms of its own.
     */
    private TrainingParams withGlossaryTerms(WorkerSpec spec) throws IOException {
        TrainingParams p = spec.params();
        if (!p.vocabulary().extend() || !p.vocabulary().terms().isEmpty()) {
            return p;
        }
        List<String> terms;
        try (InputStream in = store.get(spec.trainKey())) {
            terms = VocabularyExtension.glossaryTerms(in, store.uri(spec.trainKey()));
        }
        System.err.println("vocabulary: " + terms.size() + " glossary terms of the train split");
        return p.toBuilder().terms(terms).build();
    }

    private List<ChatExample> readSplit(String key) throws IOException {
        try (InputStream in = store.get(key)) {
            return FineTune.readSplit(in, store.uri(key));
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
            return "application/json";
        }
        return name.endsWith(".jsonl") ? "application/x-ndjson" : "application/octet-stream";
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return v;
    }
}
