package dev.tailor.ingest.storage;

import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.ingest.domain.SourceSpec;
import dev.tailor.ingest.domain.SourceState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sources in S3: each source's spec and state under {@code {tenant}/sources/{id}/}, an index entry per source under
 * {@code _system/sources/} (read by every replica's periodic syncs), and a lease per source naming the replica that
 * syncs it now. S3 servers in use (s3proxy) ignore conditional PUTs, so a lease is claimed by writing it and reading
 * it back: two replicas that write at the same moment can both believe they hold it. That race is harmless: both pull
 * from the same cursor, so both produce the same bytes, and the content index turns the second into a duplicate
 * that makes no version.
 */
@ApplicationScoped
public class SourceStore {
    @Inject
    ObjectStore store;

    /** A claim on a source: who and until when. */
    public record Lease(String holder, Instant until) {
    }

    /** A source in the index: its tenant and id. */
    public record Indexed(String tenant, String sourceId) {
    }

    public void save(SourceSpec spec) {
        ObjectLayout layout = new ObjectLayout(spec.tenant());
        store.putJson(layout.sourceSpec(spec.id()), spec);
        store.putJson(layout.sourceIndexEntry(spec.id()), Map.of("tenant", spec.tenant(), "sourceId", spec.id()));
    }

    public void save(String tenant, String sourceId, SourceState state) {
        store.putJson(new ObjectLayout(tenant).sourceState(sourceId), state);
    }

    public Optional<SourceSpec> spec(String tenant, String sourceId) {
        String key = new ObjectLayout(tenant).sourceSpec(sourceId);
        return store.exists(key) ? Optional.of(store.getJson(key, SourceSpec.class)) : Optional.empty();
    }

    public SourceState state(String tenant, String sourceId) {
        String key = new ObjectLayout(tenant).sourceState(sourceId);
        return store.exists(key) ? store.getJson(key, SourceState.class) : SourceState.fresh(null);
    }

    /** The tenant's sources, oldest first. */
    public List<SourceSpec> list(String tenant) {
        ObjectLayout layout = new ObjectLayout(tenant);
        List<SourceSpec> out = new ArrayList<>();
        for (ObjectInfo o : store.list(layout.sourcesRoot())) {
            if (o.key().endsWith("/spec.json")) {
                out.add(store.getJson(o.key(), SourceSpec.class));
            }
        }
        out.sort(java.util.Comparator.comparing(SourceSpec::created));
        return out;
    }

    /** Every tenant's sources, from the index. */
    public List<Indexed> index() {
        List<Indexed> out = new ArrayList<>();
        for (ObjectInfo o : store.list(ObjectLayout.sourceIndexRoot())) {
            String rest = o.key().substring(ObjectLayout.sourceIndexRoot().length());
            int slash = rest.indexOf('/');
            if (slash > 0 && rest.endsWith(".json")) {
                out.add(new Indexed(rest.substring(0, slash), rest.substring(slash + 1, rest.length() - 5)));
            }
        }
        return out;
    }

    /** Removes the source (spec, state, lease and index entry); the datasets it fed stay. */
    public void delete(String tenant, String sourceId) {
        ObjectLayout layout = new ObjectLayout(tenant);
        store.delete(layout.sourceIndexEntry(sourceId));
        store.deletePrefix(layout.sourcesRoot() + sourceId + "/");
    }

    /** Claims the source for {@code holder} for {@code duration}, unless another holder's lease still runs. */
    public boolean claim(String tenant, String sourceId, String holder, Duration duration) {
        String key = new ObjectLayout(tenant).sourceLease(sourceId);
        Optional<Lease> current = lease(key);
        Instant now = Instant.now();
        if (current.isPresent() && !current.get().holder().equals(holder) && current.get().until().isAfter(now)) {
            return false;
        }
        store.putJson(key, new Lease(holder, now.plus(duration)));
        return lease(key).map(l -> l.holder().equals(holder)).orElse(false);
    }

    /** Ends {@code holder}'s lease (another holder's stays). */
    public void release(String tenant, String sourceId, String holder) {
        String key = new ObjectLayout(tenant).sourceLease(sourceId);
        if (lease(key).map(l -> l.holder().equals(holder)).orElse(false)) {
            store.delete(key);
        }
    }

    /** When the lease on a source ends, if another replica holds it. */
    public Optional<Lease> lease(String tenant, String sourceId) {
        return lease(new ObjectLayout(tenant).sourceLease(sourceId));
    }

    private Optional<Lease> lease(String key) {
        try {
            return store.stat(key).isPresent() ? Optional.of(store.getJson(key, Lease.class)) : Optional.empty();
        } catch (dev.tailor.common.storage.ObjectNotFoundException e) {
            return Optional.empty(); // released between the two calls
        }
    }
}
