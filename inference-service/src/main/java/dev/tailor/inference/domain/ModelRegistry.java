package dev.tailor.inference.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The names this server answers to: base models, tuned models (an adapter on a base model) and aliases pointing
 * at either. Thread-safe; updated by deployment events, read by every request.
 */
public final class ModelRegistry {

    /** What a name resolves to: a loaded model (by its key in the host) and the adapter to apply, or null. */
    public record Target(String id, String model, String adapter) {
    }

    /** One entry of {@code GET /v1/models}. */
    public record Entry(String id, String kind, String target, long created) {
    }

    private final Map<String, Target> models = new ConcurrentHashMap<>();
    private final Map<String, Long> created = new ConcurrentHashMap<>();
    private final Map<String, String> aliases = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private final Set<String> tuned = ConcurrentHashMap.newKeySet();
    private final AtomicLong clock = new AtomicLong();

    public void addBase(String name, long createdEpochSeconds) {
        models.put(name, new Target(name, name, null));
        created.putIfAbsent(name, createdEpochSeconds);
    }

    /** A tuned model served as {@code adapter} on the loaded model {@code model} (adapter null: a full model). */
    public void addTuned(String modelId, String model, String adapter, long createdEpochSeconds) {
        models.put(modelId, new Target(modelId, model, adapter));
        tuned.add(modelId);
        created.putIfAbsent(modelId, createdEpochSeconds);
        lastUsed.put(modelId, clock.incrementAndGet());
    }

    /** Forgets a tuned model (and any alias pointing at it). */
    public void remove(String modelId) {
        models.remove(modelId);
        tuned.remove(modelId);
        created.remove(modelId);
        lastUsed.remove(modelId);
        aliases.values().removeIf(modelId::equals);
    }

    /**
     * Tuned models to unload so that at most {@code max} stay: the least recently used ones that no alias points at.
     */
    public List<Target> evictable(int max) {
        List<Target> candidates = models.values().stream().filter(t -> tuned.contains(t.id())).toList();
        int excess = candidates.size() - max;
        if (excess <= 0) {
            return List.of();
        }
        return candidates.stream().filter(t -> !aliases.containsValue(t.id()))
                .sorted(Comparator.comparingLong((Target t) -> lastUsed.getOrDefault(t.id(), 0L)))
                .limit(excess).toList();
    }

    public void setAlias(String alias, String modelId, long createdEpochSeconds) {
        if (!models.containsKey(modelId)) {
            throw new IllegalArgumentException("alias " + alias + " cannot point at " + modelId
                    + ": that model is not loaded");
        }
        if (models.containsKey(alias)) {
            throw new IllegalArgumentException("alias " + alias + " would hide the model of the same name");
        }
        aliases.put(alias, modelId);
        created.put(alias, createdEpochSeconds);
    }

    public void removeAlias(String alias) {
        aliases.remove(alias);
    }

    public Optional<Target> resolve(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String id = aliases.getOrDefault(name, name);
        Target target = models.get(id);
        if (target != null) {
            lastUsed.put(id, clock.incrementAndGet());
        }
        return Optional.ofNullable(target);
    }

    public boolean contains(String modelId) {
        return models.containsKey(modelId);
    }

    /** Every servable name: base models, tuned models, aliases; sorted by name. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        models.forEach((id, t) -> out.add(new Entry(id, tuned.contains(id) ? "tuned" : "base",
                t.model(), created.getOrDefault(id, 0L))));
        aliases.forEach((alias, id) -> out.add(new Entry(alias, "alias", id, created.getOrDefault(alias, 0L))));
        out.sort(Comparator.comparing(Entry::id));
        return out;
    }
}
