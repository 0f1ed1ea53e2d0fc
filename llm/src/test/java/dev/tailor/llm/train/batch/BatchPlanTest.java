package dev.tailor.llm.train.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tailor.common.events.TrainingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
    static TokenizedExample example(int first, int len, int promptLen) {
        int[] ids = new int[len];
        boolean[] mask = new boolean[len];
        for (int i = 0; i < len; i++) {
            ids[i] = first + i;
            mask[i] = i >= promptLen;
        }
        return new TokenizedExample(ids, mask);
    }

    @Test
    void rightPadsAndShiftsTargetsAndMasksPrompt() {
        MicroBatch b = MicroBatch.of(List.of(example(10, 4, 2), example(20, 2, 1)), 0);
        assertEquals(4, b.cols());
        assertArrayEquals(new long[] {10, 11, 12, 13, 20, 21, 0, 0}, b.inputs());
        assertArrayEquals(new long[] {11, 12, 13, 0, 21, 0, 0, 0}, b.targets());
        assertArrayEquals(new float[] {0, 1, 1, 0, 1, 0, 0, 0}, b.mask());
        assertEquals(3, b.answerTokens());
    }

    @Test
    void sameSeedSameOrderAndEpochsDiffer() {
        List<TokenizedExample> data = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            data.add(example(i * 100, 5, 2));
        }
        TrainingParams cfg = TrainingParams.builder().batchSize(2).gradientAccumulation(2).epochs(3).build();
        BatchPlan a = new BatchPlan(data, cfg, 0);
        BatchPlan b = new BatchPlan(data, cfg, 0);
        assertEquals(5, a.stepsPerEpoch());
        assertEquals(15, a.totalSteps());
        for (int s = 0; s < 15; s++) {
            assertEquals(2, a.step(s).size());
            assertArrayEquals(a.step(s).get(0).inputs(), b.step(s).get(0).inputs());
        }
        assertNotEquals(Arrays.toString(a.step(0).get(0).inputs()), Arrays.toString(a.step(5).get(0).inputs()));
        BatchPlan other = new BatchPlan(data, cfg.toBuilder().seed(7).build(), 0);
        assertNotEquals(Arrays.toString(a.step(0).get(0).inputs()), Arrays.toString(other.step(0).get(0).inputs()));
    }

    @Test
    void truncatesAndDropsExamplesWithoutAnswer() {
        // maxSeqLength 8 (the least training accepts): the second example's answer starts after it
        TrainingParams cfg = TrainingParams.builder().maxSeqLength(8).build();
        BatchPlan p = new BatchPlan(List.of(example(0, 20, 4), example(0, 20, 16)), cfg, 0);
        assertEquals(1, p.dropped());
        assertEquals(8, p.step(0).get(0).cols());
    }

    @Test
    void packingKeepsEveryTokenAndMask() {
        List<TokenizedExample> data = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            data.add(example(i * 10, 3 + i % 3, 1));
        }
        List<TokenizedExample> packed = Packing.pack(data, 8, 42);
        int tokens = packed.stream().mapToInt(TokenizedExample::length).sum();
        int answer = packed.stream().mapToInt(TokenizedExample::answerTokens).sum();
        assertEquals(data.stream().mapToInt(TokenizedExample::length).sum(), tokens);
        // each example's first token is prompt (mask false), so packing never creates new answer targets
        assertEquals(data.stream().mapToInt(TokenizedExample::answerTokens).sum(), answer);
        packed.forEach(e -> org.junit.jupiter.api.Assertions.assertTrue(e.length() <= 8));
        org.junit.jupiter.api.Assertions.assertTrue(packed.size() < data.size());
    }
}
