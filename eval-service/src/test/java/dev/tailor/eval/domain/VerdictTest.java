package dev.tailor.eval.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerdictTest {

    @Test
    void promotesOnlyWithEnoughRelativeImprovement() {
        Verdict better = Verdict.decide(2.0, 1.9, 0.02); // 5 % lower
        assertEquals(Verdict.PROMOTE, better.verdict());
        assertEquals(0.05, better.relativeImprovement(), 1e-12);
        assertTrue(better.reason().contains("1.9000"), better.reason());

        assertEquals(Verdict.REJECT, Verdict.decide(2.0, 1.99, 0.02).verdict()); // 0.5 % lower
        assertEquals(Verdict.REJECT, Verdict.decide(2.0, 2.5, 0.02).verdict());
        assertEquals(Verdict.PROMOTE, Verdict.decide(2.0, 2.0, 0.0).verdict());
    }

    @Test
    void divergedOrDegenerateLossesAreRejectedWithAReason() {
        Verdict nan = Verdict.decide(2.0, Double.NaN, 0.02);
        assertEquals(Verdict.REJECT, nan.verdict());
        assertTrue(nan.reason().contains("diverged"), nan.reason());
        assertEquals(Verdict.REJECT, Verdict.decide(0.0, 0.0, 0.02).verdict());
        assertThrows(IllegalArgumentException.class, () -> Verdict.decide(1, 1, -0.1));
    }
}
