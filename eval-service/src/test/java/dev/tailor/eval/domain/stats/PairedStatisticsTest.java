package dev.tailor.eval.domain.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairedStatisticsTest {

    @Test
    void gainsAreSignedSoThatPositiveIsBetter() {
        double[] base = {0.2, 0.5, 0.4, 0.1};
        double[] tuned = {0.4, 0.5, 0.3, 0.6};
        PairedComparison up = PairedStatistics.DEFAULT.compare(base, tuned, true, false);
        assertEquals(4, up.examples());
        assertEquals(0.3, up.meanBase(), 1e-12);
        assertEquals(0.45, up.meanTuned(), 1e-12);
        assertEquals(0.15, up.meanGain(), 1e-12);
        assertEquals(new WinTieLoss(2, 1, 1), up.winTieLoss());
        assertNull(up.mcnemar());
        assertTrue(up.interval().contains(up.meanGain()));

        // the same numbers as losses: lower is better, so the tuned model now loses on average
        PairedComparison loss = PairedStatistics.DEFAULT.compare(base, tuned, false, false);
        assertEquals(-0.15, loss.meanGain(), 1e-12);
        assertEquals(new WinTieLoss(1, 1, 2), loss.winTieLoss());
    }

    @Test
    void tiesWithinTheToleranceAndMcNemarForBinaryMetrics() {
        PairedStatistics stats = new PairedStatistics(PairedBootstrap.DEFAULT, 0.05);
        PairedComparison c = stats.compare(new double[] {0.50, 0.50, 0.5}, new double[] {0.54, 0.56, 0.44}, true,
                false);
        assertEquals(new WinTieLoss(1, 1, 1), c.winTieLoss());
        PairedComparison em = PairedStatistics.DEFAULT.compare(new double[] {1, 0, 0, 0}, new double[] {1, 1, 1, 0},
                true, true);
        assertNotNull(em.mcnemar());
        assertEquals(0, em.mcnemar().baseOnly());
        assertEquals(2, em.mcnemar().tunedOnly());
        assertEquals(0.5, em.mcnemar().pValue(), 1e-12); // 2 * P[Bin(2, .5) <= 0] = 0.5
    }

    @Test
    void judgePreferencesBecomeAWinRateGain() {
        // 6 examples: tuned preferred in both orders (1), once (0.75), tie (0.5), base preferred (0)
        PairedComparison judge = PairedStatistics.DEFAULT.winRate(new double[] {1, 1, 0.75, 0.5, 0, 1});
        assertEquals(0.5, judge.meanBase());
        assertEquals(4.25 / 6, judge.meanTuned(), 1e-12);
        assertEquals(4.25 / 6 - 0.5, judge.meanGain(), 1e-12);
        assertEquals(new WinTieLoss(4, 1, 1), judge.winTieLoss());
        assertThrows(IllegalArgumentException.class, () -> PairedStatistics.DEFAULT.winRate(new double[] {1.5}));
    }

    @Test
    void rejectsUnpairedOrNonFiniteScores() {
        assertThrows(IllegalArgumentException.class,
                () -> PairedStatistics.DEFAULT.compare(new double[] {1}, new double[] {1, 2}, true, false));
        assertThrows(IllegalArgumentException.class,
                () -> PairedStatistics.DEFAULT.compare(new double[0], new double[0], true, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedStatistics.DEFAULT.compare(new double[] {1, Double.NaN}, new double[] {1, 2}, true, false));
        assertTrue(e.getMessage().startsWith("example 1 has a score that is not a finite number"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WinTieLoss.of(new double[] {1}, -1));
    }
}
