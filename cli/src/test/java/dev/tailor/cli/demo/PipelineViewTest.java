package dev.tailor.cli.demo;

import dev.tailor.localstack.TopicTail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.cli.support.Terminal;
import dev.tailor.common.Topics;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineViewTest {

    static final String T = "default";
    static final String SHA = "a".repeat(64);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final PipelineView view = new PipelineView(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8), false),
            "ds-1");

    static TopicTail.Event event(String topic, Object record) {
        return new TopicTail.Event(topic, "k", Json.write(record), Map.of());
    }

    String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void followsOneDatasetThroughEveryStage() {
        view.accept(event(Topics.DATASET_INGESTED, DatasetIngested.create(T, "other", "x", "s3://tailor/default/raw/other/",
                "s3://tailor/m.json", "jsonl", 5, SHA)));
        assertFalse(printed().contains("records"), "another dataset's event must be ignored: " + printed());

        view.accept(event(Topics.DATASET_INGESTED, DatasetIngested.create(T, "ds-1", "faq", "s3://tailor/default/raw/ds-1/",
                "s3://tailor/default/raw/ds-1/manifest.json", "jsonl", 1260, SHA)));
        assertTrue(printed().contains("1,260 records (jsonl)"), printed());

        view.accept(event(Topics.DATASET_CLEANED, DatasetCleaned.create(T, "ds-1", "v1", "s3://tailor/t", "s3://tailor/v",
                "s3://tailor/te", "s3://tailor/r", 200, 25, 25, "s3://tailor/default/raw/ds-1/manifest.json")));
        assertTrue(printed().contains("train 200 · validation 25 · test 25"), printed());

        view.accept(event(Topics.TRAINING_PROGRESS, TrainingProgress.create(T, "job-1", "RUNNING", 10, 40, 0, 2.5,
                null, 1e-3, 1500.0, 30.0, null)));
        view.accept(event(Topics.MODEL_TRAINED, ModelTrained.create(T, "model-1", "job-1", "ds-1", "v1",
                "tailor-starter", "s3://tailor/default/models/tuned/model-1/", "s3://tailor/te", 1.9, 2.0)));
        assertTrue(printed().contains("model model-1 · train loss 1.900 · validation loss 2.000"), printed());
        assertFalse(view.evaluated());

        view.accept(event(Topics.MODEL_EVALUATED, ModelEvaluated.create(T, "model-1", "ds-1", "tailor-starter",
                "s3://tailor/default/models/tuned/model-1/", "s3://tailor/default/evals/model-1/report.json", 3.0, 2.4,
                "PROMOTE", "tuned loss 2.4 < base loss 3.0")));
        assertTrue(view.evaluated());
        assertEquals("model-1", view.evaluation().modelId());
        assertTrue(printed().contains("test loss base 3.000 → tuned 2.400 (-20.0%) · PROMOTE"), printed());
        assertTrue(printed().contains("report: s3://tailor/default/evals/model-1/report.json"), printed());
        assertNull(view.failure());
    }

    @Test
    void aFailedTrainingJobStopsTheDemoWithItsMessage() {
        view.accept(event(Topics.TRAINING_PROGRESS, TrainingProgress.create(T, "job-9", "FAILED", 3, 40, 0, null,
                null, null, null, null, "loss diverged (NaN) at step 3")));
        assertEquals("training job job-9 failed: loss diverged (NaN) at step 3", view.failure());
    }

    @Test
    void aDeadLetterForThisDatasetIsAFailure() {
        view.accept(new TopicTail.Event("tailor.dataset.ingested.dlq", "ds-2", "{\"datasetId\":\"ds-2\"}",
                Map.of("dead-letter-reason", "boom")));
        assertNull(view.failure());
        view.accept(new TopicTail.Event("tailor.dataset.ingested.dlq", "ds-1", "{\"datasetId\":\"ds-1\"}",
                Map.of("dead-letter-reason", "no base model tailor-starter in S3")));
        assertEquals("a record for this dataset went to tailor.dataset.ingested.dlq: no base model tailor-starter in S3",
                view.failure());
    }
}
