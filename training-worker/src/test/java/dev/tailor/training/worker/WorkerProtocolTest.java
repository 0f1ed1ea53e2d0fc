package dev.tailor.training.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import org.junit.jupiter.api.Test;

/** What the service writes for a worker (spec.json) and what the worker prints back (progress lines). */
class WorkerProtocolTest {
    private static WorkerSpec spec(TrainingParams params) {
        return new WorkerSpec("job-1", "ft-1", "default", "faq", "v1", "tiny-llama", params, "http://127.0.0.1:9000",
                "tailor", "us-east-1", "default/models/base/tiny-llama/", "default/datasets/faq/v1/train.jsonl",
                "default/datasets/faq/v1/validation.jsonl", "default/datasets/faq/v1/test.jsonl",
                "default/models/tuned/ft-1/", "/tmp/jobs/ft-1", 5);
    }

    @Test
    void aSpecRoundTripsWithNestedParameters() {
        WorkerSpec spec = spec(TrainingParams.builder().loraRank(4).maxSteps(30).build());
        String json = Json.write(spec);
        assertEquals(4, Json.read(json, com.fasterxml.jackson.databind.JsonNode.class).at("/params/lora/rank").asInt());
        assertEquals(spec, Json.read(json, WorkerSpec.class));
    }

    @Test
    void aSpecWrittenBeforeTheNestedFormStillResumes() {
        // job records in S3 keep the spec of a queued or running job; one from the first version has flat params
        String old = Json.write(spec(TrainingParams.defaults())).replaceFirst("\"params\":\\{.*?\"seed\":42(,\"compute\":\\{[^}]*})?(,\"vocabulary\":\\{[^}]*})?}",
                "\"params\":{\"method\":\"lora\",\"loraRank\":4,\"targetModules\":[\"q_proj\"],\"maxSteps\":30,"
                        + "\"learningRate\":0.001,\"seed\":42}");
        org.junit.jupiter.api.Assertions.assertTrue(old.contains("\"loraRank\":4"), old);
        TrainingParams params = Json.read(old, WorkerSpec.class).params();
        assertEquals(TrainingParams.builder().loraRank(4).targetModules(dev.tailor.common.events.Projection.Q_PROJ)
                .maxSteps(30).learningRate(1e-3).build(), params);
    }

    @Test
    void reportsCarryOnlyWorkerStates() {
        WorkerReport line = Json.read("{\"state\":\"RUNNING\",\"step\":3,\"totalSteps\":10,\"epoch\":1,\"loss\":1.5}",
                WorkerReport.class);
        assertEquals(WorkerReport.State.RUNNING, line.workerState());
        assertThrows(IllegalArgumentException.class, () -> new WorkerReport("QUEUED", 0, 0, 0, null, null, null, null,
                null, null));
    }
}
