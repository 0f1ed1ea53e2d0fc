package dev.tailor.inference.service;

import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.DeploymentTarget;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.inference.domain.DeploymentPlan;
import dev.tailor.inference.domain.ModelRegistry;
import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.inference.storage.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Deployments: which model an alias serves (and its canary), kept as the compacted {@code tailor.model.deployments}
 * topic that every replica reads. A change is published first and applied when the record comes back from the
 * topic, on every replica alike (this one included); the caller waits a little for this replica to apply it. The
 * evaluation gate is checked here: a model it rejected (or did not evaluate) is served only when asked explicitly,
 * and the record says so. A promoted model is deployed under its dataset's alias ({@link #autoDeploy}).
 */
@ApplicationScoped
public class Deployments {
    private static final Logger LOG = Logger.getLogger(Deployments.class);
    /** How long a change waits for this replica to apply it before answering "pending". */
    static final Duration APPLY_WAIT = Duration.ofSeconds(30);

    /** What a caller asks for: model ids, canary share, whether rejected models may be served, logging. */
    public record Change(String model, String canaryModel, int canaryPercent, boolean allowRejected,
                         boolean logCompletions) {
    }

    /** A deployment as this replica knows it, and whether the change that made it is applied here yet. */
    public record State(ModelDeployment deployment, boolean applied) {
    }

    private final EventSink events;
    private final ModelHost host;
    private final ModelCatalog catalog;
    private final Map<String, ModelDeployment> book = new ConcurrentHashMap<>();      // {tenant}/{alias} → latest
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>(); // eventId → applied

    public Deployments(EventSink events, ModelHost host, ModelCatalog catalog) {
        this.events = events;
        this.host = host;
        this.catalog = catalog;
    }

    private static String key(String tenant, String alias) {
        return tenant + "/" + alias;
    }

    /** The active deployments of {@code tenant}, by alias. */
    public List<ModelDeployment> list(String tenant) {
        return book.values().stream().filter(d -> d.tenant().equals(tenant) && d.active())
                .sorted(Comparator.comparing(ModelDeployment::alias)).toList();
    }

    public Optional<ModelDeployment> get(String tenant, String alias) {
        return Optional.ofNullable(book.get(key(tenant, alias))).filter(ModelDeployment::active);
    }

    /** {@code alias} serves the change's model (and canary); the gate is checked for both. */
    public State put(String tenant, String alias, Change change, String principal) {
        DeploymentPlan.checkAlias(alias);
        if (!alias.equals(change.model()) && catalog.find(tenant, alias).isPresent()) {
            throw OpenAiException.invalid("alias '" + alias + "' is the name of a model: it would hide it; choose"
                    + " another alias", "alias");
        }
        StringBuilder override = new StringBuilder();
        DeploymentTarget target = target(tenant, change.model(), "model", change.allowRejected(), principal,
                override);
        DeploymentTarget canary = change.canaryModel() == null ? null
                : target(tenant, change.canaryModel(), "canary.model", change.allowRejected(), principal, override);
        DeploymentPlan.Request request = new DeploymentPlan.Request(target, canary, change.canaryPercent(),
                override.isEmpty() ? null : override.toString(), change.logCompletions());
        return publish(DeploymentPlan.deploy(tenant, alias, book.get(key(tenant, alias)), request), principal, null,
                "deploy");
    }

    /** Back to the model the alias served before. */
    public State rollback(String tenant, String alias, String principal) {
        return publish(DeploymentPlan.rollback(tenant, alias, book.get(key(tenant, alias))), principal, null,
                "rollback");
    }

    /** The alias stops answering. */
    public State undeploy(String tenant, String alias, String principal) {
        return publish(DeploymentPlan.undeploy(tenant, alias, book.get(key(tenant, alias))), principal, null,
                "undeploy");
    }

    /**
     * A promoted model is deployed under its dataset's alias (the dataset id, lower case), keeping the alias's
     * canary-free history and logging choice. Run by one replica per evaluation (a shared consumer group).
     */
    public void autoDeploy(ModelEvaluated e) {
        if (!e.promoted()) {
            return;
        }
        String alias = e.datasetId().toLowerCase(java.util.Locale.ROOT);
        if (!DeploymentPlan.ALIAS.matcher(alias).matches()) {
            LOG.warnf("dataset id %s is no valid alias; promoted model %s is served by its id only", e.datasetId(),
                    e.modelId());
            return;
        }
        ModelDeployment current = book.get(key(e.tenant(), alias));
        if (current != null && current.active() && current.modelId().equals(e.modelId())) {
            return; // a redelivered evaluation
        }
        if (current != null && !e.occurredAt().isAfter(current.occurredAt())) {
            LOG.infof("evaluation of %s is older than the deployment of %s/%s (a replay); the alias stays at %s",
                    e.modelId(), e.tenant(), alias, current.modelId());
            return;
        }
        DeploymentTarget target = new DeploymentTarget(e.modelId(), e.baseModel(), e.adapter(), e.datasetId());
        boolean log = current != null && current.logCompletions();
        ModelDeployment d = DeploymentPlan.deploy(e.tenant(), alias, current,
                new DeploymentPlan.Request(target, null, 0, null, log)).withPrincipal(e.principal());
        events.publish(d);
        events.audit(audit(d, AuditEvent.service("inference-service"), e.principal(), "deploy"));
        LOG.infof("promoted model %s deployed as %s (%s)", e.modelId(), alias, e.tenant());
    }

    /** A record from the topic: load what it serves, point (or remove) the alias, remember it. */
    public void apply(ModelDeployment d) {
        ModelDeployment current = book.get(key(d.tenant(), d.alias()));
        if (d.olderThan(current)) {
            LOG.infof("deployment record %s (version %d) of %s/%s is not newer than the served version %d (a replay);"
                    + " ignored", d.eventId(), d.version(), d.tenant(), d.alias(), current.version());
            Optional.ofNullable(waiting.remove(d.eventId())).ifPresent(f -> f.complete(null));
            return;
        }
        try {
            if (d.active()) {
                host.deploy(d.tenant(), d.target());
                if (d.canary() != null) {
                    host.deploy(d.tenant(), d.canary());
                }
                host.alias(d.tenant(), new ModelRegistry.Route(d.alias(), d.modelId(),
                        d.canary() == null ? null : d.canary().modelId(), d.canaryPercent(), d.logCompletions(),
                        d.target(), d.canary()));
            } else {
                host.removeAlias(d.tenant(), d.alias());
            }
            book.put(key(d.tenant(), d.alias()), d);
            Optional.ofNullable(waiting.remove(d.eventId())).ifPresent(f -> f.complete(null));
        } catch (RuntimeException e) {
            Optional.ofNullable(waiting.remove(d.eventId())).ifPresent(f -> f.completeExceptionally(e));
            throw e;
        }
    }

    /** The audit record of a deployment change: who did it (on whose behalf), the models, the change. */
    private static AuditEvent audit(ModelDeployment d, String actor, String onBehalfOf, String change) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("change", change);
        details.put("modelId", d.modelId());
        if (d.canary() != null) {
            details.put("canary", d.canary().modelId());
            details.put("canaryPercent", d.canaryPercent());
        }
        if (d.gateOverride() != null) {
            details.put("gateOverride", d.gateOverride());
        }
        return AuditEvent.of(d.tenant(), actor, onBehalfOf, AuditEvent.MODEL_DEPLOYED, "deployment", d.alias(),
                details);
    }

    private State publish(ModelDeployment change, String principal, String onBehalfOf, String kind) {
        ModelDeployment d = change.withPrincipal(principal);
        CompletableFuture<Void> applied = new CompletableFuture<>();
        waiting.put(d.eventId(), applied);
        try {
            events.publish(d);
            events.audit(audit(d, principal == null ? AuditEvent.service("inference-service") : principal, onBehalfOf,
                    kind));
            applied.get(APPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new State(d, true);
        } catch (TimeoutException e) {
            return new State(d, false);
        } catch (ExecutionException e) {
            throw new IllegalStateException("deployment " + d.alias() + " was published but could not be applied: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new State(d, false);
        } finally {
            waiting.remove(d.eventId());
        }
    }

    /** A model by id: tuned (gate checked) or base; an error naming what is wrong otherwise. */
    private DeploymentTarget target(String tenant, String id, String param, boolean allowRejected, String principal,
                                    StringBuilder override) {
        if (id == null || id.isBlank()) {
            throw OpenAiException.invalid(param + " is required: a tuned model id or a base model name", param);
        }
        DeploymentTarget t = catalog.find(tenant, id).orElseThrow(() -> new OpenAiException("No model '" + id
                + "' in this tenant: neither a tuned model (models/tuned/" + id + "/) nor a base model (models/base/"
                + id + "/)", OpenAiException.INVALID_REQUEST, param, OpenAiException.MODEL_NOT_FOUND));
        if (t.adapter() == null) {
            return t; // a base model is served as it is: no gate
        }
        ModelRegistry.ModelInfo info = catalog.info(tenant, id, t.baseModel());
        if (ModelEvaluated.PROMOTE.equals(info.verdict())) {
            return t;
        }
        String why = info.verdict() == null ? id + " has not been evaluated"
                : id + " was rejected by the evaluation gate (" + info.verdictReason() + ")";
        if (!allowRejected) {
            throw new OpenAiException(why + "; to serve it anyway, send \"allow_rejected\": true (the deployment"
                    + " records it)", OpenAiException.INVALID_REQUEST, param, OpenAiException.GATE_REJECTED);
        }
        if (!override.isEmpty()) {
            override.append("; ");
        }
        override.append(why).append("; served on purpose by ").append(principal == null ? "an anonymous caller"
                : principal).append(" at ").append(Instant.now());
        return t;
    }
}
