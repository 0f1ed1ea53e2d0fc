package dev.tailor.cleaning.service;

import dev.tailor.cleaning.config.CleaningSettings;
import dev.tailor.common.storage.LocalModelCache;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.storage.StorageException;
import dev.tailor.dataprep.profile.TokenCounter;
import dev.tailor.llm.data.ExampleLengths;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The tokenizers the profile counts tokens with: a base model's tokenizer files ({@code models/base/{name}/}
 * tokenizer.json, tokenizer_config.json with its chat template, config.json; never the weights) fetched from S3 once
 * into {@code {workDir}/tokenizers/{tenant}/} and kept loaded (the last {@value #KEPT} models). A base model without
 * them gives no counter and the reason, so the profile falls back to characters and says why.
 */
@ApplicationScoped
public class ProfileTokenizers {
    private static final Logger LOG = Logger.getLogger(ProfileTokenizers.class);
    static final int KEPT = 4;

    /** A counter, or null with the reason there is none. */
    public record Lookup(TokenCounter counter, String missing) {
    }

    @Inject
    ObjectStore store;

    @Inject
    CleaningSettings settings;

    private final Map<String, ExampleLengths> loaded = new LinkedHashMap<>(8, 0.75f, true);

    /** The counter of {@code baseModel} of the tenant of {@code layout}. */
    public synchronized Lookup of(ObjectLayout layout, String baseModel) {
        String key = layout.tenant() + "/" + baseModel;
        ExampleLengths lengths = loaded.get(key);
        if (lengths == null) {
            String prefix = layout.baseModel(baseModel);
            if (!store.exists(prefix + "tokenizer.json")) {
                return new Lookup(null, "base model '" + baseModel + "' has no tokenizer.json at " + store.uri(prefix));
            }
            try {
                Path dir = new LocalModelCache(store, Path.of(settings.workDir(), "tokenizers", layout.tenant()))
                        .folder("tokenizers", baseModel, prefix, false, LocalModelCache.TOKENIZER_FILES::contains);
                lengths = ExampleLengths.load(dir, baseModel);
            } catch (IllegalArgumentException | StorageException | java.io.UncheckedIOException e) {
                LOG.warnf("profile: no tokenizer for base model %s: %s", baseModel, e.getMessage());
                return new Lookup(null, "the tokenizer of base model '" + baseModel + "' cannot be used: " + e.getMessage());
            }
            loaded.put(key, lengths);
            evict();
        }
        ExampleLengths l = lengths;
        String name = baseModel + (l.hasChatTemplate() ? " (its tokenizer and chat template)" : " (its tokenizer; no chat template)");
        return new Lookup(new TokenCounter(name, line -> Math.max(0, l.count(line))), null);
    }

    private void evict() {
        Iterator<Map.Entry<String, ExampleLengths>> it = loaded.entrySet().iterator();
        while (loaded.size() > KEPT && it.hasNext()) {
            it.next().getValue().close();
            it.remove();
        }
    }

    @PreDestroy
    synchronized void close() {
        loaded.values().forEach(ExampleLengths::close);
        loaded.clear();
    }
}
