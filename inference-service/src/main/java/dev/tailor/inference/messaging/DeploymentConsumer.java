package dev.tailor.inference.messaging;

import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.messaging.Delivered;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.tailor.inference.service.ModelHost;
import dev.tailor.common.storage.ObjectNotFoundException;
import io.smallrye.common.annotation.Blocking;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps this replica's models in line with the deployment log: an active deployment loads the model (its base
 * once, its adapter hot) and points the alias at it; an inactive one removes the alias. A PROMOTE verdict makes the
 * model servable under its modelId. Each replica has its own consumer group and reads from the start. Every record
 * acts in its own tenant's registry: one replica serves every tenant.
 */
@ApplicationScoped
public class DeploymentConsumer {
    private static final Logger LOG = Logger.getLogger(DeploymentConsumer.class);

    private final ModelHost host;

    public DeploymentConsumer(ModelHost host) {
        this.host = host;
    }

    @Incoming(Channels.MODEL_DEPLOYMENTS)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onDeployment(ConsumerRecord<String, ModelDeployment> record) {
        ModelDeployment d = Delivered.value(record, ModelDeployment.class).orElse(null);
        if (d == null) {
            return; // a compaction tombstone
        }
        if (!d.active()) {
            host.removeAlias(d.tenant(), d.alias());
            LOG.infof("alias %s of %s removed", d.alias(), d.tenant());
            return;
        }
        host.deploy(d.tenant(), d.modelId(), d.baseModel(), d.adapter());
        host.alias(d.tenant(), d.alias(), d.modelId());
        LOG.infof("alias %s of %s → %s", d.alias(), d.tenant(), d.modelId());
    }

    @Incoming(Channels.MODEL_EVALUATED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onEvaluated(ConsumerRecord<String, ModelEvaluated> record) {
        ModelEvaluated e = Delivered.require(record, ModelEvaluated.class);
        if (!ModelEvaluated.PROMOTE.equals(e.verdict())) {
            LOG.infof("model %s was rejected (%s); not served", e.modelId(), e.reason());
            return;
        }
        host.deploy(e.tenant(), e.modelId(), e.baseModel(), e.adapter());
    }
}
