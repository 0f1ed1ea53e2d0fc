package dev.tailor.eval.service;

import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.eval.domain.request.ModelSide;
import dev.tailor.eval.storage.EvalStore;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.lora.LoraAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two models of an evaluation in memory: each base model once, tuned adapters as named adapters on it (so
 * two tuned models on one base share its weights), full checkpoints on their own.
 */
final class LoadedModels implements AutoCloseable {

    /** A model ready to run: a loaded model and the adapter to run it with (null for none). */
    record Runner(LanguageModel model, String adapter) {
    }

    private final Map<String, LanguageModel> bases = new LinkedHashMap<>();
    private final List<LanguageModel> own = new ArrayList<>();
    private final Runner tuned;
    private final Runner baseline;

    LoadedModels(EvalStore store, ModelSide tuned, ModelSide baseline) {
        try {
            this.baseline = runner(store, baseline, "baseline");
            this.tuned = runner(store, tuned, "tuned");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    Runner tuned() {
        return tuned;
    }

    Runner baseline() {
        return baseline;
    }

    private Runner runner(EvalStore store, ModelSide side, String adapterName) {
        if (side.isBase()) {
            return new Runner(base(store, side.id()), null);
        }
        String prefix = ObjectLayout.folderOf(store.objects().keyOf(side.adapter()));
        Path dir = store.tunedModel(side.id(), prefix);
        if (Files.exists(dir.resolve(LoraAdapter.CONFIG_FILE))) {
            LanguageModel base = base(store, side.baseModel());
            base.loadAdapter(adapterName, dir);
            return new Runner(base, adapterName);
        }
        LanguageModel full = LanguageModel.load(dir);
        own.add(full);
        return new Runner(full, null);
    }

    private LanguageModel base(EvalStore store, String name) {
        return bases.computeIfAbsent(name, n -> LanguageModel.load(store.baseModel(n)));
    }

    @Override
    public void close() {
        own.forEach(LanguageModel::close);
        bases.values().forEach(LanguageModel::close);
    }
}
