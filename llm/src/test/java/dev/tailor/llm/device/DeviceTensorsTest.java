package dev.tailor.llm.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.finetune.FineTune;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.io.SafetensorsReader;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.train.RunOptions;
import dev.tailor.llm.train.TrainResult;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine on every device DJL reports (the CPU here; each GPU where there is one): the model's tensors are created
 * on the job's device, the mixed-precision path (float32 master weights, a lower-precision forward pass, float32
 * logits) gives the float32 answer within the tolerance of the lower precision, and the outputs are written in float32
 * whatever the device and precision. On a CPU the mixed path runs with float16 compute (DJL's PyTorch CPU build cannot
 * hold a bfloat16 tensor); {@link GpuPrecisionTest} runs bfloat16 where a GPU exists.
 */
class DeviceTensorsTest {
    private static final Path TINY_LLAMA = Path.of("src/test/resources/tiny-llama");

    @TempDir
    Path tmp;

    static List<ChatExample> chats(int from, int n) {
        List<ChatExample> out = new java.util.ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(ChatExample.fromJson("{\"messages\":[{\"role\":\"user\",\"content\":\"Order " + i
                    + " status?\"},{\"role\":\"assistant\",\"content\":\"Order " + i + " ships today.\"}]}"));
        }
        return out;
    }

    static Stream<Device> devices() {
        return Devices.available().stream();
    }

    /** The mixed precision each device can run: bfloat16 on a GPU, float16 on a CPU. */
    static Compute mixed(Device device) {
        return new Compute(device, device.isGpu() ? DataType.BFLOAT16 : DataType.FLOAT16, DataType.FLOAT32);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void everyWeightAndActivationIsOnTheJobsDevice(Device device) {
        Compute fp32 = new Compute(device, DataType.FLOAT32, DataType.FLOAT32);
        try (LanguageModel model = LanguageModel.load(TINY_LLAMA, fp32)) {
            model.transformer().parameters().values()
                    .forEach(w -> assertEquals(device, w.getDevice(), w.getName() + " is not on " + device));
            try (LoraAdapter adapter = LoraAdapter.init(model.transformer(),
                    new dev.tailor.llm.lora.LoraConfig(4, 8, 0, List.of(Projection.Q_PROJ)), 1)) {
                adapter.parameters().values().forEach(p -> assertEquals(device, p.getDevice()));
            }
            try (NDManager m = model.transformer().manager().newSubManager()) {
                NDArray logits = model.transformer().forward(m.create(new long[] {1, 5, 9}, new Shape(1, 3)), null,
                        null, false);
                assertEquals(device, logits.getDevice());
                assertEquals(DataType.FLOAT32, logits.getDataType());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void mixedPrecisionLogitsMatchFloat32WithinTheLowerPrecisionsTolerance(Device device) {
        int[] ids = {1, 17, 42, 7, 99, 3, 250, 11};
        float[][] full;
        try (LanguageModel model = LanguageModel.load(TINY_LLAMA, new Compute(device, DataType.FLOAT32,
                DataType.FLOAT32))) {
            full = model.logits(ids, null);
        }
        Compute mixed = mixed(device);
        try (LanguageModel model = LanguageModel.load(TINY_LLAMA, mixed)) {
            assertEquals(mixed.computeType(), model.transformer().weight(0, Projection.Q_PROJ).getDataType());
            float[][] low = model.logits(ids, null);
            double worst = 0;
            double scale = 0;
            for (int t = 0; t < ids.length; t++) {
                for (int v = 0; v < full[t].length; v++) {
                    worst = Math.max(worst, Math.abs(full[t][v] - low[t][v]));
                    scale = Math.max(scale, Math.abs(full[t][v]));
                }
            }
            // bfloat16 keeps 8 significant bits, float16 11: a few units in the last place of the largest logit
            double tolerance = (mixed.computeType() == DataType.BFLOAT16 ? 0.05 : 0.01) * Math.max(1, scale);
            assertTrue(worst < tolerance, mixed.describe() + ": max |logit diff| " + worst + " (scale " + scale + ")");
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void mixedPrecisionLoraTrainsFloat32MastersAndWritesAFloat32Adapter(Device device) throws Exception {
        Compute mixed = mixed(device);
        TrainingParams cfg = TrainingParams.builder().learningRate(0.03).loraRank(4).loraAlpha(8).loraDropout(0.0)
                .targetModules(Projection.Q_PROJ, Projection.V_PROJ).maxSteps(12).batchSize(4).evalEvery(0)
                .maxSeqLength(96).build();
        Path out = tmp.resolve("mixed-" + device.getDeviceType());
        TrainResult r = FineTune.run(TINY_LLAMA, chats(0, 8), chats(100, 4), cfg,
                RunOptions.to(out).withCheckpointEvery(5), mixed);
        assertEquals(12, r.steps());
        assertTrue(Double.isFinite(r.trainLoss()), "finite loss under " + mixed.describe());
        try (SafetensorsReader adapter = new SafetensorsReader(out.resolve(LoraAdapter.WEIGHTS_FILE))) {
            adapter.tensors().values().forEach(t -> assertEquals("F32", t.dtype(), "adapter tensors are float32"));
        }
        // the adapter trained on this device serves from float32 weights on the CPU like any other
        try (LanguageModel cpu = LanguageModel.load(TINY_LLAMA)) {
            cpu.loadAdapter("mixed", out);
            double tuned = cpu.meanAnswerLoss(chats(100, 4), "mixed", 96);
            double base = cpu.meanAnswerLoss(chats(100, 4), null, 96);
            assertTrue(tuned < base, "mixed-precision training lowered the loss: " + base + " -> " + tuned);
        }
    }

    @Test
    void devicesAndPrecisionsResolveOrAreRefusedWithWhatToChange() {
        assertEquals(Compute.cpu(), Compute.resolve("auto", "auto", 0));
        Compute gpu = Compute.resolve("auto", "auto", 2);
        assertEquals(Device.gpu(0), gpu.device());
        assertEquals(DataType.BFLOAT16, gpu.computeType());
        assertEquals(DataType.FLOAT32, gpu.masterType());
        assertEquals("gpu(1) bf16", Compute.resolve("cuda:1", "bf16", 2).describe());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Compute.resolve("cuda:0", "auto", 0));
        assertTrue(missing.getMessage().contains("DJL reports 0 CUDA device"), missing.getMessage());
        IllegalArgumentException cpuBf16 = assertThrows(IllegalArgumentException.class,
                () -> Compute.resolve("cpu", "bf16-mixed", 1));
        assertTrue(cpuBf16.getMessage().contains("bfloat16 needs a GPU"), cpuBf16.getMessage());
    }
}
