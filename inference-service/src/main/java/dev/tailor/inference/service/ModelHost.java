package dev.tailor.inference.service;

import dev.tailor.common.storage.LocalModelCache;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.inference.config.InferenceSettings;
import dev.tailor.inference.domain.ModelRegistry;
import dev.tailor.llm.LanguageModel;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The models in memory, per tenant: each tenant has its own registry of names (base models, tuned models, aliases),
 * and its models are loaded from its own prefix, so two tenants' {@code tailor-latest} or base models of the same
 * name are different models and a tenant can neither list nor call another's. A base model is loaded once per
 * tenant and shared by that tenant's adapters; a tuned model is a LoRA adapter hot-loaded onto its base (or, for
 * full fine-tunes, a model of its own).
 */
@ApplicationScoped
public class ModelHost {
    private static final Logger LOG = Logger.getLogger(ModelHost.class);

    private final ObjectStore store;
    private final InferenceSettings settings;
    private final Map<String, ModelRegistry> registries = new ConcurrentHashMap<>();
    /** Loaded models by {@code {tenant}/{name}}. */
    private final Map<String, LanguageModel> loaded = new ConcurrentHashMap<>();

    public ModelHost(ObjectStore store, InferenceSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** The names a tenant can call (empty for a tenant nothing was deployed for). */
    public ModelRegistry registry(String tenant) {
        return registries.computeIfAbsent(tenant, t -> new ModelRegistry());
    }

    /** The loaded model a registry target of {@code tenant} points at. */
    public LanguageModel model(String tenant, ModelRegistry.Target target) {
        LanguageModel m = loaded.get(key(tenant, target.model()));
        if (m == null) {
            throw new IllegalStateException("model " + target.model() + " is not loaded");
        }
        return m;
    }

    void onStart(@Observes StartupEvent event) {
        for (String entry : settings.baseModels().orElse(List.of())) {
            int slash = entry.indexOf('/');
            if (slash <= 0) {
                LOG.errorf("tailor.inference.base-models: '%s' names no tenant; write {tenant}/{name}, e.g."
                        + " default/%s", entry, entry);
                continue;
            }
            try {
                ensureBase(entry.substring(0, slash), entry.substring(slash + 1));
            } catch (RuntimeException e) {
                LOG.errorf("base model %s could not be loaded: %s", entry, e.getMessage());
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        loaded.values().forEach(m -> {
            try {
                m.close();
            } catch (Exception e) {
                LOG.debugf("closing a model failed: %s", e.getMessage());
            }
        });
        loaded.clear();
    }

    /** Loads a base model of {@code tenant} from its {@code models/base/{name}/} unless it is loaded already. */
    public synchronized void ensureBase(String tenant, String name) {
        if (loaded.containsKey(key(tenant, name))) {
            return;
        }
        ObjectLayout layout = new ObjectLayout(tenant);
        Path dir = cache(tenant).folder("base", name, layout.baseModel(name), false);
        long t0 = System.nanoTime();
        loaded.put(key(tenant, name), LanguageModel.load(dir));
        registry(tenant).addBase(name, Instant.now().getEpochSecond());
        LOG.infof("base model %s of %s loaded in %.1f s", name, tenant, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Makes a tuned model of {@code tenant} servable: its base is loaded if needed, then its adapter is hot-loaded.
     *
     * @param adapterUri s3 URI of {@code models/tuned/{modelId}/} (under the tenant's prefix); null when modelId is
     *                   a base model itself
     */
    public synchronized void deploy(String tenant, String modelId, String baseModel, String adapterUri) {
        if (adapterUri == null) {
            ensureBase(tenant, modelId);
            return;
        }
        ModelRegistry registry = registry(tenant);
        if (registry.contains(modelId)) {
            return;
        }
        String key = store.keyOf(adapterUri);
        String prefix = new ObjectLayout(tenant).owned("adapter", key.endsWith("/") ? key : key + "/");
        Path dir = cache(tenant).folder("tuned", modelId, prefix, false);
        long created = store.stat(ObjectLayout.manifest(prefix)).map(o -> o.lastModified().getEpochSecond())
                .orElse(Instant.now().getEpochSecond());
        if (Files.exists(dir.resolve("adapter_config.json"))) {
            ensureBase(tenant, baseModel);
            loaded.get(key(tenant, baseModel)).loadAdapter(modelId, dir);
            registry.addTuned(modelId, baseModel, modelId, created);
        } else {
            loaded.put(key(tenant, modelId), LanguageModel.load(dir));
            registry.addTuned(modelId, modelId, null, created);
        }
        LOG.infof("tuned model %s on %s is served for %s", modelId, baseModel, tenant);
        evict(tenant);
    }

    /** Unloads the tenant's least recently used tuned models without an alias beyond {@code max-tuned-models}. */
    private void evict(String tenant) {
        ModelRegistry registry = registry(tenant);
        for (ModelRegistry.Target t : registry.evictable(settings.maxTunedModels())) {
            registry.remove(t.id());
            if (t.adapter() != null) {
                loaded.get(key(tenant, t.model())).unloadAdapter(t.adapter());
            } else {
                loaded.remove(key(tenant, t.model())).close();
            }
            LOG.infof("tuned model %s of %s unloaded (least recently used)", t.id(), tenant);
        }
    }

    public void alias(String tenant, String alias, String modelId) {
        registry(tenant).setAlias(alias, modelId, Instant.now().getEpochSecond());
    }

    public void removeAlias(String tenant, String alias) {
        registry(tenant).removeAlias(alias);
    }

    public Optional<ModelRegistry.Target> resolve(String tenant, String name) {
        ModelRegistry registry = registries.get(tenant);
        return registry == null ? Optional.empty() : registry.resolve(name);
    }

    /** Local copies of a tenant's models, in a folder of its own. */
    private LocalModelCache cache(String tenant) {
        return new LocalModelCache(store, Path.of(settings.cacheDir()).resolve(tenant));
    }

    private static String key(String tenant, String name) {
        return tenant + "/" + name;
    }
}
