package dev.tailor.inference.service;

import dev.tailor.common.events.DeploymentTarget;
import dev.tailor.common.storage.LocalModelCache;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.inference.config.InferenceSettings;
import dev.tailor.inference.domain.ModelRegistry;
import dev.tailor.inference.storage.ModelCatalog;
import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.cpu.CpuDecode;
import dev.tailor.llm.device.Compute;
import dev.tailor.llm.generate.BatchSettings;
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
 * and its models are loaded from its own prefix, so two tenants' base models of the same name are different models
 * and a tenant can neither list nor call another's. A base model is loaded once per tenant and shared by that
 * tenant's adapters, with one {@link DecodeLoop} that batches the requests of the base and of every adapter on it
 * together; a tuned model is a LoRA adapter hot-loaded onto its base (or, for full fine-tunes, a model of its own
 * with its own loop).
 */
@ApplicationScoped
public class ModelHost {
    private static final Logger LOG = Logger.getLogger(ModelHost.class);

    /** A model in memory and its scheduler. */
    public record Loaded(LanguageModel model, DecodeLoop loop) {
    }

    private final ObjectStore store;
    private final InferenceSettings settings;
    private final ModelCatalog catalog;
    private final ServingMetrics metrics;
    private final Map<String, ModelRegistry> registries = new ConcurrentHashMap<>();
    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>(); // by {tenant}/{name}

    public ModelHost(ObjectStore store, InferenceSettings settings, ModelCatalog catalog, ServingMetrics metrics) {
        this.store = store;
        this.settings = settings;
        this.catalog = catalog;
        this.metrics = metrics;
    }

    /** The names a tenant can call (empty for a tenant nothing was deployed for). */
    public ModelRegistry registry(String tenant) {
        return registries.computeIfAbsent(tenant, t -> new ModelRegistry());
    }

    /** The loaded model a target of {@code tenant} runs on, with its decode loop. */
    public Loaded loaded(String tenant, ModelRegistry.Target target) {
        Loaded m = loaded.get(key(tenant, target.model()));
        if (m == null) {
            throw new IllegalStateException("model " + target.model() + " is not loaded");
        }
        return m;
    }

    private static String key(String tenant, String name) {
        return tenant + "/" + name;
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
        loaded.values().forEach(ModelHost::close);
        loaded.clear();
    }

    private static void close(Loaded m) {
        try {
            m.loop().close();
            m.model().close();
        } catch (RuntimeException e) {
            LOG.debugf("closing a model failed: %s", e.getMessage());
        }
    }

    private Loaded load(String tenant, String name, Path dir) {
        LanguageModel model = LanguageModel.load(dir, new Compute(Device.cpu(), settings.weightType().dataType(),
                DataType.FLOAT32));
        try {
            useEngine(model, name);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        InferenceSettings.Batching b = settings.batching();
        int capacity = Math.min(b.maxSequenceTokens(), model.config().maxPositionEmbeddings());
        BatchSettings batch = new BatchSettings(b.maxBatchSize(), Math.max(b.maxBatchTokens(), b.maxBatchSize() + 1),
                Math.max(2, capacity));
        return new Loaded(model, new DecodeLoop(key(tenant, name), model, batch, b.maxQueue(), metrics,
                settings.threads().orElse(0)));
    }

    /** Moves decoding to the Java engine as {@code decode-engine} and {@code weight-type} ask. */
    private void useEngine(LanguageModel model, String name) {
        EngineChoice choice = EngineChoice.of(settings.decodeEngine(), settings.weightType());
        if (!choice.java()) {
            return;
        }
        int threads = settings.threads().orElse(Runtime.getRuntime().availableProcessors());
        if (model.useCpuDecode(choice.format(), threads) != null) {
            LOG.infof("model %s decodes on the Java engine (%s, %d threads, %.1f MB read per token)", name,
                    choice.format(), threads, model.cpuDecode().bytesPerToken() / 1e6);
            return;
        }
        String why = !CpuDecode.supported() ? "the JVM was started without --add-modules=jdk.incubator.vector"
                : "the heap has no room for the engine's copy of the weights (" + CpuDecode.heapBytes(model.config(),
                choice.format()) / (1 << 20) + " MiB): raise -Xmx";
        if (choice.required()) {
            throw new IllegalStateException("model " + name + " cannot decode on the Java engine: " + why);
        }
        LOG.warnf("model %s decodes on PyTorch: %s", name, why);
    }

    private LocalModelCache cache(String tenant) {
        return new LocalModelCache(store, Path.of(settings.cacheDir(), tenant));
    }

    /** Loads a base model of {@code tenant} from its {@code models/base/{name}/} unless it is loaded already. */
    public synchronized void ensureBase(String tenant, String name) {
        if (loaded.containsKey(key(tenant, name))) {
            return;
        }
        Path dir = cache(tenant).folder("base", name, new ObjectLayout(tenant).baseModel(name), false);
        long t0 = System.nanoTime();
        loaded.put(key(tenant, name), load(tenant, name, dir));
        registry(tenant).addBase(name, Instant.now().getEpochSecond());
        LOG.infof("base model %s of %s loaded in %.1f s", name, tenant, (System.nanoTime() - t0) / 1e9);
    }

    /** Makes a deployment target servable: a base model, or a tuned model (its base loaded, its adapter hot-loaded). */
    public void deploy(String tenant, DeploymentTarget target) {
        deploy(tenant, target.modelId(), target.baseModel(), target.adapter());
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
        ModelRegistry.ModelInfo info = catalog.info(tenant, modelId, baseModel);
        if (Files.exists(dir.resolve("adapter_config.json"))) {
            ensureBase(tenant, baseModel);
            loaded.get(key(tenant, baseModel)).model().loadAdapter(modelId, dir);
            registry.addTuned(modelId, baseModel, modelId, info, created);
        } else {
            loaded.put(key(tenant, modelId), load(tenant, modelId, dir));
            registry.addTuned(modelId, modelId, null, info, created);
        }
        LOG.infof("tuned model %s on %s of %s is served", modelId, baseModel, tenant);
        evict(tenant);
    }

    /** Unloads the least recently used tuned models without an alias beyond {@code max-tuned-models}. */
    private void evict(String tenant) {
        ModelRegistry registry = registry(tenant);
        for (ModelRegistry.Target t : registry.evictable(settings.maxTunedModels())) {
            registry.remove(t.id());
            if (t.adapter() != null) {
                loaded.get(key(tenant, t.model())).model().unloadAdapter(t.adapter());
            } else {
                close(loaded.remove(key(tenant, t.model())));
            }
            LOG.infof("tuned model %s of %s unloaded (least recently used)", t.id(), tenant);
        }
    }

    public void alias(String tenant, ModelRegistry.Route route) {
        registry(tenant).setAlias(route, Instant.now().getEpochSecond());
    }

    public void removeAlias(String tenant, String alias) {
        registry(tenant).removeAlias(alias);
    }

    /** What {@code name} resolves to for a caller of {@code tenant}; empty for a tenant with nothing served. */
    public Optional<ModelRegistry.Resolved> resolve(String tenant, String name, String user) {
        ModelRegistry registry = registries.get(tenant);
        return registry == null ? Optional.empty() : registry.resolve(name, user);
    }
}
