package dev.tailor.llm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.io.CheckpointLoader;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraConfig;
import dev.tailor.llm.model.Transformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's grad mode is per thread and DJL turns it off only on the thread that started the engine: training on
 * another thread (a service's worker pool) must work and give the same losses as on that thread.
 */
class TrainingThreadTest {
    @TempDir
    Path tmp;

    private static final TrainingParams CFG = TrainingParams.builder().loraRank(4).loraAlpha(8).loraDropout(0.0)
            .learningRate(1e-2).batchSize(2).maxSteps(4).warmupRatio(0.0).evalEvery(2).weightDecay(0.01)
            .maxGradNorm(0.5).seed(3).build();

    private static TrainResult train(Path out) {
        try (NDManager m = NDManager.newBaseManager()) {
            Transformer base = CheckpointLoader.loadModel(TinyLlama.DIR, m);
            TrainingParams.Lora l = CFG.lora();
            LoraAdapter adapter = LoraAdapter.init(base, new LoraConfig(l.rank(), l.alpha(), l.dropout(),
                    l.targetModules()), CFG.seed());
            return new TrainingLoop(new LoraTrainingModel(base, adapter, 0, "tiny-llama"), CFG,
                    RunOptions.to(out).withCheckpointEvery(0)).run(TinyLlama.examples(4), TinyLlama.examples(2));
        }
    }

    private static List<Double> lossesOf(Path dir) throws Exception {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            out.add(new ObjectMapper().readTree(line).get("loss").asDouble());
        }
        return out;
    }

    @Test
    void trainsOnAThreadOtherThanTheEnginesWithTheSameLosses() throws Exception {
        Engine.getInstance(); // started here (or earlier on this test thread)
        TrainResult here = train(tmp.resolve("here"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            TrainResult there = pool.submit(() -> {
                boolean before = JniUtils.isGradMode(); // a fresh libtorch thread: grad mode on
                TrainResult r = train(tmp.resolve("there"));
                assertEquals(before, JniUtils.isGradMode(), "the thread's grad mode is restored");
                return r;
            }).get();
            assertEquals(4, there.steps());
            assertEquals(here.trainLoss(), there.trainLoss(), 1e-6);
            assertEquals(here.validationLoss(), there.validationLoss(), 1e-6);
            assertEquals(lossesOf(tmp.resolve("here")),
                    lossesOf(tmp.resolve("there")));
        } catch (ExecutionException e) {
            throw new AssertionError("training on another thread failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
        assertFalse(JniUtils.isGradMode(), "the engine's thread keeps grad mode off");
    }
}
