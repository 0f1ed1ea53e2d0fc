package dev.tailor.common.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatusReducerTest {
    static final String B = "s3://tailor/acme/";
    static final String SHA = "a".repeat(64);
    static final TrainingProgress.Job JOB = new TrainingProgress.Job("job-1", "faq", "v1", "m-1");

    /** The events of one dataset from upload to deployment, in the order they happened. */
    static List<StatusEntry> pipeline() throws InterruptedException {
        List<StatusEntry> out = new ArrayList<>();
        out.add(StatusEntry.ingested(DatasetIngested.create("acme", "faq", "FAQ", B + "raw/faq/", B + "raw/faq/manifest.json",
                "jsonl", 40, SHA), Map.of("bytes", 1234), new TrainingOptions(true, "tiny", null)));
        Thread.sleep(2);
        out.add(StatusEntry.of(DatasetCleaned.create("acme", "faq", "v1", B + "d/train.jsonl", B + "d/validation.jsonl",
                B + "d/test.jsonl", B + "d/report.json", 30, 5, 5, B + "raw/faq/manifest.json")));
        Thread.sleep(2);
        out.add(StatusEntry.of(TrainingRequested.create("acme", "job-1", "faq", "v1", "tiny", TrainingParams.defaults())));
        Thread.sleep(2);
        out.add(StatusEntry.of(TrainingProgress.create("acme", JOB, "RUNNING", 5, 20, 0, 2.5, null, 1e-3, 900.0, 30.0, null)));
        Thread.sleep(2);
        out.add(StatusEntry.of(TrainingProgress.create("acme", JOB, "SUCCEEDED", 20, 20, 1, 1.9, 2.0, null, null, 0.0, "done")));
        Thread.sleep(2);
        out.add(StatusEntry.of(ModelTrained.create("acme", "m-1", "job-1", "faq", "v1", "tiny", B + "models/tuned/m-1/",
                B + "d/test.jsonl", 1.9, 2.0)));
        Thread.sleep(2);
        out.add(StatusEntry.of(ModelEvaluated.create("acme", "m-1", "faq", "tiny", B + "models/tuned/m-1/",
                B + "evals/m-1/report.json", 3.0, 2.0, "PROMOTE", "better", "m-1",
                "http://127.0.0.1:8084/v1/evaluations/m-1/report.html")));
        Thread.sleep(2);
        out.add(StatusEntry.of(ModelDeployment.create("acme", "latest", "m-1", "tiny", B + "models/tuned/m-1/", true)));
        return out;
    }

    @Test
    void theStatusOfADatasetIsAFunctionOfItsEventsInAnyOrder() throws Exception {
        List<StatusEntry> entries = pipeline();
        PipelineStatus status = StatusReducer.reduce("acme", "faq", entries);
        for (String stage : List.of("ingested", "cleaned", "training", "trained", "evaluated", "deployed")) {
            assertEquals(PipelineStatus.DONE, status.stage(stage).state, stage);
        }
        assertEquals("SUCCEEDED", status.state);
        assertEquals("FAQ", status.name);
        assertEquals(1234, status.stage("ingested").details.get("bytes"));
        assertEquals("m-1", status.stage("training").details.get("modelId"));
        assertEquals(B + "models/tuned/m-1/", status.stage("trained").outputs.get("adapter"));
        assertEquals(B + "evals/m-1/report.html", status.stage("evaluated").outputs.get("reportHtml"));
        assertEquals("http://127.0.0.1:8084/v1/evaluations/m-1/report.html",
                status.stage("evaluated").outputs.get("reportUrl"));
        String json = Json.write(status);

        List<StatusEntry> shuffled = new ArrayList<>(entries);
        shuffled.addAll(entries); // every entry delivered twice
        Collections.shuffle(shuffled, new Random(7));
        assertEquals(json, Json.write(StatusReducer.reduce("acme", "faq", shuffled)));
    }

    @Test
    void aLateProgressReportDoesNotMoveAFinishedJobBack() throws Exception {
        List<StatusEntry> entries = new ArrayList<>(pipeline());
        TrainingProgress late = new TrainingProgress("late", 1, Instant.now().plusSeconds(5), "acme", "job-1", "RUNNING",
                7, 20, 0, 2.4, null, null, null, null, null, "faq", "v1", "m-1");
        entries.add(StatusEntry.of(late));
        assertEquals(PipelineStatus.DONE, StatusReducer.reduce("acme", "faq", entries).stage("training").state);
    }

    /** Issue 16: a version cleaned with no examples yet (e-mails waiting for replies) waits; it has not failed. */
    @Test
    void aVersionWithNoExamplesYetIsWaitingNotFailed() throws Exception {
        List<StatusEntry> entries = new ArrayList<>(pipeline().subList(0, 1));
        Thread.sleep(2);
        entries.add(StatusEntry.of(DatasetCleaned.create("acme", "faq", "v0", B + "d/train.jsonl",
                B + "d/validation.jsonl", B + "d/test.jsonl", B + "d/report.json", 0, 0, 0, B + "raw/faq/manifest.json")));
        PipelineStatus status = StatusReducer.reduce("acme", "faq", entries);
        assertEquals(PipelineStatus.WAITING, status.state);
        assertEquals(PipelineStatus.DONE, status.stage("cleaned").state);
        assertTrue(status.stage("cleaned").details.get("note").toString().startsWith("0 examples yet"));
        assertEquals(PipelineStatus.PENDING, status.stage("training").state);
        assertTrue(status.errors.isEmpty(), status.errors.toString());
    }

    @Test
    void aDeadLetterIsAnErrorOfTheStageThatConsumesItsTopic() throws Exception {
        List<StatusEntry> entries = new ArrayList<>(pipeline().subList(0, 2));
        entries.add(StatusEntry.deadLetter("tailor.dataset.cleaned.dlq", null, "no base model tiny in S3",
                Instant.now().plusSeconds(1)));
        PipelineStatus status = StatusReducer.reduce("acme", "faq", entries);
        assertEquals("FAILED", status.state);
        assertEquals(PipelineStatus.FAILED, status.stage("training").state);
        assertEquals("no base model tiny in S3", status.errors.get(0).message());
        assertEquals("training", status.errors.get(0).stage());
    }

    @Test
    void entriesHaveStableNamesAndRunningProgressIsOneEntryPerJob() throws Exception {
        List<StatusEntry> entries = pipeline();
        StatusEntry running = entries.get(3);
        StatusEntry next = StatusEntry.of(TrainingProgress.create("acme", JOB, "RUNNING", 6, 20, 0, 2.4, null, null,
                null, null, null));
        assertEquals("training-progress-job-1-latest", running.id());
        assertEquals(running.id(), next.id());
        assertNotEquals(running.id(), entries.get(4).id(), "the end state is an entry of its own");
        assertTrue(entries.get(1).id().startsWith("dataset-cleaned-"), entries.get(1).id());
        StatusEntry back = Json.read(Json.write(entries.get(1)), StatusEntry.class);
        assertEquals(entries.get(1), back);
    }

    static List<StatusEntry> cleanedWithoutAutoTrain() throws InterruptedException {
        List<StatusEntry> out = new ArrayList<>();
        out.add(StatusEntry.ingested(DatasetIngested.create("acme", "faq", "FAQ", B + "raw/faq/", B + "raw/faq/manifest.json",
                "jsonl", 40, SHA), Map.of(), new TrainingOptions(false, null, null)));
        Thread.sleep(2);
        out.add(StatusEntry.of(DatasetCleaned.create("acme", "faq", "v1", B + "d/train.jsonl", B + "d/validation.jsonl",
                B + "d/test.jsonl", B + "d/report.json", 30, 5, 5, B + "raw/faq/manifest.json")));
        Thread.sleep(2);
        return out;
    }

    @Test
    void aDatasetCleanedWithoutAutoTrainIsReadyAndAJobStartedByHandShowsUnderIt() throws Exception {
        List<StatusEntry> entries = cleanedWithoutAutoTrain();
        PipelineStatus ready = StatusReducer.reduce("acme", "faq", entries);
        assertEquals("READY", ready.state);
        assertEquals(PipelineStatus.DONE, ready.stage("cleaned").state);
        assertEquals(PipelineStatus.PENDING, ready.stage("training").state);
        assertEquals(1, ready.versions.size());
        assertEquals(30L, ready.versions.get(0).counts.get("train"));

        entries.add(StatusEntry.of(TrainingRequested.create("acme", "job-1", "faq", "v1", "tiny", TrainingParams.defaults())));
        Thread.sleep(2);
        assertEquals("QUEUED", StatusReducer.reduce("acme", "faq", entries).stage("training").state);
        entries.add(StatusEntry.of(TrainingProgress.create("acme", JOB, "RUNNING", 5, 20, 0, 2.5, null, 1e-3, 900.0, 30.0, null)));
        PipelineStatus running = StatusReducer.reduce("acme", "faq", entries);
        assertEquals("IN_PROGRESS", running.state);
        assertEquals(PipelineStatus.RUNNING, running.stage("training").state);
        assertEquals(1, running.jobs.size());
        assertEquals("RUNNING", running.jobs.get(0).state);
        assertEquals("m-1", running.jobs.get(0).modelId);
    }

    @Test
    void aRetrainStartsItsStagesAfreshAndEveryRunKeepsItsOwnReason() throws Exception {
        List<StatusEntry> entries = new ArrayList<>(pipeline().subList(0, 6));
        entries.add(StatusEntry.of(ModelEvaluated.create("acme", "m-1", "faq", "tiny", B + "models/tuned/m-1/",
                B + "evals/m-1/report.json", 2.0, 3.0, "REJECT", "worse than the base model", "m-1", null)));
        Thread.sleep(2);
        PipelineStatus rejected = StatusReducer.reduce("acme", "faq", entries);
        assertEquals("REJECTED", rejected.state);
        assertEquals(PipelineStatus.SKIPPED, rejected.stage("deployed").state);

        TrainingProgress.Job second = new TrainingProgress.Job("job-2", "faq", "v1", "m-2");
        entries.add(StatusEntry.of(TrainingRequested.create("acme", "job-2", "faq", "v1", "tiny", TrainingParams.defaults())));
        Thread.sleep(2);
        entries.add(StatusEntry.of(TrainingProgress.create("acme", second, "RUNNING", 1, 20, 0, 2.5, null, null, null, null, null)));
        Thread.sleep(2);
        PipelineStatus retraining = StatusReducer.reduce("acme", "faq", entries);
        assertEquals("IN_PROGRESS", retraining.state);
        assertEquals(PipelineStatus.RUNNING, retraining.stage("training").state);
        assertEquals("job-2", retraining.stage("training").details.get("jobId"));
        assertEquals(PipelineStatus.PENDING, retraining.stage("evaluated").state);
        assertEquals(PipelineStatus.PENDING, retraining.stage("deployed").state);
        assertTrue(retraining.stage("deployed").details.isEmpty(), "the old rejection is not the new run's");
        assertEquals(2, retraining.jobs.size());
        assertEquals("REJECT", retraining.jobs.get(0).verdict);
        assertEquals("worse than the base model", retraining.jobs.get(0).reason);
        assertEquals(null, retraining.jobs.get(1).verdict);

        // a late report of the first (finished) job changes neither its run nor the current stages
        entries.add(StatusEntry.of(new TrainingProgress("late", 1, Instant.now().plusSeconds(5), "acme", "job-1",
                "RUNNING", 7, 20, 0, 2.4, null, null, null, null, null, "faq", "v1", "m-1")));
        PipelineStatus after = StatusReducer.reduce("acme", "faq", entries);
        assertEquals("job-2", after.stage("training").details.get("jobId"));
        assertEquals("SUCCEEDED", after.jobs.get(0).state);
    }
}
