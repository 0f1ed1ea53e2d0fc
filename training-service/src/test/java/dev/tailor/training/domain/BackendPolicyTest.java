package dev.tailor.training.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.model.ModelConfig;
import org.junit.jupiter.api.Test;

/**
 * Which backend a job gets and the memory it is checked against: small CPU jobs stay local, jobs that fit one GPU go
 * to a Kubernetes Job, bigger ones to the fewest GPUs of a TrainJob, and a job that fits nowhere is refused with the
 * numbers.
 */
class BackendPolicyTest {
    /** Llama 3.1 8B: hidden 4096, 32 layers, 32 heads, 8 KV heads, FFN 14336, vocabulary 128,256. */
    private static final ModelConfig LLAMA_8B = ModelConfig.llama(4096, 32, 32, 8, 14336, 128_256, 8192, false);
    /** The tiny fixture. */
    private static final ModelConfig TINY = ModelConfig.llama(64, 2, 4, 2, 192, 320, 128, true);
    private static final long GIB = 1L << 30;

    private static BackendPolicy policy(boolean kubernetes, boolean kubeflow) {
        return new BackendPolicy(new BackendPolicy.Limits(null, kubernetes, kubeflow, 16 * GIB, 1800, 80 * GIB, 8, 4));
    }

    private static Placement place(BackendPolicy policy, ModelConfig shape, TrainingParams p) {
        Preflight cpu = Preflight.estimate(shape, p, 10_000, 300, 5e10);
        return policy.place(shape, p, cpu, 300);
    }

    @Test
    void aSmallJobStaysLocalEvenWhenGpusAreOffered() {
        Placement p = place(policy(true, true), TINY, TrainingParams.defaults());
        assertEquals(BackendKind.LOCAL, p.backend());
        assertEquals("cpu", p.device());
        assertEquals(0, p.memory().deviceBytes());
        assertTrue(p.reason().startsWith("automatic: fits a local worker"), p.reason());
    }

    @Test
    void anEightBillionLoraJobGoesToOneGpuInBf16Mixed() {
        Placement p = place(policy(true, true), LLAMA_8B, TrainingParams.builder().batchSize(4).maxSeqLength(1024)
                .build());
        assertEquals(BackendKind.KUBERNETES, p.backend());
        assertEquals("cuda:0", p.device());
        assertEquals("bf16-mixed", p.precision());
        // 8.0e9 weights in bf16 ≈ 15 GiB, plus activations and the CUDA context: well under 80 GiB
        long mib = p.memory().deviceBytes() >> 20;
        assertTrue(mib > 15_000 && mib < 80 * 1024, mib + " MiB");
    }

    @Test
    void aFullFineTuneOfEightBillionNeedsSeveralGpusAndShardsAcrossThem() {
        TrainingParams full = TrainingParams.builder().method("full").batchSize(1).maxSeqLength(2048).build();
        Placement p = place(policy(true, true), LLAMA_8B, full);
        assertEquals(BackendKind.KUBEFLOW, p.backend());
        // 8e9 x (2 weights + 2 grads + 4 masters + 8 AdamW) bytes ≈ 120 GiB: two 80 GiB GPUs at least
        assertTrue(p.gpus() >= 2, "gpus " + p.gpus());
        assertTrue(p.memory().deviceBytes() <= 80 * GIB, p.memory().describe());
        MemoryEstimate one = MemoryModel.estimate(LLAMA_8B, full, LLAMA_8B.parameterCount(), 300, "bf16-mixed", 1);
        assertTrue(one.deviceBytes() > 80 * GIB, "one GPU would need " + (one.deviceBytes() >> 20) + " MiB");
    }

    @Test
    void aJobThatFitsNowhereIsRefusedWithTheNumbers() {
        TrainingParams full = TrainingParams.builder().method("full").batchSize(1).maxSeqLength(2048).build();
        JobRejected e = assertThrows(JobRejected.class, () -> place(policy(true, false), LLAMA_8B, full));
        assertEquals(JobRejected.Reason.UNPROCESSABLE, e.reason());
        assertTrue(e.getMessage().contains("MiB per GPU") && e.getMessage().contains("a GPU has 81920 MiB"),
                e.getMessage());
        JobRejected local = assertThrows(JobRejected.class, () -> place(policy(false, false), LLAMA_8B,
                TrainingParams.defaults()));
        assertTrue(local.getMessage().contains("local worker"), local.getMessage());
    }

    @Test
    void anAskedBackendIsHonouredOrRefusedWithWhatToChange() {
        TrainingParams kubeflow = TrainingParams.builder().backend("kubeflow").nodes(2).processesPerNode(4).build();
        Placement p = place(policy(true, true), TINY, kubeflow);
        assertEquals(BackendKind.KUBEFLOW, p.backend());
        assertEquals(8, p.gpus());
        JobRejected off = assertThrows(JobRejected.class, () -> place(policy(true, false), TINY, kubeflow));
        assertTrue(off.getMessage().contains("tailor.training.kubeflow.enabled"), off.getMessage());
        JobRejected gpuLocally = assertThrows(JobRejected.class, () -> place(policy(true, true), TINY,
                TrainingParams.builder().backend("local").device("cuda").build()));
        assertEquals("params.compute.device", gpuLocally.field());
    }

    @Test
    void theGpuEstimateCountsBf16WeightsAndFloat32MastersAndStateOfTheTrainedParameters() {
        TrainingParams full = TrainingParams.builder().method("full").batchSize(1).maxSeqLength(8).build();
        long n = TINY.parameterCount();
        MemoryEstimate mixed = MemoryModel.estimate(TINY, full, n, 8, "bf16-mixed", 1);
        MemoryEstimate plain = MemoryModel.estimate(TINY, full, n, 8, "bf16", 1);
        // bf16-mixed keeps a float32 master copy: 4 bytes per trained parameter more than plain bf16
        assertEquals(4 * n, mixed.deviceBytes() - plain.deviceBytes());
        MemoryEstimate two = MemoryModel.estimate(TINY, full, n, 8, "bf16-mixed", 2);
        assertTrue(two.deviceBytes() < mixed.deviceBytes(), "sharded over two GPUs");
    }
}
