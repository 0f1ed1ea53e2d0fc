package dev.tailor.eval.domain.request;

import java.util.List;

/**
 * How answers are generated for scoring: greedy by default (temperature 0), or sampled with a seed.
 *
 * @param maxNewTokens most tokens per answer (default 128)
 * @param temperature  0 = greedy (default), up to 2
 * @param topP         nucleus sampling mass in (0, 1] (default 1: off)
 * @param topK         top-k filter, 0 = off (default)
 * @param seed         seed of sampling (default 42), so sampled runs repeat
 * @param stop         extra stop strings (the model's end-of-sequence tokens always stop)
 */
public record GenerationSettings(Integer maxNewTokens, Double temperature, Double topP, Integer topK, Long seed,
                                 List<String> stop) {
    public static final int DEFAULT_MAX_NEW_TOKENS = 128;
    public static final GenerationSettings DEFAULT = new GenerationSettings(null, null, null, null, null, null);

    public GenerationSettings {
        maxNewTokens = maxNewTokens == null ? DEFAULT_MAX_NEW_TOKENS : maxNewTokens;
        temperature = temperature == null ? 0.0 : temperature;
        topP = topP == null ? 1.0 : topP;
        topK = topK == null ? 0 : topK;
        seed = seed == null ? 42L : seed;
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (maxNewTokens < 1 || maxNewTokens > 4096) {
            throw new IllegalArgumentException("generation.maxNewTokens must be in 1..4096, got " + maxNewTokens);
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("generation.temperature must be in [0, 2] (0 = greedy), got "
                    + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("generation.topP must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("generation.topK must be >= 0 (0 = off), got " + topK);
        }
        if (stop.size() > 8 || stop.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw new IllegalArgumentException("generation.stop takes up to 8 non-empty strings, got " + stop);
        }
    }

    /** Whether answers are the argmax at every step. */
    public boolean greedy() {
        return temperature == 0;
    }

    /** These settings with another max-token budget. */
    public GenerationSettings withMaxNewTokens(int tokens) {
        return new GenerationSettings(tokens, temperature, topP, topK, seed, stop);
    }
}
