package dev.tailor.common.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /** Built from the first version's flat JSON keys, as clients sent them. */
    private static TrainingParams params(String method, int rank, List<String> targets, String scheduler) {
        java.util.Map<String, Object> flat = new java.util.LinkedHashMap<>();
        flat.put("method", method);
        flat.put("loraRank", rank);
        flat.put("targetModules", targets);
        flat.put("scheduler", scheduler);
        return TrainingParams.fromJson(Json.mapper().valueToTree(flat)); // what Jackson calls for a params object
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        TrainingParams d = TrainingParams.defaults();
        assertEquals("lora", d.method());
        assertEquals(8, d.lora().rank());
        assertEquals(16.0, d.lora().alpha());
        assertEquals(0.05, d.lora().dropout());
        assertEquals(List.of(Projection.Q_PROJ, Projection.V_PROJ), d.lora().targetModules());
        assertEquals(2, d.schedule().epochs());
        assertEquals(0, d.schedule().maxSteps());
        assertEquals(2e-3, d.optimizer().learningRate());
        assertEquals(8, d.data().batchSize());
        assertEquals(1, d.data().gradientAccumulation());
        assertEquals(256, d.data().maxSeqLength());
        assertEquals(0.1, d.schedule().warmupRatio());
        assertEquals("cosine", d.schedule().scheduler());
        assertEquals(0.0, d.optimizer().weightDecay());
        assertEquals(1.0, d.optimizer().maxGradNorm());
        assertEquals(42, d.seed());
        assertEquals(20, d.evaluation().evalEvery());
        assertEquals(0, d.evaluation().earlyStoppingPatience());
        assertEquals(false, d.data().packing());
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
        assertNull(params("full", 0, null, "linear").lora());
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
                "acme", "bot", "m1", "base", null, true, null, null, 0, null, null, false, null, 1)));
        assertEquals("canaryPercent must be 0 without a canary model, got 10", message(() -> ModelDeployment.of("acme",
                "bot", new DeploymentTarget("m1", "base", null, null), null, 10, List.of(), null, false, true)));
        assertTrue(message(() -> DatasetDeleted.create("acme", "faq", "bad\nprincipal"))
                .startsWith("principal must be left out or be 1-256 printable characters"));
        assertTrue(message(() -> AuditEvent.of("acme", "apikey:0123", null, "dataset.stolen", "dataset", "faq", null))
                .startsWith("action must be one of [dataset.uploaded"));
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
        assertEquals("acme/bot", d.key(), "aliases are per tenant: the compacted topic keeps one record per tenant's alias");
        assertEquals("apikey:0123456789abcdef", d.withPrincipal("apikey:0123456789abcdef").principal());
    }
}
