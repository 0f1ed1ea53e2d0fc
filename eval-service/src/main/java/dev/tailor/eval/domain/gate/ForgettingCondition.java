package dev.tailor.eval.domain.gate;

/**
 * Forgetting check: the tuned model's perplexity on held-out general text may rise by at most
 * {@code maxPerplexityIncrease} relative to the base model's (0.05 = 5 %, the default).
 */
public record ForgettingCondition(Double maxPerplexityIncrease) {
    public static final double DEFAULT_MAX_INCREASE = 0.05;

    public ForgettingCondition {
        maxPerplexityIncrease = maxPerplexityIncrease == null ? DEFAULT_MAX_INCREASE : maxPerplexityIncrease;
        if (!(maxPerplexityIncrease >= 0 && maxPerplexityIncrease <= 10)) {
            throw new IllegalArgumentException("forgetting.maxPerplexityIncrease must be in [0, 10], e.g. 0.05 for "
                    + "5 %; got " + maxPerplexityIncrease);
        }
    }
}
