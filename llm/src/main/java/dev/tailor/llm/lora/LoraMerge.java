package dev.tailor.llm.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.model.Transformer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folds an adapter into its base: {@code W' = W + (alpha / r) · B A} for every target projection; an adapter's own
 * embedding and output layer (an extended vocabulary) replace the base's.
 */
public final class LoraMerge {

    private LoraMerge() {
    }

    /**
     * A new Transformer with merged weights; untouched weights are shared with {@code base}. Its manager is a
     * sub-manager of the base's that owns only the merged copies: close it before the base.
     */
    public static Transformer merge(Transformer base, LoraAdapter adapter) {
        NDManager m = base.manager().newSubManager();
        Map<String, NDArray> weights = new LinkedHashMap<>(base.parameters());
        int layers = base.config().numLayers();
        for (int l = 0; l < layers; l++) {
            for (Projection p : Projection.values()) {
                LoraAdapter.Slot slot = adapter.slot(l, p);
                if (slot == null) {
                    continue;
                }
                String name = Transformer.modulePath(l, p) + ".weight";
                NDArray w = base.parameters().get(name);                                  // (out, in)
                NDArray product = slot.b().matMul(slot.a());                              // (out, in)
                NDArray delta = product.mul(adapter.scalingArray());
                NDArray merged = w.add(delta);
                merged.attach(m);
                product.close();
                delta.close();
                weights.put(name, merged);
            }
        }
        var config = base.config();
        var vocab = adapter.vocabulary();
        if (vocab != null) {
            config = config.withVocabulary(vocab.vocabSize(), vocab.tied());
            weights.put("model.embed_tokens.weight", typed(vocab.embed(), base, m));
            weights.remove("lm_head.weight");
            if (!vocab.tied()) {
                weights.put("lm_head.weight", typed(vocab.head(), base, m));
            }
        }
        return new Transformer(config, weights, m, base.computeType());
    }

    /** A copy of an adapter's table in the base's type, owned by {@code m} (the Transformer names its arrays). */
    private static NDArray typed(NDArray table, Transformer base, NDManager m) {
        NDArray copy = table.toType(base.computeType(), true);
        copy.attach(m);
        return copy;
    }
}
