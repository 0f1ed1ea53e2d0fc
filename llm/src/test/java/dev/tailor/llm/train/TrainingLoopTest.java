package dev.tailor.llm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.io.CheckpointLoader;
import dev.tailor.llm.io.CheckpointWriter;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraConfig;
import dev.tailor.llm.model.Transformer;
import dev.tailor.llm.train.batch.MicroBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static TrainingParams.Builder lora() {
        return TrainingParams.builder().loraRank(4).loraAlpha(8).loraDropout(0.0).learningRate(1e-2).batchSize(4)
                .maxSteps(30).warmupRatio(0.1).evalEvery(10).seed(7);
    }

    /** Into {@code dir}, without checkpoints. */
    private static RunOptions run(Path dir) {
        return RunOptions.to(dir).withCheckpointEvery(0);
    }

    private static LoraTrainingModel loraModel(NDManager m, TrainingParams cfg) {
        Transformer base = CheckpointLoader.loadModel(TinyLlama.DIR, m);
        TrainingParams.Lora l = cfg.lora();
        LoraAdapter adapter = LoraAdapter.init(base,
                new LoraConfig(l.rank(), l.alpha(), l.dropout(), l.targetModules()), cfg.seed());
        return new LoraTrainingModel(base, adapter, 0, "tiny-llama");
    }

    private static Map<String, float[]> copy(Map<String, NDArray> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    private static List<Double> losses(Path dir) throws IOException {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            out.add(JSON.readTree(line).get("loss").asDouble());
        }
        return out;
    }

    @Test
    void loraOverfitsLeavesBaseUntouchedAndWritesPeftAdapter() throws IOException {
        TrainingParams cfg = lora().targetModules(Projection.values()).loraRank(8).loraAlpha(16).learningRate(1e-2)
                .maxSteps(40).evalEvery(20).build();
        try (NDManager m = NDManager.newBaseManager()) {
            LoraTrainingModel model = loraModel(m, cfg);
            Map<String, float[]> base = copy(CheckpointLoader.loadModel(TinyLlama.DIR, m).parameters());
            Transformer live = model.base();
            List<TrainProgress> seen = new ArrayList<>();
            TrainResult r = new TrainingLoop(model, cfg, run(tmp).withListener(seen::add))
                    .run(TinyLlama.examples(4), TinyLlama.examples(4));
            List<Double> losses = losses(tmp);
            assertEquals(40, losses.size());
            assertEquals(40, r.steps());
            // the fixture's random tied embeddings and frozen norms bound its logits to about +-1.3 (ln 320 = 5.77
            // at the start), so LoRA alone cannot go near 0: a 15 % drop is a clear fit here
            assertTrue(losses.get(39) < 0.85 * losses.get(0), "loss should fall when overfitting: " + losses);
            assertTrue(r.validationLoss() < losses.get(0));
            assertEquals(2, seen.stream().filter(p -> p.validationLoss() != null).count());
            assertEquals(40, seen.get(39).step());
            assertTrue(seen.get(39).tokensPerSecond() > 0);
            live.parameters().forEach((k, v) -> assertArrayEquals(base.get(k), v.toFloatArray(), 0f, k + " changed"));
            assertTrue(Files.exists(tmp.resolve("adapter_config.json")));
            assertTrue(Files.exists(tmp.resolve("adapter_model.safetensors")));
            JsonNode summary = JSON.readTree(tmp.resolve("training.json").toFile());
            assertEquals(40, summary.at("/result/steps").asInt());
            assertEquals("lora", summary.at("/config/method").asText());
            // the saved adapter gives the trained model's validation loss back
            LoraAdapter reloaded = LoraAdapter.loadPeft(tmp, live);
            LoraTrainingModel again = new LoraTrainingModel(live, reloaded, 0, "tiny-llama");
            MicroBatch b = MicroBatch.of(TinyLlama.examples(4), 0);
            try (NDManager s = m.newSubManager()) {
                double loss = AnswerLoss.sum(again.logits(b.inputIds(s), false), b.targetIds(s), b.lossMask(s))
                        .getFloat() / b.answerTokens();
                assertEquals(r.validationLoss(), loss, 1e-4);
            }
        }
    }

    @Test
    void fullFineTuningOverfitsAndSavesALoadableCheckpoint() throws IOException {
        TrainingParams cfg = lora().method("full").learningRate(3e-3).maxSteps(25).weightDecay(0.01).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Transformer model = CheckpointLoader.loadModel(TinyLlama.DIR, m);
            float[] before = model.parameters().get("model.layers.0.mlp.up_proj.weight").toFloatArray();
            FullTrainingModel tm = new FullTrainingModel(model, 0,
                    (t, values, dir) -> CheckpointWriter.save(dir, t, TinyLlama.DIR));
            TrainResult r = new TrainingLoop(tm, cfg, run(tmp)).run(TinyLlama.examples(4), List.of());
            List<Double> losses = losses(tmp);
            assertTrue(losses.get(24) < 0.5 * losses.get(0), "full fine-tuning should overfit: " + losses);
            assertEquals(null, r.validationLoss());
            assertFalse(java.util.Arrays.equals(before,
                    model.parameters().get("model.layers.0.mlp.up_proj.weight").toFloatArray()));
            Transformer saved = CheckpointLoader.loadModel(tmp, m);
            assertArrayEquals(model.parameters().get("model.norm.weight").toFloatArray(),
                    saved.parameters().get("model.norm.weight").toFloatArray(), 0f);
        }
    }

    @Test
    void resumedRunEndsWithTheSameLossesAsAnUninterruptedOne() throws IOException {
        TrainingParams cfg = lora().loraDropout(0.1).maxSteps(12).evalEvery(3).batchSize(2).gradientAccumulation(2)
                .build();
        Path straight = tmp.resolve("straight");
        Path interrupted = tmp.resolve("interrupted");
        try (NDManager m = NDManager.newBaseManager()) {
            new TrainingLoop(loraModel(m, cfg), cfg, run(straight).withCheckpointEvery(4))
                    .run(TinyLlama.examples(6), TinyLlama.examples(3));
        }
        CancellationToken token = new CancellationToken();
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingLoop first = new TrainingLoop(loraModel(m, cfg), cfg, run(interrupted).withCheckpointEvery(4)
                    .withListener(p -> {
                        if (p.step() == 6) {
                            token.cancel();
                        }
                    }).withCancel(token));
            TrainingCancelledException e = assertThrows(TrainingCancelledException.class,
                    () -> first.run(TinyLlama.examples(6), TinyLlama.examples(3)));
            assertEquals(6, e.step());
        }
        assertTrue(Files.exists(interrupted.resolve("checkpoints/step-6/state.safetensors")));
        assertTrue(Files.exists(interrupted.resolve("checkpoints/step-4/state.safetensors")));
        try (NDManager m = NDManager.newBaseManager()) { // a fresh model, as in a new process
            TrainResult r = new TrainingLoop(loraModel(m, cfg), cfg, run(interrupted).withCheckpointEvery(4))
                    .run(TinyLlama.examples(6), TinyLlama.examples(3));
            assertEquals(12, r.steps());
        }
        List<Double> a = losses(straight);
        List<Double> b = losses(interrupted);
        assertEquals(12, b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), 1e-6, "loss of step " + (i + 1));
        }
        assertArrayEquals(Files.readAllBytes(straight.resolve("adapter_model.safetensors")),
                Files.readAllBytes(interrupted.resolve("adapter_model.safetensors")));
    }

    @Test
    void gradientAccumulationTwoByFourMatchesBatchEight() throws IOException {
        TrainingParams eight = lora().batchSize(8).maxSteps(3).evalEvery(0).build();
        TrainingParams twoByFour = eight.toBuilder().batchSize(4).gradientAccumulation(2).build();
        Map<String, float[]> a;
        Map<String, float[]> b;
        try (NDManager m = NDManager.newBaseManager()) {
            LoraTrainingModel model = loraModel(m, eight);
            new TrainingLoop(model, eight, run(tmp.resolve("a"))).run(TinyLlama.examples(8), List.of());
            a = copy(model.trainableParameters());
        }
        try (NDManager m = NDManager.newBaseManager()) {
            LoraTrainingModel model = loraModel(m, twoByFour);
            new TrainingLoop(model, twoByFour, run(tmp.resolve("b"))).run(TinyLlama.examples(8), List.of());
            b = copy(model.trainableParameters());
        }
        List<Double> la = losses(tmp.resolve("a"));
        List<Double> lb = losses(tmp.resolve("b"));
        for (int i = 0; i < 3; i++) {
            assertEquals(la.get(i), lb.get(i), 1e-5);
        }
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), 1e-5f, k));
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndKeepsTheBestWeights() throws IOException {
        // a learning rate this high makes validation loss worse, so patience 2 stops the run early
        TrainingParams cfg = lora().learningRate(0.5).maxSteps(40).evalEvery(2).earlyStoppingPatience(2).maxGradNorm(0.0)
                .warmupRatio(0.0).scheduler("constant").build();
        try (NDManager m = NDManager.newBaseManager()) {
            TrainResult r = new TrainingLoop(loraModel(m, cfg), cfg, run(tmp))
                    .run(TinyLlama.examples(4), TinyLlama.examples(8).subList(4, 8));
            assertTrue(r.stoppedEarly());
            assertTrue(r.steps() < 40);
            double best = Double.MAX_VALUE;
            for (String line : Files.readAllLines(tmp.resolve("metrics.jsonl"))) {
                JsonNode n = JSON.readTree(line);
                if (n.has("validation_loss")) {
                    best = Math.min(best, n.get("validation_loss").asDouble());
                }
            }
            assertEquals(best, r.validationLoss(), 1e-9);
        }
    }

    @Test
    void packingTrainsOnFewerLongerRows() throws IOException {
        TrainingParams cfg = lora().packing(true).maxSeqLength(96).batchSize(2).maxSteps(8).evalEvery(0)
                .learningRate(3e-2).build();
        try (NDManager m = NDManager.newBaseManager()) {
            TrainResult r = new TrainingLoop(loraModel(m, cfg), cfg, run(tmp))
                    .run(TinyLlama.examples(8), List.of());
            assertEquals(8, r.steps());
        }
        JsonNode summary = JSON.readTree(tmp.resolve("training.json").toFile());
        assertTrue(summary.at("/result/trainRows").asInt() < 8, summary.toString());
        List<Double> losses = losses(tmp);
        assertTrue(losses.get(7) < losses.get(0), losses.toString());
    }
}
