package dev.tailor.llm.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void warmupThenCosineToZero() {
        LrSchedule s = new LrSchedule(1.0, 100, 0.1, "cosine");
        assertEquals(10, s.warmupSteps());
        assertEquals(0.1, s.at(0), 1e-12);
        assertEquals(1.0, s.at(9), 1e-12);
        assertEquals(1.0, s.at(10), 1e-12);
        assertEquals(0.5, s.at(55), 1e-12);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 89 / 90)), s.at(99), 1e-12);
    }

    @Test
    void linearAndConstant() {
        assertEquals(0.5, new LrSchedule(1.0, 10, 0.0, "linear").at(5), 1e-12);
        assertEquals(2.0, new LrSchedule(2.0, 10, 0.0, "constant").at(9), 1e-12);
    }
}
