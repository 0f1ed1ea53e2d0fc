package dev.tailor.eval.domain.stats;

/**
 * How often the tuned model beat, tied or lost to the base model over paired examples.
 *
 * @param wins   examples whose gain is above the tolerance
 * @param ties   examples whose gain lies within ± the tolerance
 * @param losses examples whose gain is below − the tolerance
 */
public record WinTieLoss(int wins, int ties, int losses) {

    public WinTieLoss {
        if (wins < 0 || ties < 0 || losses < 0) {
            throw new IllegalArgumentException("win/tie/loss counts must not be negative, got " + wins + "/" + ties
                    + "/" + losses);
        }
    }

    /** Counts the gains (tuned − base, signed so that positive is better) against a tie tolerance ≥ 0. */
    public static WinTieLoss of(double[] gains, double tolerance) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tie tolerance must be >= 0, got " + tolerance);
        }
        int w = 0;
        int t = 0;
        int l = 0;
        for (double g : gains) {
            if (g > tolerance) {
                w++;
            } else if (g < -tolerance) {
                l++;
            } else {
                t++;
            }
        }
        return new WinTieLoss(w, t, l);
    }

    public int total() {
        return wins + ties + losses;
    }
}
