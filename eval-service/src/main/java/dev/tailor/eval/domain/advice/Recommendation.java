package dev.tailor.eval.domain.advice;

/**
 * One thing to do in the next round of training, with the numbers that call for it.
 *
 * @param kind     what sort of recommendation
 * @param advice   what to do, in a sentence
 * @param evidence the measurements behind it, in a sentence
 */
public record Recommendation(Kind kind, String advice, String evidence) {

    public enum Kind {
        /** Test examples near-duplicate training examples: scores are optimistic. */
        LEAKAGE,
        /** Validation loss rose after some epoch: fewer epochs or a lower learning rate. */
        OVERFITTING,
        /** Loss improved but generation metrics did not: check template, stop tokens, truncation. */
        GENERATION_SETUP,
        /** Many answers hit the max-token limit: raise it or check EOS. */
        MAX_TOKENS,
        /** Answers leak chat-template markers: check template and stop tokens. */
        CHAT_FORMAT,
        /** A small slice lags: add data there. */
        MORE_DATA
    }

    public Recommendation {
        if (kind == null || advice == null || advice.isBlank() || evidence == null || evidence.isBlank()) {
            throw new IllegalArgumentException("a recommendation needs its kind, advice and evidence");
        }
    }
}
