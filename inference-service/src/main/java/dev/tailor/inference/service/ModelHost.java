package dev.tailor.inference.service;

import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.inference.config.InferenceSettings;
import dev.tailor.inference.domain.ModelRegistry;
import dev.tailor.common.storage.LocalModelCache;
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
 * The models in memory. A base model is loaded once and shared by all adapters trained on it; a tuned model is a
 * LoRA adapter hot-loaded onto its base (or, for full fine-tunes, a model of its own).
 */
@ApplicationScoped
public class ModelHost {
    private static final Logger LOG = Logger.getLogger(ModelHost.class);

    private final ObjectStore store;
    private final ObjectLayout layout;
    private final InferenceSettings settings;
    private final LocalModelCache cache;
    private final ModelRegistry registry = new ModelRegistry();
    private final Map<String, LanguageModel> loaded = new ConcurrentHashMap<>();

    public ModelHost(ObjectStore store, InferenceSettings settings, ObjectLayout layout) {
        this.store = store;
        this.settings = settings;
        this.layout = layout;
        this.cache = new LocalModelCache(store, Path.of(settings.cacheDir()));
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** The loaded model a registry target points at. */
    public LanguageModel model(ModelRegistry.Target target) {
        LanguageModel m = loaded.get(target.model());
        if (m == null) {
            throw new IllegalStateException("model " + target.model() + " is not loaded");
        }
        return m;
    }

    void onStart(@Observes StartupEvent event) {
        for (String name : settings.baseModels().orElse(List.of())) {
            try {
                ensureBase(name);
            } catch (RuntimeException e) {
                LOG.errorf("base model %s could not be loaded: %s", name, e.getMessage());
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

    /** Loads a base model from {@code models/base/{name}/} unless it is loaded already. */
    public synchronized void ensureBase(String name) {
        if (loaded.containsKey(name)) {
            return;
        }
        Path dir = cache.folder("base", name, layout.baseModel(name), false);
        long t0 = System.nanoTime();
        loaded.put(name, LanguageModel.load(dir));
        registry.addBase(name, Instant.now().getEpochSecond());
        LOG.infof("base model %s loaded in %.1f s", name, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Makes a tuned model servable: its base is loaded if needed, then its adapter is hot-loaded.
     *
     * @param adapterUri s3 URI of {@code models/tuned/{modelId}/}; null when modelId is a base model itself
     */
    public synchronized void deploy(String modelId, String baseModel, String adapterUri) {
        if (adapterUri == null) {
            ensureBase(modelId);
            return;
        }
        if (registry.contains(modelId)) {
            return;
        }
        String key = store.keyOf(adapterUri);
        String prefix = key.endsWith("/") ? key : key + "/";
        Path dir = cache.folder("tuned", modelId, prefix, false);
        long created = store.stat(ObjectLayout.manifest(prefix)).map(o -> o.lastModified().getEpochSecond())
                .orElse(Instant.now().getEpochSecond());
        if (Files.exists(dir.resolve("adapter_config.json"))) {
            ensureBase(baseModel);
            loaded.get(baseModel).loadAdapter(modelId, dir);
            registry.addTuned(modelId, baseModel, modelId, created);
        } else {
            loaded.put(modelId, LanguageModel.load(dir));
            registry.addTuned(modelId, modelId, null, created);
        }
        LOG.infof("tuned model %s on %s is served", modelId, baseModel);
        evict();
    }

    /** Unloads the least recently used tuned models without an alias beyond {@code max-tuned-models}. */
    private void evict() {
        for (ModelRegistry.Target t : registry.evictable(settings.maxTunedModels())) {
            registry.remove(t.id());
            if (t.adapter() != null) {
                loaded.get(t.model()).unloadAdapter(t.adapter());
            } else {
                loaded.remove(t.model()).close();
            }
            LOG.infof("tuned model %s unloaded (least recently used)", t.id());
        }
    }

    public void alias(String alias, String modelId) {
        registry.setAlias(alias, modelId, Instant.now().getEpochSecond());
    }

    public void removeAlias(String alias) {
        registry.removeAlias(alias);
    }

    public Optional<ModelRegistry.Target> resolve(String name) {
        return registry.resolve(name);
    }
}
