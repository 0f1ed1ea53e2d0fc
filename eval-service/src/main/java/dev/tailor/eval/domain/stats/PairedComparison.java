package dev.tailor.eval.domain.stats;

/**
 * Base vs tuned on one per-example metric over the same n examples. A gain is the per-example difference signed so
 * that positive is better: tuned − base for metrics where higher is better, base − tuned where lower is better.
 *
 * @param examples    n, the number of paired examples
 * @param meanBase    mean of the base model's values (metric units)
 * @param meanTuned   mean of the tuned model's values (metric units)
 * @param meanGain    mean gain (metric units, positive = tuned better)
 * @param interval    bootstrap confidence interval of the mean gain
 * @param winTieLoss  per-example wins, ties and losses of the tuned model
 * @param mcnemar     McNemar's test for a binary metric, null for others
 */
public record PairedComparison(int examples, double meanBase, double meanTuned, double meanGain,
                               ConfidenceInterval interval, WinTieLoss winTieLoss, McNemarTest mcnemar) {

    public PairedComparison {
        if (examples < 1) {
            throw new IllegalArgumentException("a paired comparison needs at least one example, got " + examples);
        }
        if (!Double.isFinite(meanBase) || !Double.isFinite(meanTuned) || !Double.isFinite(meanGain)) {
            throw new IllegalArgumentException("paired comparison means must be finite, got base=" + meanBase
                    + ", tuned=" + meanTuned + ", gain=" + meanGain);
        }
        if (interval == null || winTieLoss == null) {
            throw new IllegalArgumentException("a paired comparison needs its interval and win/tie/loss counts");
        }
        if (winTieLoss.total() != examples) {
            throw new IllegalArgumentException("win/tie/loss counts add up to " + winTieLoss.total() + ", not to the "
                    + examples + " examples");
        }
    }
}
