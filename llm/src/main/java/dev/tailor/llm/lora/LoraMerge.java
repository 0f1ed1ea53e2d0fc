package dev.tailor.llm.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.model.Transformer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Folds an adapter into its base: {@code W' = W + (alpha / r) · B A} for every target projection. */
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
        return new Transformer(base.config(), weights, m);
    }
}
