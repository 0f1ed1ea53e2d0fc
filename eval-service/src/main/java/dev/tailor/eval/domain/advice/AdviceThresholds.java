package dev.tailor.eval.domain.advice;

/**
 * When the numbers call for a recommendation.
 *
 * @param validationRise   relative rise of validation loss above its minimum that counts as overfitting (0.01 = 1 %)
 * @param laggingRelative  a slice lags when its tuned mean is worse than the overall one by this fraction (0.2)...
 * @param laggingAbsolute  ...and by at least this much in metric units (0.02)
 * @param fewExamples      a slice is small below this many test examples (10)...
 * @param fewShare         ...or below this share of the test examples (0.1)
 * @param maxTokensShare   share of tuned answers hitting max tokens that is too many (0.2)
 * @param leakedShare      share of tuned answers with chat-format markers that is too many (0.05)
 * @param leakageShare     share of test examples near-duplicating training ones above which to warn (0.05)
 */
public record AdviceThresholds(double validationRise, double laggingRelative, double laggingAbsolute, int fewExamples,
                               double fewShare, double maxTokensShare, double leakedShare, double leakageShare) {
    public static final AdviceThresholds DEFAULT = new AdviceThresholds(0.01, 0.2, 0.02, 10, 0.1, 0.2, 0.05, 0.05);

    public AdviceThresholds {
        for (double share : new double[] {validationRise, laggingRelative, fewShare, maxTokensShare, leakedShare,
                leakageShare}) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("advice thresholds that are shares must lie in [0, 1], got "
                        + share);
            }
        }
        if (!(laggingAbsolute >= 0) || Double.isInfinite(laggingAbsolute) || fewExamples < 1) {
            throw new IllegalArgumentException("laggingAbsolute must be a number >= 0 and fewExamples >= 1, got "
                    + laggingAbsolute + " and " + fewExamples);
        }
    }
}
