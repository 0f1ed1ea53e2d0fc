package dev.tailor.eval.domain.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * p-values from statsmodels 0.13.5 (Debian bookworm python3-statsmodels):
 * {@code mcnemar([[7, b], [c, 4]], exact=True).pvalue} and
 * {@code mcnemar([[7, b], [c, 4]], exact=False, correction=True)}, printed by metric-references/make_references.py.
 */
class McNemarTestTest {

    @ParameterizedTest(name = "b={0} c={1}")
    @CsvSource(textBlock = """
            1,   9,   0.021484375
            5,   5,   1.0
            0,   0,   1.0
            0,   6,   0.03125
            3,   21,  0.0002771615982055664
            """)
    void exactBelow25DiscordantPairs(int b, int c, double p) {
        McNemarTest t = McNemarTest.of(b, c);
        assertTrue(t.exact());
        assertEquals(p, t.pValue(), 1e-12);
        assertEquals(Math.min(b, c), t.statistic());
    }

    @ParameterizedTest(name = "b={0} c={1}")
    @CsvSource(textBlock = """
            12,  13,  0.0,                1.0
            10,  20,  2.7,                0.10034824646229054
            30,  12,  6.880952380952381,  0.008711912962379598
            100, 150, 9.604,              0.0019415397850404208
            40,  40,  0.0125,             0.910979292510634
            """)
    void chiSquareWithContinuityCorrectionFrom25(int b, int c, double chi2, double p) {
        McNemarTest t = McNemarTest.of(b, c);
        assertFalse(t.exact());
        assertEquals(chi2, t.statistic(), 1e-12);
        assertEquals(p, t.pValue(), 1e-12);
    }

    @Test
    void countsDiscordantPairsOfBinaryOutcomes() {
        double[] base = {1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
        double[] tuned = {1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        McNemarTest t = McNemarTest.of(base, tuned);
        assertEquals(1, t.baseOnly());
        assertEquals(9, t.tunedOnly());
        assertEquals(0.021484375, t.pValue(), 1e-12); // the (1, 9) table above
        assertThrows(IllegalArgumentException.class, () -> McNemarTest.of(new double[] {0.5}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> McNemarTest.of(new double[] {1}, new double[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> McNemarTest.of(-1, 3));
    }
}
