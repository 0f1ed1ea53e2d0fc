package dev.tailor.eval.domain.stats;

/**
 * Compares per-example scores of a base and a tuned model: mean gain with a paired bootstrap interval, win/tie/loss
 * counts, and McNemar's test when the metric is binary.
 *
 * @param bootstrap    resamples, confidence and seed of the interval
 * @param tieTolerance |gain| at or below which an example is a tie (metric units, ≥ 0)
 */
public record PairedStatistics(PairedBootstrap bootstrap, double tieTolerance) {
    /** Ties within 1e-9: equal scores, up to rounding. */
    public static final PairedStatistics DEFAULT = new PairedStatistics(PairedBootstrap.DEFAULT, 1e-9);

    public PairedStatistics {
        if (bootstrap == null) {
            throw new IllegalArgumentException("paired statistics need bootstrap settings");
        }
        if (!(tieTolerance >= 0 && tieTolerance < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("tie tolerance must be a number >= 0, got " + tieTolerance);
        }
    }

    /**
     * @param base           the base model's values, shape (n)
     * @param tuned          the tuned model's values on the same examples in the same order, shape (n)
     * @param higherIsBetter whether a larger value is better (false for losses)
     * @param binary         whether the values are 0/1 outcomes (adds McNemar's test)
     */
    public PairedComparison compare(double[] base, double[] tuned, boolean higherIsBetter, boolean binary) {
        if (base.length != tuned.length) {
            throw new IllegalArgumentException("paired scores need one base and one tuned value per example, got "
                    + base.length + " and " + tuned.length);
        }
        if (base.length == 0) {
            throw new IllegalArgumentException("no examples to compare");
        }
        int n = base.length;
        double[] gains = new double[n];
        double sumBase = 0;
        double sumTuned = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(base[i]) || !Double.isFinite(tuned[i])) {
                throw new IllegalArgumentException("example " + i + " has a score that is not a finite number: base="
                        + base[i] + ", tuned=" + tuned[i]);
            }
            sumBase += base[i];
            sumTuned += tuned[i];
            gains[i] = higherIsBetter ? tuned[i] - base[i] : base[i] - tuned[i];
        }
        double meanGain = 0;
        for (double g : gains) {
            meanGain += g;
        }
        meanGain /= n;
        return new PairedComparison(n, sumBase / n, sumTuned / n, meanGain, bootstrap.meanInterval(gains),
                WinTieLoss.of(gains, tieTolerance), binary ? McNemarTest.of(base, tuned) : null);
    }

    /**
     * A judge's pairwise preferences as a comparison with parity: {@code preferences[i]} in [0, 1] is how much the
     * judge preferred the tuned answer on example i (1 tuned better, ½ tie, 0 base better, averaged over both
     * presentation orders). The result's {@code meanTuned} is the win rate, {@code meanBase} ½, {@code meanGain} the
     * win-rate gain with its bootstrap interval, and wins/ties/losses count the examples the tuned model won, tied
     * or lost.
     */
    public PairedComparison winRate(double[] preferences) {
        double[] parity = new double[preferences.length];
        for (int i = 0; i < preferences.length; i++) {
            if (!(preferences[i] >= 0 && preferences[i] <= 1)) {
                throw new IllegalArgumentException("judge preference " + i + " must be in [0, 1], got "
                        + preferences[i]);
            }
            parity[i] = 0.5;
        }
        return compare(parity, preferences, true, false);
    }
}
