package dev.tailor.eval.service;

import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.eval.config.EvalSettings;
import dev.tailor.eval.domain.EvalReport;
import dev.tailor.eval.domain.Verdict;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Evaluates every trained model once: writes the report (output first), then publishes {@code model.evaluated}
 * and, on PROMOTE, a {@code model.deployments} record for the configured alias. A redelivered event finds the
 * report and only republishes.
 */
@ApplicationScoped
public class Evaluations {
    private static final Logger LOG = Logger.getLogger(Evaluations.class);

    private final Evaluator evaluator;
    private final EvalSettings settings;
    private final ObjectStore store;
    private final EventSink events;
    private final MeterRegistry meters;

    public Evaluations(ObjectStore store, EvalSettings settings, EventSink events, MeterRegistry meters) {
        this.store = store;
        this.settings = settings;
        this.events = events;
        this.meters = meters;
        this.evaluator = new Evaluator(store, settings);
    }

    /** The report of a tenant's model, if it was evaluated (another tenant's model: empty). */
    public Optional<EvalReport> report(String tenant, String modelId) {
        return evaluator.existing(new ObjectLayout(tenant), modelId);
    }

    /** Evaluates in the event's tenant: one deployment evaluates the models of every tenant. */
    public void evaluate(ModelTrained event) {
        LOG.infof("model.trained %s (job %s, tenant %s): evaluating", event.modelId(), event.jobId(), event.tenant());
        ObjectLayout layout = new ObjectLayout(event.tenant());
        EvalReport report = evaluator.existing(layout, event.modelId()).orElseGet(() -> {
            EvalReport fresh = evaluator.evaluate(layout, event);
            meters.counter("tailor.eval.verdicts", "verdict", fresh.verdict()).increment();
            meters.timer("tailor.eval.duration").record(Duration.ofMillis(Math.round(fresh.seconds() * 1000)));
            return fresh;
        });
        events.publish(ModelEvaluated.create(event.tenant(), report.modelId(), report.datasetId(),
                report.baseModel(), report.adapter(), store.uri(layout.evalReport(report.modelId(), "json")),
                report.baseLoss(), report.tunedLoss(), report.verdict(), report.reason())
                .withPrincipal(event.principal()));
        String actor = AuditEvent.service("eval-service");
        events.audit(AuditEvent.of(event.tenant(), actor, event.principal(), AuditEvent.MODEL_EVALUATED, "evaluation",
                report.modelId(), Map.of("verdict", report.verdict(), "baseLoss", report.baseLoss(),
                        "tunedLoss", report.tunedLoss())));
        if (Verdict.PROMOTE.equals(report.verdict())) {
            events.publish(ModelDeployment.create(event.tenant(), settings.deployAlias(), report.modelId(),
                    report.baseModel(), report.adapter(), true).withPrincipal(event.principal()));
            events.audit(AuditEvent.of(event.tenant(), actor, event.principal(), AuditEvent.MODEL_DEPLOYED,
                    "deployment", settings.deployAlias(), Map.of("modelId", report.modelId())));
        }
    }
}
