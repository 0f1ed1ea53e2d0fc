package dev.tailor.eval.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.eval.config.EvalSettings;
import dev.tailor.eval.domain.report.EvalReport;
import dev.tailor.eval.domain.request.Lineage;
import dev.tailor.eval.domain.request.ModelSide;
import dev.tailor.eval.domain.request.EvalJob;
import dev.tailor.eval.domain.request.EvalOptions;
import dev.tailor.eval.domain.request.EvalRejected;
import dev.tailor.common.values.RequestRejected.Reason;
import dev.tailor.eval.domain.request.EvaluationRecord;
import dev.tailor.eval.domain.request.EvaluationRequest;
import dev.tailor.eval.storage.EvalStore;
import dev.tailor.eval.storage.EvalStores;
import dev.tailor.llm.lora.LoraAdapter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Evaluations asked for over the API: a model against its base or another model, on a dataset version's test split
 * or an uploaded eval set. Checked against what is in S3 before anything runs, then queued (one runs at a time,
 * after each other); the same request again finds the same evaluation. Unfinished ones resume after a restart.
 * Every request acts in its caller's tenant: models, test sets, eval sets and general text are looked up under that
 * tenant's prefix only, so another tenant's objects are unknown (404), never read.
 */
@ApplicationScoped
public class ApiEvaluations {
    private static final Logger LOG = Logger.getLogger(ApiEvaluations.class);

    private final Evaluations evaluations;
    private final EvalStores stores;
    private final EvalSettings settings;
    private final ThreadPoolExecutor executor;

    public ApiEvaluations(Evaluations evaluations, EvalStores stores, EvalSettings settings) {
        this.evaluations = evaluations;
        this.stores = stores;
        this.settings = settings;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, settings.maxQueued())), r -> {
                    Thread t = new Thread(r, "api-evaluation");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** An accepted request: its record, and whether this call created it. */
    public record Submitted(EvaluationRecord record, boolean created) {
    }

    /** A request of {@code principal} in {@code tenant} (the caller's). */
    public Submitted submit(String tenant, String principal, EvaluationRequest req) {
        EvalStore store = stores.of(tenant);
        EvalJob job = plan(store, principal, req);
        Optional<EvaluationRecord> existing = store.record(job.evaluationId());
        if (existing.isPresent() && !EvaluationRecord.FAILED.equals(existing.get().state())) {
            return new Submitted(existing.get(), false);
        }
        EvaluationRecord record = Evaluations.recordOf(job);
        store.putRecord(record);
        enqueue(store, job, record);
        return new Submitted(record, true);
    }

    private void enqueue(EvalStore store, EvalJob job, EvaluationRecord record) {
        try {
            executor.execute(() -> {
                try {
                    evaluations.runRequested(job);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "evaluation %s failed", job.evaluationId());
                }
            });
        } catch (RejectedExecutionException e) {
            store.putRecord(record.with(EvaluationRecord.FAILED, "the evaluation queue was full", null, null));
            throw new EvalRejected(Reason.BUSY, "Queue full", "the eval service has " + settings.maxQueued()
                    + " evaluations waiting; retry later", null);
        }
    }

    /** The job a request asks for, with every reference checked. */
    EvalJob plan(EvalStore store, String principal, EvaluationRequest req) {
        ModelSide tuned = resolve(store, req.model(), "model");
        ModelSide baseline;
        if (req.baseline() != null) {
            baseline = resolve(store, req.baseline(), "baseline");
        } else if (tuned.isBase()) {
            throw new EvalRejected(Reason.INVALID, "Missing baseline", "model '" + tuned.id() + "' is a base model: "
                    + "name a baseline to compare it with", "baseline");
        } else {
            baseline = ModelSide.base(tuned.baseModel());
        }
        if (tuned.equals(baseline)) {
            throw new EvalRejected(Reason.INVALID, "Same model", "a model cannot be compared with itself; name "
                    + "another baseline", "baseline");
        }
        JsonNode summary = tuned.isBase() ? null : summary(store, tuned).orElse(null);
        String datasetId = req.datasetId();
        String version = req.datasetVersion();
        String testKey;
        ObjectLayout layout = store.layout();
        if (req.evalSet() != null) {
            testKey = req.evalSet().startsWith("s3://") ? keyOf(store, req.evalSet()) : layout.evalSet(req.evalSet());
            datasetId = null;
            version = null;
        } else {
            if (datasetId == null && summary != null && summary.path("datasetId").isTextual()) {
                datasetId = summary.path("datasetId").asText();
                version = summary.path("datasetVersion").asText(null);
            }
            if (datasetId == null) {
                throw new EvalRejected(Reason.INVALID, "Missing test set", "name the examples to evaluate on: "
                        + "datasetId and datasetVersion (its test split) or evalSet", "datasetId");
            }
            if (version == null) {
                throw new EvalRejected(Reason.INVALID, "Missing datasetVersion", "datasetVersion is required with "
                        + "datasetId (the version's test split is used)", "datasetVersion");
            }
            testKey = layout.split(datasetId, version, "test");
        }
        if (!store.exists(store.objects().uri(testKey))) {
            throw new EvalRejected(Reason.NOT_FOUND, "Unknown test set", "no examples at "
                    + store.objects().uri(testKey), req.evalSet() != null ? "evalSet" : "datasetVersion");
        }
        EvalOptions options;
        try {
            options = EvalOptions.parse(req.settings(), evaluations.defaults());
        } catch (IllegalArgumentException e) {
            throw new EvalRejected(Reason.INVALID, "Invalid settings", e.getMessage(), "settings");
        }
        for (String uri : options.generalText()) {
            keyOf(store, uri);
            if (!store.exists(uri)) {
                throw new EvalRejected(Reason.NOT_FOUND, "Unknown general text", "no object at " + uri,
                        "settings.generalText");
            }
        }
        String testUri = store.objects().uri(testKey);
        Lineage lineage = new Lineage(datasetId, version,
                summary == null ? null : summary.path("jobId").asText(null),
                summary == null ? null : summary.path("parentModel").asText(null),
                summary == null ? null : summary.get("params"), testUri);
        String id = "ev-" + sha256(String.join("\n", layout.tenant(), tuned.id(), baseline.id(), testUri,
                Json.write(options.redacted().toJson()))).substring(0, 16);
        return new EvalJob(id, EvalReport.API, tuned, baseline, testKey, lineage, options, null,
                datasetId == null ? null : layout.report(datasetId, version), layout.tenant(), principal);
    }

    /** A tuned model (its folder and training summary) or a base model, by id or name. */
    private ModelSide resolve(EvalStore store, String name, String field) {
        ObjectLayout layout = store.layout();
        String prefix = layout.tunedModel(name);
        boolean tuned = store.objects().exists(prefix + LoraAdapter.CONFIG_FILE)
                || store.objects().exists(ObjectLayout.modelConfig(prefix));
        if (tuned) {
            JsonNode summary = store.trainingSummary(prefix).orElse(null);
            if (summary == null || !summary.path("baseModel").isTextual()) {
                throw new EvalRejected(Reason.UNPROCESSABLE, "Unknown base model", "tuned model '" + name
                        + "' has no training.json naming its base model at " + store.objects().uri(prefix), field);
            }
            return new ModelSide(name, summary.path("baseModel").asText(), store.objects().uri(prefix));
        }
        if (store.baseModelExists(name)) {
            return ModelSide.base(name);
        }
        throw new EvalRejected(Reason.NOT_FOUND, "Unknown model", "'" + name + "' is neither a tuned model (at "
                + store.objects().uri(prefix) + ") nor a base model (at "
                + store.objects().uri(layout.baseModel(name)) + ")", field);
    }

    private static Optional<JsonNode> summary(EvalStore store, ModelSide tuned) {
        return store.trainingSummary(ObjectLayout.folderOf(keyOf(store, tuned.adapter())));
    }

    private static String keyOf(EvalStore store, String uri) {
        try {
            return store.objects().keyOf(uri);
        } catch (IllegalArgumentException e) {
            throw new EvalRejected(Reason.INVALID, "Invalid URI", e.getMessage(), "evalSet");
        }
    }

    /** Unfinished API evaluations of an earlier run (of every tenant) are queued again. */
    void onStart(@Observes StartupEvent event) {
        try {
            for (EvalStores.Unfinished u : stores.unfinished()) {
                EvaluationRecord r = u.record();
                if (!EvalReport.API.equals(r.trigger())) {
                    continue;
                }
                LOG.infof("resuming evaluation %s", r.evaluationId());
                EvaluationRequest req = new EvaluationRequest(r.modelId(), r.baselineId(),
                        r.testSet().contains("/_sets/") ? null : r.datasetId(),
                        r.testSet().contains("/_sets/") ? null : r.datasetVersion(),
                        r.testSet().contains("/_sets/") ? r.testSet() : null, r.settings());
                EvalStore store = stores.of(u.tenant());
                enqueue(store, plan(store, r.requestedBy(), req), r);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not look for unfinished evaluations: %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    /** An eval set stored for evaluations: its id, URI and number of examples. */
    public record EvalSet(String id, String uri, int examples) {
    }

    /** Stores an uploaded eval set (JSONL, checked line by line) in the caller's tenant. */
    public EvalSet putEvalSet(String tenant, byte[] jsonl) {
        if (jsonl.length == 0) {
            throw new EvalRejected(Reason.INVALID, "Empty eval set", "send JSONL lines of {\"messages\": […]}", "body");
        }
        int n;
        try {
            n = dev.tailor.eval.domain.testset.TestSetReader.read(new java.io.ByteArrayInputStream(jsonl),
                    "the eval set", Integer.MAX_VALUE).size();
        } catch (IllegalArgumentException e) {
            throw new EvalRejected(Reason.INVALID, "Invalid eval set", e.getMessage(), "body");
        } catch (java.io.IOException e) {
            throw new EvalRejected(Reason.INVALID, "Unreadable eval set", e.getMessage(), "body");
        }
        if (n == 0) {
            throw new EvalRejected(Reason.INVALID, "Empty eval set", "the eval set has no examples", "body");
        }
        String id = "set-" + sha256(new String(jsonl, StandardCharsets.UTF_8)).substring(0, 16);
        return new EvalSet(id, stores.of(tenant).putEvalSet(id, jsonl), n);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When the evaluation's record says so: its report, or nothing yet (another tenant's: nothing). */
    public Optional<EvalReport> report(String tenant, String evaluationId) {
        return stores.of(tenant).report(evaluationId);
    }
}
