package dev.tailor.eval.domain.stats;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * McNemar's test of a binary metric (e.g. exact match) on paired examples: do base and tuned differ in how often
 * they are right? Only the discordant pairs count. With fewer than {@value #EXACT_BELOW} of them the two-sided exact
 * binomial p is used, min(1, 2 · P[Binomial(b + c, ½) ≤ min(b, c)]); otherwise the chi-square statistic with
 * continuity correction, (|b − c| − 1)² / (b + c), and its upper tail with 1 degree of freedom. Both as statsmodels'
 * {@code mcnemar(table, exact=True)} and {@code mcnemar(table, exact=False, correction=True)} compute them.
 *
 * @param baseOnly  b: pairs where only the base model was right
 * @param tunedOnly c: pairs where only the tuned model was right
 * @param exact     whether the exact binomial test was used
 * @param statistic min(b, c) for the exact test, the chi-square statistic otherwise
 * @param pValue    two-sided p-value in [0, 1]
 */
public record McNemarTest(int baseOnly, int tunedOnly, boolean exact, double statistic, double pValue) {
    /** Discordant pairs from which the chi-square approximation is used. */
    public static final int EXACT_BELOW = 25;

    public McNemarTest {
        if (baseOnly < 0 || tunedOnly < 0) {
            throw new IllegalArgumentException("discordant pair counts must not be negative, got b=" + baseOnly
                    + ", c=" + tunedOnly);
        }
        if (!(pValue >= 0 && pValue <= 1)) {
            throw new IllegalArgumentException("p-value must be in [0, 1], got " + pValue);
        }
    }

    /** The test from the discordant counts b (base right only) and c (tuned right only). */
    public static McNemarTest of(int baseOnly, int tunedOnly) {
        if (baseOnly < 0 || tunedOnly < 0) {
            throw new IllegalArgumentException("discordant pair counts must not be negative, got b=" + baseOnly
                    + ", c=" + tunedOnly);
        }
        int n = baseOnly + tunedOnly;
        if (n < EXACT_BELOW) {
            int k = Math.min(baseOnly, tunedOnly);
            double p = n == 0 ? 1 : Math.min(1, 2 * new BinomialDistribution(null, n, 0.5).cumulativeProbability(k));
            return new McNemarTest(baseOnly, tunedOnly, true, k, p);
        }
        double d = Math.abs(baseOnly - tunedOnly) - 1.0;
        double chi2 = d * d / n;
        // upper tail of chi-square with 1 degree of freedom: Q(1/2, x/2)
        return new McNemarTest(baseOnly, tunedOnly, false, chi2, Gamma.regularizedGammaQ(0.5, chi2 / 2));
    }

    /** The test from paired outcomes: {@code base[i]} and {@code tuned[i]} are 1 (right) or 0 (wrong). */
    public static McNemarTest of(double[] base, double[] tuned) {
        if (base.length != tuned.length) {
            throw new IllegalArgumentException("McNemar's test needs paired outcomes, got " + base.length + " and "
                    + tuned.length);
        }
        int b = 0;
        int c = 0;
        for (int i = 0; i < base.length; i++) {
            boolean x = binary(base[i]);
            boolean y = binary(tuned[i]);
            if (x && !y) {
                b++;
            } else if (!x && y) {
                c++;
            }
        }
        return of(b, c);
    }

    private static boolean binary(double v) {
        if (v != 0 && v != 1) {
            throw new IllegalArgumentException("McNemar's test needs outcomes of 0 or 1, got " + v);
        }
        return v == 1;
    }

    /** Number of discordant pairs, b + c. */
    public int discordant() {
        return baseOnly + tunedOnly;
    }
}
