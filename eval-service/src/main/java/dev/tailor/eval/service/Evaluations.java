package dev.tailor.eval.service;

import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.eval.config.EvalSettings;
import dev.tailor.eval.domain.EvalReport;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Evaluates every trained model once: writes the report (output first), then publishes {@code model.evaluated}
 * (inference deploys a promoted model under its dataset's alias). A redelivered event finds the report and only
 * republishes.
 */
@ApplicationScoped
public class Evaluations {
    private static final Logger LOG = Logger.getLogger(Evaluations.class);

    private final Evaluator evaluator;
    private final EvalSettings settings;
    private final ObjectStore store;
    private final ObjectLayout layout;
    private final EventSink events;
    private final MeterRegistry meters;

    public Evaluations(ObjectStore store, ObjectLayout layout, EvalSettings settings, EventSink events,
                       MeterRegistry meters) {
        this.store = store;
        this.layout = layout;
        this.settings = settings;
        this.events = events;
        this.meters = meters;
        this.evaluator = new Evaluator(store, layout, settings);
    }

    public void evaluate(ModelTrained event) {
        LOG.infof("model.trained %s (job %s): evaluating", event.modelId(), event.jobId());
        EvalReport report = evaluator.existing(event.modelId()).orElseGet(() -> {
            EvalReport fresh = evaluator.evaluate(event);
            meters.counter("tailor.eval.verdicts", "verdict", fresh.verdict()).increment();
            meters.timer("tailor.eval.duration").record(Duration.ofMillis(Math.round(fresh.seconds() * 1000)));
            return fresh;
        });
        events.publish(ModelEvaluated.create(event.tenant(), report.modelId(), report.datasetId(),
                report.baseModel(), report.adapter(), store.uri(layout.evalReport(report.modelId(), "json")),
                report.baseLoss(), report.tunedLoss(), report.verdict(), report.reason()));
    }
}
