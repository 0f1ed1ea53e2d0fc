package dev.tailor.eval.domain.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
    /** Per-example gains used by metric-references/make_references.py. */
    private static final double[] GAINS = {0.12, -0.05, 0.30, 0.00, 0.08, 0.21, -0.10, 0.15, 0.05, 0.02, 0.40, -0.02,
        0.11, 0.07, -0.20, 0.09, 0.13, 0.00, 0.25, 0.04};

    @Test
    void agreesWithScipyPercentileBootstrap() {
        // scipy.stats.bootstrap((d,), np.mean, n_resamples=200000, confidence_level=0.95, method="percentile")
        // (SciPy 1.10.1) gives [0.0245, 0.1425]. The two resampling streams differ, so they agree to Monte Carlo
        // error: the standard error of a 2.5 % quantile of 200,000 resampled means here is about 0.0005.
        ConfidenceInterval ci = new PairedBootstrap(200_000, 0.95, 7).meanInterval(GAINS);
        assertEquals(0.0245, ci.lower(), 0.002);
        assertEquals(0.1425, ci.upper(), 0.002);
        assertEquals(0.95, ci.confidence());
    }

    @Test
    void sameSeedSameIntervalAndOtherSeedsClose() {
        ConfidenceInterval a = PairedBootstrap.DEFAULT.meanInterval(GAINS);
        ConfidenceInterval b = PairedBootstrap.DEFAULT.meanInterval(GAINS.clone());
        assertEquals(a, b);
        ConfidenceInterval c = new PairedBootstrap(PairedBootstrap.DEFAULT_RESAMPLES, 0.95, 8).meanInterval(GAINS);
        assertNotEquals(a, c);
        assertEquals(a.lower(), c.lower(), 0.01);
        assertEquals(a.upper(), c.upper(), 0.01);
    }

    @Test
    void widerAtHigherConfidenceAndDegenerateWithoutVariance() {
        ConfidenceInterval ci95 = new PairedBootstrap(5_000, 0.95, 1).meanInterval(GAINS);
        ConfidenceInterval ci99 = new PairedBootstrap(5_000, 0.99, 1).meanInterval(GAINS);
        assertEquals(true, ci99.lower() < ci95.lower() && ci99.upper() > ci95.upper());
        ConfidenceInterval flat = PairedBootstrap.DEFAULT.meanInterval(new double[] {0.25, 0.25, 0.25});
        assertEquals(0.25, flat.lower(), 1e-15);
        assertEquals(0.25, flat.upper(), 1e-15);
        ConfidenceInterval one = PairedBootstrap.DEFAULT.meanInterval(new double[] {-0.5});
        assertEquals(-0.5, one.lower());
    }

    @Test
    void rejectsTooFewResamplesAndBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new PairedBootstrap(999, 0.95, 1));
        assertThrows(IllegalArgumentException.class, () -> new PairedBootstrap(1000, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.DEFAULT.meanInterval(new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> PairedBootstrap.DEFAULT.meanInterval(new double[] {1, Double.NaN}));
    }
}
