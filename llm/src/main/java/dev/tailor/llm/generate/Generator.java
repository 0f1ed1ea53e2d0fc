package dev.tailor.llm.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.cpu.CpuCache;
import dev.tailor.llm.cpu.CpuDecode;
import dev.tailor.llm.model.KvCache;
import dev.tailor.llm.model.ProjectionDelta;
import dev.tailor.llm.model.Transformer;
import java.util.Arrays;

/**
 * Autoregressive decoding of one sequence with its own KV cache. Each call owns its native memory (a sub-manager
 * per request, one per step), so concurrent calls on one shared {@link Transformer} do not interfere. Many
 * sequences decode together in a {@link BatchDecoder}. With a {@link CpuDecode} engine, requests it can run (the base,
 * or a LoRA adapter) decode on it instead of PyTorch.
 */
public final class Generator {

    /** Prompt tokens per forward pass: bounds the attention scores of long prompts to (heads, CHUNK, S). */
    static final int PREFILL_CHUNK = 256;

    private final Transformer transformer;
    private final TextTokenizer tokenizer;
    private final CpuDecode cpu;

    public Generator(Transformer transformer, TextTokenizer tokenizer) {
        this(transformer, tokenizer, null);
    }

    /** @param cpu the Java engine over {@code transformer}'s weights, or null to decode on PyTorch */
    public Generator(Transformer transformer, TextTokenizer tokenizer, CpuDecode cpu) {
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.cpu = cpu;
    }

    public GenerationResult generate(GenerationRequest req, ProjectionDelta adapter, TokenListener listener) {
        return generate(req, adapter, null, listener);
    }

    /**
     * @param adapterTokenizer the adapter's own (extended) tokenizer, or null for the base's: it turns the ids of the
     *                         adapter's new tokens into text
     */
    public GenerationResult generate(GenerationRequest req, ProjectionDelta adapter, TextTokenizer adapterTokenizer,
                                     TokenListener listener) {
        TextTokenizer tokenizer = adapterTokenizer != null ? adapterTokenizer : this.tokenizer;
        int vocab = adapter == null ? transformer.config().vocabSize()
                : adapter.vocabSize(transformer.config().vocabSize());
        int[] prompt = req.promptIds();
        int context = transformer.config().maxPositionEmbeddings();
        int maxNew = Math.min(req.maxNewTokens(), context - prompt.length);
        if (maxNew < 0) {
            throw new IllegalArgumentException("Prompt of " + prompt.length + " tokens exceeds the model's context of "
                    + context);
        }
        Decoding s = new Decoding(req, maxNew, vocab, tokenizer,
                Decoding.eosIds(tokenizer, transformer.config().eosTokenIds()), listener);
        if (s.done()) {
            return s.result();
        }
        if (cpu != null && CpuDecode.handles(adapter)) {
            CpuCache cache;
            float[] logits;
            if (prompt.length >= CpuDecode.TORCH_PREFILL_MIN) { // matrix-matrix work: PyTorch, then the cache copied
                try (NDManager manager = transformer.manager().newSubManager();
                     KvCache kv = transformer.newCache(1, prompt.length)) {
                    logits = prefill(manager, prompt, kv, adapter);
                    cache = cpu.adopt(kv, prompt.length + maxNew);
                }
            } else {
                cache = cpu.newCache(prompt.length + maxNew);
                logits = cpu.prefill(cache, prompt, adapter);
            }
            CpuCache[] caches = {cache};
            java.util.List<ProjectionDelta> deltas = java.util.Collections.singletonList(adapter);
            while (!s.accept(logits)) {
                logits = cpu.decode(caches, new int[] {s.last()}, deltas)[0];
            }
            return s.result();
        }
        try (NDManager manager = transformer.manager().newSubManager();
             KvCache cache = transformer.newCache(1, prompt.length + maxNew)) {
            float[] logits = prefill(manager, prompt, cache, adapter);
            while (!s.accept(logits)) {
                logits = step(manager, new int[] {s.last()}, cache, adapter);
            }
        }
        return s.result();
    }

    /** Runs the prompt through the model in chunks of {@link #PREFILL_CHUNK}; the logits (V) of its last token. */
    private float[] prefill(NDManager parent, int[] prompt, KvCache cache, ProjectionDelta adapter) {
        float[] logits = null;
        for (int from = 0; from < prompt.length; from += PREFILL_CHUNK) {
            logits = step(parent, Arrays.copyOfRange(prompt, from, Math.min(prompt.length, from + PREFILL_CHUNK)),
                    cache, adapter);
        }
        return logits;
    }

    /** Runs {@code ids} through the model, returning the logits (V) of the last position. */
    private float[] step(NDManager parent, int[] ids, KvCache cache, ProjectionDelta adapter) {
        try (NDManager m = parent.newSubManager()) {
            NDArray input = m.create(toLong(ids), new Shape(1, ids.length));                // (1, T)
            NDArray logits = transformer.forward(input, cache, adapter, false, true);      // (1, 1, V)
            return logits.toFloatArray();
        }
    }

    static long[] toLong(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return l;
    }
}
