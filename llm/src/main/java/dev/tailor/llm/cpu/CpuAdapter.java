package dev.tailor.llm.cpu;

import ai.djl.ndarray.NDArray;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.vocab.AdapterVocabulary;

/**
 * A LoRA adapter copied for CPU decoding: per layer and projection A (r, in) and B (out, r) in float32 and the
 * scaling alpha / r, so a projection's output gains {@code scaling · B (A x)}; and, for an adapter that extends the
 * vocabulary, its own embedding and output layer in the engine's format.
 */
final class CpuAdapter {

    private static final Projection[] PROJECTIONS = Projection.values();

    final float scaling;
    final PackedMatrix[][] a; // [layer][projection] (r, in) or null
    final PackedMatrix[][] b; // [layer][projection] (out, r) or null
    final PackedMatrix embed; // (V', H) or null: the base's
    final PackedMatrix head;  // (V', H) or null: the base's
    final int vocab;

    CpuAdapter(LoraAdapter adapter, int layers, int baseVocab, WeightFormat format) {
        this.scaling = adapter.scalingArray().toFloatArray()[0];
        a = new PackedMatrix[layers][PROJECTIONS.length];
        b = new PackedMatrix[layers][PROJECTIONS.length];
        for (int l = 0; l < layers; l++) {
            for (Projection p : PROJECTIONS) {
                LoraAdapter.Slot slot = adapter.slot(l, p);
                if (slot != null) {
                    a[l][p.ordinal()] = matrix(slot.a(), WeightFormat.FLOAT32);
                    b[l][p.ordinal()] = matrix(slot.b(), WeightFormat.FLOAT32);
                }
            }
        }
        AdapterVocabulary v = adapter.vocabulary();
        if (v == null) {
            embed = null;
            head = null;
            vocab = baseVocab;
        } else {
            embed = matrix(v.embed(), format);
            head = v.head() == v.embed() ? embed : matrix(v.head(), format);
            vocab = v.vocabSize();
        }
    }

    private static PackedMatrix matrix(NDArray m, WeightFormat format) {
        long[] s = m.getShape().getShape();
        return format.pack(CpuModel.floats(m), Math.toIntExact(s[0]), Math.toIntExact(s[1]));
    }
}
