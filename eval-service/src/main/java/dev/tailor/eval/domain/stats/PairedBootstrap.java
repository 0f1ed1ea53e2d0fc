package dev.tailor.eval.domain.stats;

import java.util.SplittableRandom;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Percentile bootstrap confidence interval of a mean: resample the n values with replacement {@code resamples}
 * times, take the mean of each resample, and read the (1 - confidence)/2 and (1 + confidence)/2 quantiles of those
 * means (linear interpolation, numpy's default and R's type 7, as {@code scipy.stats.bootstrap(method=
 * "percentile")} does). Applied to per-example differences tuned − base it is the paired bootstrap: examples are
 * resampled as pairs. The same seed and values always give the same interval ({@link SplittableRandom}'s sequence
 * is fixed by its seed).
 *
 * @param resamples  number of bootstrap resamples, at least 1,000
 * @param confidence two-sided level in (0.5, 1), e.g. 0.95
 * @param seed       seed of the resampling
 */
public record PairedBootstrap(int resamples, double confidence, long seed) {
    public static final int DEFAULT_RESAMPLES = 10_000;
    public static final double DEFAULT_CONFIDENCE = 0.95;
    public static final long DEFAULT_SEED = 20_260_101L;
    public static final PairedBootstrap DEFAULT = new PairedBootstrap(DEFAULT_RESAMPLES, DEFAULT_CONFIDENCE,
            DEFAULT_SEED);

    public PairedBootstrap {
        if (resamples < 1_000 || resamples > 10_000_000) {
            throw new IllegalArgumentException("bootstrap resamples must be in 1,000..10,000,000, got " + resamples);
        }
        if (!(confidence > 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0.5, 1), e.g. 0.95; got " + confidence);
        }
    }

    /** The interval of the mean of {@code values} (n ≥ 1 finite numbers). */
    public ConfidenceInterval meanInterval(double[] values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("a bootstrap interval needs at least one value");
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("bootstrap values must be finite, got " + v);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Percentile quantile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        quantile.setData(means);
        double alpha = 1 - confidence;
        double lower = quantile.evaluate(100 * alpha / 2);
        double upper = quantile.evaluate(100 * (1 - alpha / 2));
        return new ConfidenceInterval(lower, Math.max(lower, upper), confidence);
    }
}
