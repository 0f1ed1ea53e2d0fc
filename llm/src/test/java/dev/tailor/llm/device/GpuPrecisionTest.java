package dev.tailor.llm.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.util.cuda.CudaUtils;
import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.finetune.FineTune;
import dev.tailor.llm.io.SafetensorsReader;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.train.RunOptions;
import dev.tailor.llm.train.TrainResult;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bfloat16 on a GPU: mixed precision (float32 masters) and plain bfloat16 train and write float32 adapters. Tagged
 * {@code gpu}; skipped, saying why, where DJL reports no CUDA device (the CPU build of libtorch, or no GPU). Prints
 * tokens/s and the device memory in use after the run.
 */
@Tag("gpu")
class GpuPrecisionTest {
    private static final Path TINY_LLAMA = Path.of("src/test/resources/tiny-llama");

    @TempDir
    Path tmp;

    @BeforeEach
    void needsAGpu() {
        assumeTrue(Devices.gpuCount() > 0, "no GPU: DJL reports 0 CUDA devices (this JVM loaded "
                + ai.djl.engine.Engine.getInstance().getEngineName() + " " + ai.djl.engine.Engine.getInstance()
                .getVersion() + " without CUDA); see README \"Train on a GPU cluster\" for the CUDA build");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bf16-mixed", "bf16"})
    void bfloat16TrainsOnTheGpuAndWritesFloat32(String precision) throws Exception {
        Compute compute = Compute.resolve("cuda:0", precision, Devices.gpuCount());
        assertEquals(DataType.BFLOAT16, compute.computeType());
        TrainingParams cfg = TrainingParams.builder().learningRate(0.03).loraRank(8).loraAlpha(16).loraDropout(0.0)
                .targetModules(Projection.values()).maxSteps(20).batchSize(8).evalEvery(0).maxSeqLength(96)
                .precision(precision).device("cuda:0").build();
        Path out = tmp.resolve(precision);
        long t0 = System.nanoTime();
        TrainResult r = FineTune.run(TINY_LLAMA, DeviceTensorsTest.chats(0, 32), DeviceTensorsTest.chats(100, 8),
                cfg, RunOptions.to(out).withCheckpointEvery(10), compute);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(20, r.steps());
        assertTrue(Double.isFinite(r.trainLoss()));
        try (SafetensorsReader adapter = new SafetensorsReader(out.resolve(LoraAdapter.WEIGHTS_FILE))) {
            adapter.tensors().values().forEach(t -> assertEquals("F32", t.dtype()));
        }
        MemoryUsage mem = CudaUtils.getGpuMemory(Device.gpu(0));
        System.out.printf("GPU %s %s: 20 steps in %.1f s; device memory used %d MiB of %d MiB%n", compute.describe(),
                CudaUtils.getComputeCapability(0), seconds, mem.getUsed() >> 20, mem.getMax() >> 20);
    }
}
