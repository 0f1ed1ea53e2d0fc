package dev.tailor.llm.generate;

import dev.tailor.llm.chat.TextTokenizer;
import java.util.Arrays;
import java.util.Set;

/**
 * The state of one sequence being generated: sampling, the tokens so far, stop conditions (EOS, stop strings, the
 * token limit) and the text handed to the listener, which never shows a partial UTF-8 character nor the start of
 * a stop string. Shared by {@link Generator} (one sequence) and {@link BatchDecoder} (many).
 */
final class Decoding {

    private final GenerationRequest req;
    private final TextTokenizer tokenizer;
    private final Set<Integer> eos;
    private final TokenListener listener;
    private final Sampler sampler;
    private final boolean[] seen;
    private final int[] out;
    private final int promptLength;
    private final int maxNew;
    private final boolean needText;
    private int n;
    private String finish = "length";
    private String emitted = "";
    private int cut = -1;
    private boolean done;
    private long start = System.nanoTime();
    private long end;

    /** @param maxNew tokens to generate at most (the request's, already cut to what fits the context) */
    Decoding(GenerationRequest req, int maxNew, int vocab, TextTokenizer tokenizer, Set<Integer> eos,
             TokenListener listener) {
        int[] prompt = req.promptIds();
        for (int id : prompt) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("Token id " + id + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        this.req = req;
        this.tokenizer = tokenizer;
        this.eos = eos;
        this.listener = listener;
        this.sampler = new Sampler(req);
        this.seen = new boolean[vocab];
        for (int id : prompt) {
            seen[id] = true;
        }
        this.promptLength = prompt.length;
        this.maxNew = maxNew;
        this.out = Arrays.copyOf(prompt, prompt.length + maxNew);
        this.n = prompt.length;
        this.needText = tokenizer != null && (listener != null || !req.stop().isEmpty());
        this.done = maxNew == 0;
    }

    /** EOS ids of the tokenizer, or of the model's config when there is no tokenizer. */
    static Set<Integer> eosIds(TextTokenizer tokenizer, java.util.List<Integer> configEos) {
        return tokenizer == null ? Set.copyOf(configEos) : tokenizer.eosIds();
    }

    GenerationRequest request() {
        return req;
    }

    int[] prompt() {
        return req.promptIds();
    }

    /** Restarts the clock: generation time counts from here (a batch's sequence: when its prefill starts). */
    void started() {
        start = System.nanoTime();
    }

    boolean done() {
        return done;
    }

    /** The token generated last (the next input of the model). */
    int last() {
        return out[n - 1];
    }

    /**
     * Picks the next token from {@code logits} (V, modified in place) and handles it.
     *
     * @return true when the sequence is finished (EOS, a stop string, or the token limit)
     * @throws RuntimeException whatever the listener throws
     */
    boolean accept(float[] logits) {
        int next = sampler.next(logits, seen);
        out[n++] = next;
        seen[next] = true;
        int generated = n - promptLength;
        boolean last = generated == maxNew || eos.contains(next);
        if (needText) {
            String text = tokenizer.decode(Arrays.copyOfRange(out, promptLength, n));
            int stopAt = stopIndex(text, req);
            String visible = stopAt >= 0 ? text.substring(0, stopAt) : text;
            String delta = "";
            // hold back a partial UTF-8 character, and text that may be the start of a stop sequence
            String safe = stopAt >= 0 || last ? visible : visible.substring(0, visible.length() - heldBack(visible, req));
            if ((stopAt >= 0 || last || !safe.endsWith("\uFFFD")) && safe.startsWith(emitted)) {
                delta = safe.substring(emitted.length());
                emitted = safe;
            }
            if (listener != null && (stopAt < 0 || !delta.isEmpty())) {
                listener.onToken(next, delta);
            }
            if (stopAt >= 0) {
                cut = stopAt;
                return finish("stop");
            }
        } else if (listener != null) {
            listener.onToken(next, "");
        }
        if (eos.contains(next)) {
            return finish("stop");
        }
        return generated == maxNew && finish("length");
    }

    /** Ends the sequence early or at its limit, e.g. "cancelled". */
    boolean finish(String reason) {
        finish = reason;
        done = true;
        end = System.nanoTime();
        return true;
    }

    GenerationResult result() {
        double seconds = ((end == 0 ? System.nanoTime() : end) - start) / 1e9;
        int[] ids = Arrays.copyOf(out, n);
        int[] newIds = Arrays.copyOfRange(out, promptLength, n);
        String text = tokenizer == null ? "" : tokenizer.decode(newIds);
        if (cut >= 0 && cut <= text.length()) {
            text = text.substring(0, cut);
        }
        return new GenerationResult(ids, newIds, text, finish, promptLength, newIds.length,
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
}
