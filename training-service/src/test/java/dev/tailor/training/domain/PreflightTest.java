package dev.tailor.training.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.model.ModelConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreflightTest {
    /** The tiny-llama fixture: hidden 64, 2 layers, 4 heads, 2 kv heads, ffn 192, vocab 320, tied. */
    private static final ModelConfig TINY = ModelConfig.llama(64, 2, 4, 2, 192, 320, 128, true);

    @Test
    void parameterCountOfTheFixture() {
        // per layer: q 64·64 + k 64·32 + v 64·32 + o 64·64 + mlp 3·64·192 + 2 norms·64; embeddings 320·64; final norm
        long perLayer = 4096 + 2048 + 2048 + 4096 + 36864 + 128;
        assertEquals(2 * perLayer + 320 * 64 + 64, TINY.parameterCount());
    }

    @Test
    void loraCountsAdaptersOnlyAndStepsComeFromEpochs() {
        TrainingParams p = TrainingParams.defaults(); // r=8 on q,v; batch 8; 2 epochs
        Preflight f = Preflight.estimate(TINY, p, 20, 40, 1e10);
        // q: 8·(64+64), v: 8·(64+32) per layer
        assertEquals(2 * (8 * 128 + 8 * 96), f.trainableParameters());
        assertEquals(2 * 3, f.totalSteps()); // ceil(20/8)=3 steps per epoch
        assertEquals(8 * 40, f.tokensPerStep());
        assertTrue(f.estimatedMemoryBytes() > f.totalParameters() * 4);
        assertTrue(f.estimatedSeconds() > 0);
    }

    @Test
    void maxStepsWinsAndFullTrainsEverything() {
        TrainingParams p = TrainingParams.builder().method("full").epochs(1).maxSteps(7).learningRate(1e-3)
                .batchSize(2).gradientAccumulation(2).maxSeqLength(64).warmupRatio(0).scheduler("constant")
                .weightDecay(0).maxGradNorm(1).seed(1).evalEvery(0).earlyStoppingPatience(0).packing(false).build();
        Preflight f = Preflight.estimate(TINY, p, 3, 10, 1e10);
        assertEquals(7, f.totalSteps());
        assertEquals(f.totalParameters(), f.trainableParameters());
        assertEquals(1, f.warnings().size(), "3 examples < one step's 4");
    }

    @Test
    void anExtendedVocabularyTrainsTheEmbeddingInFull() {
        TrainingParams p = TrainingParams.builder().extendVocabulary(true).maxNewTokens(16)
                .terms(List.of("Checkpointer", "Autovacuum")).build();
        Preflight plain = Preflight.estimate(TINY, TrainingParams.defaults(), 20, 40, 1e10);
        Preflight extended = Preflight.estimate(TINY, p, 20, 40, 1e10);
        // tied: one table of (320 + 16) rows of 64, trained with the adapters (weights, gradients, AdamW m and v)
        assertEquals(plain.trainableParameters() + 336 * 64, extended.trainableParameters());
        assertEquals(plain.estimatedMemoryBytes() + 336 * 64 * 4L * 4, extended.estimatedMemoryBytes());
        ModelConfig untied = ModelConfig.llama(64, 2, 4, 2, 192, 320, 128, false);
        assertEquals(Preflight.estimate(untied, TrainingParams.defaults(), 20, 40, 1e10).trainableParameters()
                + 2 * 336 * 64, Preflight.estimate(untied, p, 20, 40, 1e10).trainableParameters());
    }

    @Test
    void emptySplitIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Preflight.estimate(TINY, TrainingParams.defaults(), 0, 10, 1e10));
    }
}
