package dev.tailor.eval.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.eval.config.EvalSettings;
import dev.tailor.eval.domain.report.EvalReport;
import dev.tailor.eval.domain.request.Lineage;
import dev.tailor.eval.domain.request.ModelSide;
import dev.tailor.eval.domain.request.SweepCandidate;
import dev.tailor.eval.domain.report.SweepDecision;
import dev.tailor.eval.domain.request.EvalJob;
import dev.tailor.eval.domain.request.EvalOptions;
import dev.tailor.eval.domain.request.EvaluationRecord;
import dev.tailor.eval.storage.EvalStore;
import dev.tailor.eval.storage.EvalStores;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Evaluates every trained model once against its base model (the evaluation's id is the model's id): writes the
 * report (output first), then publishes {@code model.evaluated} (inference deploys a promoted model under its
 * dataset's alias). A redelivered event finds the report and only republishes. A sweep candidate's verdict
 * waits until every candidate of its sweep is evaluated: then only the best that passed the gate is promoted.
 * Each evaluation acts in its event's (or caller's) tenant: one deployment evaluates the models of every tenant, and
 * reads only the tenant's objects.
 */
@ApplicationScoped
public class Evaluations {
    private static final Logger LOG = Logger.getLogger(Evaluations.class);

    private final EvalStores stores;
    private final Evaluator evaluator;
    private final EvalSettings settings;
    private final EventSink events;
    private final MeterRegistry meters;
    private final EvalOptions defaults;
    private final SweepDecision sweeps = new SweepDecision();

    public Evaluations(EvalStores stores, EvalSettings settings, EventSink events, MeterRegistry meters) {
        this.stores = stores;
        this.settings = settings;
        this.events = events;
        this.meters = meters;
        this.evaluator = new Evaluator(stores, settings);
        this.defaults = defaultOptions(settings);
    }

    /** The service's default settings ({@code tailor.eval.options}); a bad value stops the service at start-up. */
    static EvalOptions defaultOptions(EvalSettings settings) {
        return settings.options().filter(s -> !s.isBlank())
                .map(s -> EvalOptions.parse(dev.tailor.common.json.Json.read(s.getBytes(
                        java.nio.charset.StandardCharsets.UTF_8), JsonNode.class), EvalOptions.DEFAULT))
                .orElse(EvalOptions.DEFAULT);
    }

    public EvalOptions defaults() {
        return defaults;
    }

    public EvalStores stores() {
        return stores;
    }

    public Evaluator evaluator() {
        return evaluator;
    }

    /** A trained model: evaluated once, then its verdict published (a sweep's when all candidates are in). */
    public void evaluate(ModelTrained event) {
        LOG.infof("model.trained %s (job %s, tenant %s): evaluating", event.modelId(), event.jobId(), event.tenant());
        EvalStore store = stores.of(event.tenant());
        EvalJob job = jobOf(store, event, defaults);
        EvalReport report = store.report(job.evaluationId()).orElseGet(() -> run(job));
        if (event.sweep() == null) {
            publish(job, report);
            return;
        }
        store.putSweepCandidate(event.sweep().sweepId(), event.modelId(), report.evaluationId());
        List<EvalReport> candidates = new ArrayList<>();
        for (String id : store.sweepCandidates(event.sweep().sweepId())) {
            store.report(id).ifPresent(candidates::add);
        }
        if (candidates.size() < event.sweep().candidates()) {
            LOG.infof("sweep %s: %d of %d candidates evaluated; the verdict waits for the rest",
                    event.sweep().sweepId(), candidates.size(), event.sweep().candidates());
            return;
        }
        for (EvalReport decided : sweeps.decide(candidates)) {
            store.writeReport(decided, java.util.Map.of("sweep", decided.sweep().sweepId()), event.principal());
            store.record(decided.evaluationId()).ifPresent(r -> store.putRecord(r.with(EvaluationRecord.SUCCEEDED,
                    null, decided.verdict(), decided.reason())));
            publish(job, decided);
        }
    }

    /** Runs a job with its record kept up to date. */
    EvalReport run(EvalJob job) {
        EvalStore store = stores.of(job.tenant());
        EvaluationRecord record = store.record(job.evaluationId()).orElseGet(() -> recordOf(job));
        store.putRecord(record.with(EvaluationRecord.RUNNING, "scoring both models", null, null));
        try {
            EvalReport fresh = evaluator.run(job);
            store.putRecord(record.with(EvaluationRecord.SUCCEEDED, null, fresh.verdict(), fresh.reason()));
            meters.counter("tailor.eval.verdicts", "verdict", fresh.verdict()).increment();
            meters.timer("tailor.eval.duration").record(Duration.ofMillis(Math.round(fresh.seconds() * 1000)));
            return fresh;
        } catch (RuntimeException e) {
            store.putRecord(record.with(EvaluationRecord.FAILED, e.getMessage(), null, null));
            throw e;
        }
    }

    static EvaluationRecord recordOf(EvalJob job) {
        return new EvaluationRecord(job.evaluationId(), EvaluationRecord.QUEUED, job.trigger(), job.tuned().id(),
                job.baseline().id(), job.lineage().datasetId(), job.lineage().datasetVersion(),
                job.lineage().testSet(), job.options().redacted().toJson(), null, null, null, Instant.now(), null,
                job.principal());
    }

    /** An evaluation asked for over the API: run, then audited as done by its caller. */
    EvalReport runRequested(EvalJob job) {
        EvalReport report = run(job);
        events.audit(AuditEvent.of(job.tenant(), job.principal(), job.principal(), AuditEvent.MODEL_EVALUATED,
                "evaluation", job.evaluationId(), Map.of("modelId", job.tuned().id(), "verdict", report.verdict())));
        return report;
    }

    /** The job of a trained model: its adapter and test split must lie under the event's tenant's prefix. */
    private static EvalJob jobOf(EvalStore store, ModelTrained e, EvalOptions defaults) {
        ObjectLayout layout = store.layout();
        String prefix = layout.owned("adapter", ObjectLayout.folderOf(store.objects().keyOf(e.adapter())));
        String testKey = layout.owned("testSplit", store.objects().keyOf(e.testSplit()));
        JsonNode summary = store.trainingSummary(prefix).orElse(null);
        String parent = e.parentModel() != null ? e.parentModel()
                : summary != null && summary.path("parentModel").isTextual() ? summary.path("parentModel").asText()
                : null;
        Lineage lineage = new Lineage(e.datasetId(), e.datasetVersion(), e.jobId(), parent,
                summary == null ? null : summary.get("params"), e.testSplit());
        EvalOptions options = EvalOptions.parse(e.evaluation(), defaults);
        SweepCandidate sweep = e.sweep() == null ? null
                : new SweepCandidate(e.sweep().sweepId(), e.sweep().index(), e.sweep().candidates(), null);
        return new EvalJob(e.modelId(), EvalReport.TRAINING, new ModelSide(e.modelId(), e.baseModel(), e.adapter()),
                ModelSide.base(e.baseModel()), testKey, lineage, options, sweep,
                layout.report(e.datasetId(), e.datasetVersion()), e.tenant(), e.principal());
    }

    /** model.evaluated for the job's tenant, with who it was done for; audited (inference deploys a promoted model). */
    private void publish(EvalJob job, EvalReport report) {
        String tenant = job.tenant();
        EvalStore store = stores.of(tenant);
        ObjectLayout layout = store.layout();
        String datasetId = report.lineage().datasetId();
        events.publish(ModelEvaluated.create(tenant, report.tuned().id(), datasetId, report.tuned().baseModel(),
                report.tuned().adapter(), store.objects().uri(layout.evalReport(report.evaluationId(), "json")),
                finite(report.testLoss().base()), finite(report.testLoss().tuned()), report.verdict(),
                report.reason(), report.evaluationId(), reportUrl(report.evaluationId()))
                .withPrincipal(job.principal()));
        events.audit(AuditEvent.of(tenant, AuditEvent.service("eval-service"), job.principal(),
                AuditEvent.MODEL_EVALUATED, "evaluation", report.evaluationId(),
                Map.of("modelId", report.tuned().id(), "verdict", report.verdict())));
    }

    /** The public URL of an evaluation's HTML report, when this service knows its own URL. */
    public String reportUrl(String evaluationId) {
        return settings.publicUrl().map(u -> u.replaceAll("/+$", "") + "/v1/evaluations/" + evaluationId
                + "/report.html").orElse(null);
    }

    /** A loss that is not a finite number (a diverged model) is published as the largest double. */
    private static double finite(double v) {
        return Double.isFinite(v) && v >= 0 ? v : Double.MAX_VALUE;
    }
}
