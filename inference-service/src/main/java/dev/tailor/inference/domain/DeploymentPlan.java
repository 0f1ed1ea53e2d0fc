package dev.tailor.inference.domain;

import dev.tailor.common.events.DeploymentTarget;
import dev.tailor.common.events.ModelDeployment;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The next record of an alias on {@code tailor.model.deployments}, from its current one (pure: the record carries
 * its own history, so a replica that only sees the compacted topic can still roll back).
 */
public final class DeploymentPlan {

    /** Alias names: like model ids, lower case. */
    public static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private DeploymentPlan() {
    }

    /**
     * What to deploy.
     *
     * @param canary        null for none
     * @param canaryPercent 1 to 99 with a canary, 0 without
     * @param gateOverride  null when every model passed the gate, else who asked and the gate's reason
     */
    public record Request(DeploymentTarget target, DeploymentTarget canary, int canaryPercent, String gateOverride,
                          boolean logCompletions) {
        public Request {
            if (target == null) {
                throw OpenAiException.invalid("model is required: a model id or base model name", "model");
            }
            if (canary == null && canaryPercent != 0) {
                throw OpenAiException.invalid("canary.percent needs a canary.model", "canary.model");
            }
            if (canary != null && (canaryPercent < 1 || canaryPercent > 99)) {
                throw OpenAiException.invalid("canary.percent must be between 1 and 99, got " + canaryPercent,
                        "canary.percent");
            }
            if (canary != null && canary.modelId().equals(target.modelId())) {
                throw OpenAiException.invalid("the canary must be another model than the alias's own ("
                        + target.modelId() + ")", "canary.model");
            }
        }
    }

    public static String checkAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw OpenAiException.invalid("alias must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting"
                    + " with a letter or digit, got '" + alias + "'", "alias");
        }
        return alias;
    }

    /** {@code alias} now serves the request's models; the target it served before goes to the history. */
    public static ModelDeployment deploy(String tenant, String alias, ModelDeployment current, Request r) {
        List<DeploymentTarget> history = new ArrayList<>();
        if (current != null) {
            if (current.active() && !current.modelId().equals(r.target().modelId())) {
                history.add(current.target());
            }
            history.addAll(current.history());
        }
        return ModelDeployment.of(tenant, checkAlias(alias), r.target(), r.canary(), r.canaryPercent(), trim(history),
                r.gateOverride(), r.logCompletions(), true).withVersion(ModelDeployment.next(current));
    }

    /** Back to the previous target (without canary); the current one is dropped from the history. */
    public static ModelDeployment rollback(String tenant, String alias, ModelDeployment current) {
        if (current == null || !current.active()) {
            throw new OpenAiException("No deployment named '" + alias + "' is active; nothing to roll back",
                    OpenAiException.INVALID_REQUEST, "alias", OpenAiException.DEPLOYMENT_NOT_FOUND);
        }
        if (current.history().isEmpty()) {
            throw new OpenAiException("Deployment '" + alias + "' has served only " + current.modelId()
                    + ": there is no previous model to roll back to", OpenAiException.INVALID_REQUEST, "alias",
                    OpenAiException.NO_PREVIOUS_TARGET);
        }
        DeploymentTarget previous = current.history().get(0);
        return ModelDeployment.of(tenant, alias, previous, null, 0,
                current.history().subList(1, current.history().size()), null, current.logCompletions(), true)
                .withVersion(ModelDeployment.next(current));
    }

    /** The alias stops answering (its history is kept, so a later deployment can still be rolled back). */
    public static ModelDeployment undeploy(String tenant, String alias, ModelDeployment current) {
        if (current == null || !current.active()) {
            throw new OpenAiException("No deployment named '" + alias + "' is active", OpenAiException.INVALID_REQUEST,
                    "alias", OpenAiException.DEPLOYMENT_NOT_FOUND);
        }
        return ModelDeployment.of(tenant, alias, current.target(), null, 0, current.history(), null,
                current.logCompletions(), false).withVersion(ModelDeployment.next(current));
    }

    private static List<DeploymentTarget> trim(List<DeploymentTarget> history) {
        return history.subList(0, Math.min(history.size(), ModelDeployment.HISTORY));
    }
}
