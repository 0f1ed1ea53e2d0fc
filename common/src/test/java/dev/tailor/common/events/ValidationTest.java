package dev.tailor.common.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationTest {
    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    private static TrainingParams params(String method, int rank, List<String> targets, String scheduler) {
        TrainingParams d = TrainingParams.defaults();
        return new TrainingParams(method, rank, d.loraAlpha(), d.loraDropout(), targets, d.epochs(), d.maxSteps(),
                d.learningRate(), d.batchSize(), d.gradientAccumulation(), d.maxSeqLength(), d.warmupRatio(),
                scheduler, d.weightDecay(), d.maxGradNorm(), d.seed(), d.evalEvery(), d.earlyStoppingPatience(),
                d.packing());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        TrainingParams d = TrainingParams.defaults();
        assertEquals("lora", d.method());
        assertEquals(8, d.loraRank());
        assertEquals(16.0, d.loraAlpha());
        assertEquals(0.05, d.loraDropout());
        assertEquals(List.of("q_proj", "v_proj"), d.targetModules());
        assertEquals(2, d.epochs());
        assertEquals(0, d.maxSteps());
        assertEquals(2e-3, d.learningRate());
        assertEquals(8, d.batchSize());
        assertEquals(1, d.gradientAccumulation());
        assertEquals(256, d.maxSeqLength());
        assertEquals(0.1, d.warmupRatio());
        assertEquals("cosine", d.scheduler());
        assertEquals(0.0, d.weightDecay());
        assertEquals(1.0, d.maxGradNorm());
        assertEquals(42, d.seed());
        assertEquals(20, d.evalEvery());
        assertEquals(0, d.earlyStoppingPatience());
        assertEquals(false, d.packing());
    }

    @Test
    void trainingParamsMessagesSayWhatIsAccepted() {
        assertEquals("loraRank must be between 1 and 256 for method=lora, got 0",
                message(() -> params("lora", 0, List.of("q_proj"), "cosine")));
        assertEquals("method must be one of [lora, full], got 'qlora'",
                message(() -> params("qlora", 8, List.of("q_proj"), "cosine")));
        assertTrue(message(() -> params("lora", 8, List.of("qkv"), "cosine"))
                .startsWith("targetModules entry 'qkv' is not a linear layer of the model; use some of [down_proj"));
        assertEquals("scheduler must be one of [cosine, linear, constant], got 'step'",
                message(() -> params("lora", 8, List.of("q_proj"), "step")));
        // full fine-tuning ignores the LoRA fields
        assertEquals(List.of(), params("full", 0, null, "linear").targetModules());
    }

    @Test
    void eventMessagesNameTheField() {
        assertTrue(message(() -> DatasetCleaned.create("acme", "faq", "v1", "/tmp/train.jsonl", "s3://b/v", "s3://b/t",
                "s3://b/r", 1, 1, 1, null)).startsWith("train: expected an S3 URI like s3://bucket/path"));
        assertTrue(message(() -> IngestRequested.create("Acme Corp", "faq", "FAQ", List.of("s3://b/k"), null, false, null))
                .startsWith("tenant must be 1-63 lowercase letters"));
        assertTrue(message(() -> IngestRequested.create("acme", "faq/2024", "FAQ", List.of("s3://b/k"), null, false, null))
                .startsWith("datasetId must be 1-128 letters, digits"));
        assertEquals("sources must list at least one entry",
                message(() -> IngestRequested.create("acme", "faq", "FAQ", List.of(), null, false, null)));
        assertTrue(message(() -> TrainingProgress.create("acme", "j1", "DONE", 0, 0, 0, null, null, null, null, null, null))
                .startsWith("state must be one of [QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED]"));
        assertTrue(message(() -> TrainingProgress.create("acme", "j1", "RUNNING", 1, 10, 0, Double.NaN, null, null, null,
                null, null)).startsWith("loss must be left out or be a finite number >= 0"));
        assertTrue(message(() -> DatasetIngested.create("acme", "faq", "FAQ", "s3://bkt/raw/", "s3://bkt/raw/manifest.json",
                "csv", 3, "abc")).startsWith("contentSha256 must be 64 lowercase hex digits"));
        assertEquals("schemaVersion must be 1 or more, got 0", message(() -> new ModelDeployment("e", 0, Instant.now(),
                "acme", "bot", "m1", "base", null, true)));
    }

    @Test
    void invalidJsonReportsTheRecordMessage() {
        String json = "{\"eventId\":\"e\",\"schemaVersion\":1,\"occurredAt\":\"2024-05-01T12:00:00Z\",\"tenant\":\"acme\","
                + "\"jobId\":\"j\",\"datasetId\":\"d\",\"baseModel\":\"m\",\"params\":{\"loraRank\":999}}";
        String msg = message(() -> Json.read(json, TrainingRequested.class));
        assertEquals("invalid JSON for TrainingRequested: loraRank must be between 1 and 256 for method=lora, got 999", msg);
    }

    @Test
    void createFillsTheEnvelope() {
        ModelDeployment d = ModelDeployment.create("acme", "bot", "m1", "base", null, true);
        assertEquals(1, d.schemaVersion());
        assertEquals(36, d.eventId().length());
        assertTrue(d.occurredAt().isAfter(Instant.now().minusSeconds(5)));
        assertEquals("bot", d.key());
    }
}
