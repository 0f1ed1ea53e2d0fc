package dev.tailor.eval.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.eval.domain.request.EvaluationRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The eval objects of every tenant: one {@link EvalStore} per tenant (its prefix, its own model cache folder under
 * {@code cacheRoot/{tenant}}), and what belongs to no tenant (the index of unfinished evaluations).
 */
public final class EvalStores {
    private final ObjectStore store;
    private final Path cacheRoot;
    private final Map<String, EvalStore> tenants = new ConcurrentHashMap<>();

    public EvalStores(ObjectStore store, Path cacheRoot) {
        this.store = store;
        this.cacheRoot = cacheRoot;
    }

    public ObjectStore objects() {
        return store;
    }

    /** The store of one tenant (the event's or the caller's). */
    public EvalStore of(String tenant) {
        return tenants.computeIfAbsent(tenant, t -> {
            ObjectLayout layout = new ObjectLayout(t);
            return new EvalStore(store, layout, cacheRoot.resolve(layout.tenant()));
        });
    }

    /** An unfinished evaluation with its tenant. */
    public record Unfinished(String tenant, EvaluationRecord record) {
    }

    /** Every tenant's unfinished evaluations (to resume after a restart), from the index. */
    public List<Unfinished> unfinished() {
        List<Unfinished> out = new ArrayList<>();
        for (ObjectInfo o : store.list(ObjectLayout.unfinishedEvaluations())) {
            JsonNode n = Json.read(store.getBytes(o.key()), JsonNode.class);
            String tenant = n.path("tenant").asText();
            of(tenant).record(n.path("evaluationId").asText()).filter(r -> !r.finished())
                    .ifPresent(r -> out.add(new Unfinished(tenant, r)));
        }
        return out;
    }
}
