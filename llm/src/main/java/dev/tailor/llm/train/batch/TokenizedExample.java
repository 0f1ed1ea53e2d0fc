package dev.tailor.llm.train.batch;

import java.util.Arrays;

/**
 * One training sequence: token ids and, per token, whether predicting it counts in the loss
 * (answer tokens true; prompt, system and padding false).
 */
public record TokenizedExample(int[] ids, boolean[] lossMask) {
    public TokenizedExample {
        if (ids.length != lossMask.length) {
            throw new IllegalArgumentException("ids and lossMask differ in length: " + ids.length + " vs " + lossMask.length);
        }
    }

    /** Every token after the first counts (pretraining on plain text). */
    public static TokenizedExample allTokens(int[] ids) {
        boolean[] mask = new boolean[ids.length];
        Arrays.fill(mask, true);
        if (mask.length > 0) {
            mask[0] = false;
        }
        return new TokenizedExample(ids, mask);
    }

    public int length() {
        return ids.length;
    }

    /** Tokens that count in the loss (the first token is never predicted). */
    public int answerTokens() {
        int n = 0;
        for (int i = 1; i < lossMask.length; i++) {
            n += lossMask[i] ? 1 : 0;
        }
        return n;
    }

    /** The first {@code maxLength} tokens. */
    public TokenizedExample truncate(int maxLength) {
        return ids.length <= maxLength ? this
                : new TokenizedExample(Arrays.copyOf(ids, maxLength), Arrays.copyOf(lossMask, maxLength));
    }
}
