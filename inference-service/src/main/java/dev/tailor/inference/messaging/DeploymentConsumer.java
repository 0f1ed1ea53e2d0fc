package dev.tailor.inference.messaging;

import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.messaging.Delivered;
import dev.tailor.common.storage.ObjectNotFoundException;
import dev.tailor.inference.service.Deployments;
import dev.tailor.inference.service.ModelHost;
import dev.tailor.inference.storage.ModelCatalog;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps this replica's models in line with the deployment log: an active deployment loads its models (a base once,
 * adapters hot) and points the alias at them; an inactive one removes the alias. Each replica has its own consumer
 * group and reads from the start, so every replica converges on the same deployments. A PROMOTE verdict makes the
 * model servable under its modelId here; one replica (a shared group) also deploys it under its dataset's alias.
 * Every record acts in its own tenant: one replica serves every tenant.
 */
@ApplicationScoped
public class DeploymentConsumer {
    private static final Logger LOG = Logger.getLogger(DeploymentConsumer.class);

    private final ModelHost host;
    private final Deployments deployments;
    private final ModelCatalog catalog;

    public DeploymentConsumer(ModelHost host, Deployments deployments, ModelCatalog catalog) {
        this.host = host;
        this.deployments = deployments;
        this.catalog = catalog;
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
        deployments.apply(d);
        LOG.infof("alias %s → %s%s", d.alias(), d.active() ? d.modelId() : "(removed)",
                d.canary() == null ? "" : " + canary " + d.canary().modelId() + " " + d.canaryPercent() + " %");
    }

    @Incoming(Channels.MODEL_EVALUATED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onEvaluated(ConsumerRecord<String, ModelEvaluated> record) {
        ModelEvaluated e = Delivered.require(record, ModelEvaluated.class);
        if (!e.promoted()) {
            LOG.infof("model %s of %s was rejected (%s); served only when deployed on purpose", e.modelId(),
                    e.tenant(), e.reason());
            return;
        }
        if (!catalog.isTuned(e.tenant(), e.modelId())) {
            // a replayed (or late) evaluation of a model deleted since (DELETE /v1/models/{id}): it stays deleted
            LOG.infof("model %s of %s no longer exists; its evaluation is not served", e.modelId(), e.tenant());
            return;
        }
        host.deploy(e.tenant(), e.modelId(), e.baseModel(), e.adapter());
    }

    @Incoming(Channels.MODEL_EVALUATED_DEPLOYER)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS, abortOn = IllegalArgumentException.class)
    public void deployPromoted(ConsumerRecord<String, ModelEvaluated> record) {
        deployments.autoDeploy(Delivered.require(record, ModelEvaluated.class));
    }
}
