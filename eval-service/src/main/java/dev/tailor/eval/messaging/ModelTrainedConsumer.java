package dev.tailor.eval.messaging;

import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.json.Json;
import dev.tailor.common.messaging.EventMessages;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.eval.config.EvalSettings;
import dev.tailor.eval.domain.EvalReport;
import dev.tailor.eval.domain.Verdict;
import dev.tailor.eval.engine.Evaluator;
import dev.tailor.common.storage.ObjectNotFoundException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Evaluates every trained model once: writes the report (output first), then publishes {@code model.evaluated}
 * and, on PROMOTE, a {@code model.deployments} record for the configured alias. A redelivered event finds the
 * report and only republishes. The offset is committed after this method returns, i.e. after the writes.
 */
@ApplicationScoped
public class ModelTrainedConsumer {
    private static final Logger LOG = Logger.getLogger(ModelTrainedConsumer.class);
    static final URI SOURCE = URI.create("tailor/eval-service");
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    @Channel(Channels.MODEL_EVALUATED)
    Emitter<String> evaluated;

    @Inject
    @Channel(Channels.MODEL_DEPLOYMENTS)
    Emitter<String> deployments;

    private final Evaluator evaluator;
    private final EvalSettings settings;
    private final ObjectStore store;
    private final ObjectLayout layout;
    private final MeterRegistry meters;

    public ModelTrainedConsumer(ObjectStore store, EvalSettings settings, MeterRegistry meters,
                                @ConfigProperty(name = "tailor.tenant", defaultValue = "default") String tenant) {
        this.meters = meters;
        this.store = store;
        this.settings = settings;
        this.layout = new ObjectLayout(tenant);
        this.evaluator = new Evaluator(store, layout, settings);
    }

    @Incoming(Channels.MODEL_TRAINED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onModelTrained(String json) {
        ModelTrained event = Json.read(json, ModelTrained.class);
        if (!layout.tenant().equals(event.tenant())) {
            LOG.debugf("skipping model %s of tenant %s", event.modelId(), event.tenant());
            return;
        }
        LOG.infof("model.trained %s (job %s): evaluating", event.modelId(), event.jobId());
        EvalReport report = evaluator.existing(event.modelId()).orElseGet(() -> {
            EvalReport fresh = evaluator.evaluate(event);
            meters.counter("tailor.eval.verdicts", "verdict", fresh.verdict()).increment();
            meters.timer("tailor.eval.duration").record(Duration.ofMillis(Math.round(fresh.seconds() * 1000)));
            return fresh;
        });
        ModelEvaluated evaluation = ModelEvaluated.create(event.tenant(), report.modelId(), report.datasetId(),
                report.baseModel(), report.adapter(), store.uri(layout.evalReport(report.modelId(), "json")),
                report.baseLoss(), report.tunedLoss(), report.verdict(), report.reason());
        EventMessages.sendAndAwait(evaluated, evaluation, SOURCE, ACK_TIMEOUT);
        if (Verdict.PROMOTE.equals(report.verdict())) {
            EventMessages.sendAndAwait(deployments, ModelDeployment.create(event.tenant(), settings.deployAlias(),
                    report.modelId(), report.baseModel(), report.adapter(), true), SOURCE, ACK_TIMEOUT);
        }
    }
}
