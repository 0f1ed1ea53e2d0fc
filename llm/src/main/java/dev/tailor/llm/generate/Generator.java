package dev.tailor.llm.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.model.KvCache;
import dev.tailor.llm.model.ProjectionDelta;
import dev.tailor.llm.model.Transformer;
import java.util.Arrays;
import java.util.Set;

/**
 * Autoregressive decoding of one sequence with its own KV cache. Each call owns its native memory (a sub-manager
 * per request, one per step), so concurrent calls on one shared {@link Transformer} do not interfere.
 */
public final class Generator {

    private final Transformer transformer;
    private final TextTokenizer tokenizer;

    public Generator(Transformer transformer, TextTokenizer tokenizer) {
        this.transformer = transformer;
        this.tokenizer = tokenizer;
    }

    public GenerationResult generate(GenerationRequest req, ProjectionDelta adapter, TokenListener listener) {
        long start = System.nanoTime();
        int[] prompt = req.promptIds();
        int vocab = transformer.config().vocabSize();
        for (int id : prompt) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("Token id " + id + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        int maxNew = Math.min(req.maxNewTokens(), transformer.config().maxPositionEmbeddings() - prompt.length);
        if (maxNew < 0) {
            throw new IllegalArgumentException("Prompt of " + prompt.length + " tokens exceeds the model's context of "
                    + transformer.config().maxPositionEmbeddings());
        }
        Set<Integer> eos = tokenizer == null ? Set.copyOf(transformer.config().eosTokenIds()) : tokenizer.eosIds();
        boolean[] seen = new boolean[vocab];
        for (int id : prompt) {
            seen[id] = true;
        }
        Sampler sampler = new Sampler(req);
        int[] out = Arrays.copyOf(prompt, prompt.length + maxNew);
        int n = prompt.length;
        String finish = "length";
        String emitted = "";
        boolean needText = tokenizer != null && (listener != null || !req.stop().isEmpty());
        int cut = -1;
        try (NDManager manager = transformer.manager().newSubManager();
             KvCache cache = transformer.newCache(1, prompt.length + Math.max(maxNew, 1))) {
            float[] logits = maxNew == 0 ? null : prefill(manager, prompt, cache, adapter);
            for (int i = 0; i < maxNew; i++) {
                int next = sampler.next(logits, seen);
                out[n++] = next;
                seen[next] = true;
                if (needText) {
                    String text = tokenizer.decode(Arrays.copyOfRange(out, prompt.length, n));
                    int stopAt = stopIndex(text, req);
                    String visible = stopAt >= 0 ? text.substring(0, stopAt) : text;
                    String delta = "";
                    boolean last = i + 1 == maxNew || eos.contains(next);
                    // hold back a partial UTF-8 character, and text that may be the start of a stop sequence
                    String safe = stopAt >= 0 || last ? visible
                            : visible.substring(0, visible.length() - heldBack(visible, req));
                    if ((stopAt >= 0 || last || !safe.endsWith("\uFFFD")) && safe.startsWith(emitted)) {
                        delta = safe.substring(emitted.length());
                        emitted = safe;
                    }
                    if (listener != null && (stopAt < 0 || !delta.isEmpty())) {
                        listener.onToken(next, delta);
                    }
                    if (stopAt >= 0) {
                        cut = stopAt;
                        finish = "stop";
                        break;
                    }
                } else if (listener != null) {
                    listener.onToken(next, "");
                }
                if (eos.contains(next)) {
                    finish = "stop";
                    break;
                }
                if (i + 1 < maxNew) {
                    logits = step(manager, new int[] {next}, cache, adapter);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int[] ids = Arrays.copyOf(out, n);
        int[] newIds = Arrays.copyOfRange(out, prompt.length, n);
        String text = tokenizer == null ? "" : tokenizer.decode(newIds);
        if (cut >= 0 && cut <= text.length()) {
            text = text.substring(0, cut);
        }
        return new GenerationResult(ids, newIds, text, finish, prompt.length, newIds.length,
                newIds.length / Math.max(seconds, 1e-9));
    }

    /** Length of the longest suffix of {@code text} that is a proper prefix of a stop sequence. */
    private static int heldBack(String text, GenerationRequest req) {
        int held = 0;
        for (String s : req.stop()) {
            for (int k = Math.min(s.length() - 1, text.length()); k > held; k--) {
                if (text.regionMatches(text.length() - k, s, 0, k)) {
                    held = k;
                    break;
                }
            }
        }
        return held;
    }

    private static int stopIndex(String text, GenerationRequest req) {
        int best = -1;
        for (String s : req.stop()) {
            int i = text.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    /** Prompt tokens per forward pass: bounds the attention scores of long prompts to (heads, CHUNK, S). */
    static final int PREFILL_CHUNK = 256;

    /** Feeds the prompt through the cache in chunks; returns the logits (V) after its last token. */
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
            long[] l = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                l[i] = ids[i];
            }
            NDArray input = m.create(l, new Shape(1, ids.length));                        // (1, T)
            NDArray logits = transformer.forward(input, cache, adapter, false, true);      // (1, 1, V)
            return logits.toFloatArray();
        }
    }
}
