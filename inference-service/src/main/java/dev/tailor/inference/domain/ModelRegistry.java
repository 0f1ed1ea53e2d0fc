package dev.tailor.inference.domain;

import dev.tailor.common.events.DeploymentTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The names this server answers to: base models, tuned models (an adapter on a base model) and aliases (deployments)
 * pointing at one model, or at two with a canary share. Thread-safe; updated by deployment events, read by every
 * request.
 */
public final class ModelRegistry {

    /**
     * What a model id resolves to: the loaded model (by its key in the host) and the adapter to apply, or null.
     *
     * @param info where the model comes from, for {@code GET /v1/models/{id}}
     */
    public record Target(String id, String model, String adapter, ModelInfo info) {
    }

    /**
     * Lineage of a servable model.
     *
     * @param baseModel      the base model's name
     * @param adapter        s3 URI of the adapter, or null for a base model
     * @param datasetId      dataset it was trained on, or null
     * @param datasetVersion cleaned version it was trained on, or null
     * @param verdict        the evaluation gate's verdict (PROMOTE, REJECT), or null when not evaluated
     * @param verdictReason  the gate's reason, or null
     */
    public record ModelInfo(String baseModel, String adapter, String datasetId, String datasetVersion, String verdict,
                            String verdictReason) {
        public static ModelInfo base(String name) {
            return new ModelInfo(name, null, null, null, null, null);
        }
    }

    /** An alias: its model, and optionally a canary answering {@code canaryPercent} % of its requests. */
    public record Route(String alias, String modelId, String canaryId, int canaryPercent, boolean logCompletions,
                        DeploymentTarget target, DeploymentTarget canary) {
    }

    /** A request's name resolved: the model that answers, and the alias it came through (or null). */
    public record Resolved(Target target, Route route) {
        /** The deployment target that answers (null for a model called by its own id). */
        public DeploymentTarget deployed() {
            if (route == null) {
                return null;
            }
            return target.id().equals(route.canaryId()) && route.canary() != null ? route.canary() : route.target();
        }
    }

    /** One entry of {@code GET /v1/models}. */
    public record Entry(String id, String kind, String target, long created, ModelInfo info, Route route) {
    }

    private final Map<String, Target> models = new ConcurrentHashMap<>();
    private final Map<String, Long> created = new ConcurrentHashMap<>();
    private final Map<String, Route> aliases = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> aliasRequests = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private final Map<String, Boolean> tuned = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();

    public void addBase(String name, long createdEpochSeconds) {
        models.put(name, new Target(name, name, null, ModelInfo.base(name)));
        created.putIfAbsent(name, createdEpochSeconds);
    }

    /** A tuned model served as {@code adapter} on the loaded model {@code model} (adapter null: a full model). */
    public void addTuned(String modelId, String model, String adapter, ModelInfo info, long createdEpochSeconds) {
        models.put(modelId, new Target(modelId, model, adapter, info));
        tuned.put(modelId, true);
        created.putIfAbsent(modelId, createdEpochSeconds);
        lastUsed.put(modelId, clock.incrementAndGet());
    }

    /** Forgets a tuned model (and any alias pointing at it). */
    public void remove(String modelId) {
        models.remove(modelId);
        tuned.remove(modelId);
        created.remove(modelId);
        lastUsed.remove(modelId);
        aliases.values().removeIf(r -> modelId.equals(r.modelId()) || modelId.equals(r.canaryId()));
    }

    /**
     * Tuned models to unload so that at most {@code max} stay: the least recently used ones that no alias points at.
     */
    public List<Target> evictable(int max) {
        List<Target> candidates = models.values().stream().filter(t -> tuned.containsKey(t.id())).toList();
        int excess = candidates.size() - max;
        if (excess <= 0) {
            return List.of();
        }
        return candidates.stream().filter(t -> aliases.values().stream()
                        .noneMatch(r -> t.id().equals(r.modelId()) || t.id().equals(r.canaryId())))
                .sorted(Comparator.comparingLong((Target t) -> lastUsed.getOrDefault(t.id(), 0L)))
                .limit(excess).toList();
    }

    /** Points {@code route.alias()} at its model (and canary); both must be servable. */
    public void setAlias(Route route, long createdEpochSeconds) {
        for (String id : route.canaryId() == null ? List.of(route.modelId()) : List.of(route.modelId(), route.canaryId())) {
            if (!models.containsKey(id)) {
                throw new IllegalArgumentException("alias " + route.alias() + " cannot point at " + id
                        + ": that model is not loaded");
            }
        }
        if (models.containsKey(route.alias())) {
            throw new IllegalArgumentException("alias " + route.alias() + " would hide the model of the same name");
        }
        aliases.put(route.alias(), route);
        created.put(route.alias(), createdEpochSeconds);
    }

    public void removeAlias(String alias) {
        aliases.remove(alias);
        aliasRequests.remove(alias);
    }

    /**
     * The model answering a request for {@code name}: a model id, or an alias (its canary answers its share of the
     * requests; with a {@code user}, always the same model for that user).
     */
    public Optional<Resolved> resolve(String name, String user) {
        if (name == null) {
            return Optional.empty();
        }
        Route route = aliases.get(name);
        String id = name;
        if (route != null) {
            boolean canary = route.canaryId() != null && (user != null && !user.isEmpty()
                    ? CanarySplit.sticky(user, route.canaryPercent())
                    : CanarySplit.canary(aliasRequests.computeIfAbsent(name, a -> new AtomicLong())
                            .getAndIncrement(), route.canaryPercent()));
            id = canary ? route.canaryId() : route.modelId();
        }
        Target target = models.get(id);
        if (target == null) {
            return Optional.empty();
        }
        lastUsed.put(id, clock.incrementAndGet());
        return Optional.of(new Resolved(target, route));
    }

    public Optional<Target> model(String id) {
        return Optional.ofNullable(models.get(id));
    }

    public boolean contains(String modelId) {
        return models.containsKey(modelId);
    }

    /** Every servable name: base models, tuned models, aliases; sorted by name. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        models.forEach((id, t) -> out.add(new Entry(id, tuned.containsKey(id) ? "tuned" : "base",
                t.model(), created.getOrDefault(id, 0L), t.info(), null)));
        aliases.forEach((alias, r) -> out.add(new Entry(alias, "alias", r.modelId(), created.getOrDefault(alias, 0L),
                Optional.ofNullable(models.get(r.modelId())).map(Target::info).orElse(null), r)));
        out.sort(Comparator.comparing(Entry::id));
        return out;
    }
}
