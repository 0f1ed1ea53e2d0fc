package dev.tailor.training.local;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.Topics;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.json.Json;
import dev.tailor.common.status.PipelineStatus;
import dev.tailor.common.status.StatusEntry;
import dev.tailor.common.status.StatusReducer;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import dev.tailor.common.auth.Roles;
import io.restassured.RestAssured;
import dev.tailor.training.TinyJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Worker death on the real broker and S3: a local worker killed with {@code kill -9} mid-run is replaced and resumes
 * from its last checkpoint in S3; a job whose workers keep dying is FAILED once its retries (default 2) are spent,
 * with the reason in the job, its events and the dataset's status; a failure the worker reports is not retried.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class WorkerDeathTest {
    private static final ObjectLayout LAYOUT = new ObjectLayout("default");
    private static final String ID = UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE = "death-base-" + ID;
    private static final String DATASET = "death-" + ID;
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    private static ObjectStore store;
    private static KafkaTestClient kafka;

    @BeforeAll
    static void upload() {
        // every request of these tests is a trainer of tenant "default", with a token of the test issuer
        RestAssured.authentication = RestAssured.oauth2(TestIssuer.shared().token("default", "trainer@default",
                Roles.TRAINER));
        store = TailorInfraResource.objectStore();
        store.ensureBucket();
        kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap());
        TinyJobs.uploadBaseModel(store, LAYOUT, BASE);
        TinyJobs.uploadSplits(store, LAYOUT, DATASET, "v1", 32);
    }

    @AfterAll
    static void close() {
        kafka.close();
        RestAssured.authentication = RestAssured.DEFAULT_AUTH;
    }

    @Test
    void aKilledWorkerIsReplacedAndResumesFromItsCheckpoint() throws Exception {
        // long enough that the kill (after step 52, polled every 50 ms) lands well before the end (a loaded machine
        // killed at step 147), short enough that the resumed run takes seconds (2000 steps took 20 s more)
        int steps = 600;
        JsonPath created = submit(BASE, steps, 4);
        String jobId = created.getString("jobId");
        String modelId = created.getString("modelId");
        int every = 50; // JobPlanner.checkpointEvery: a checkpoint every 50 steps

        Awaitility.await().atMost(TIMEOUT).until(() -> store.list(LAYOUT.tunedModel(modelId) + "checkpoints/")
                .stream().anyMatch(o -> o.key().endsWith("trainer_state.json"))); // the first checkpoint is in S3
        int killedAt = killWorkerAfterStep(jobId, modelId, every + 2);
        Awaitility.await().atMost(TIMEOUT).until(() -> view(jobId).getInt("attempt") == 2);
        JsonPath retried = view(jobId);
        assertTrue(retried.getString("lastFailure").contains("SIGKILL"), retried.prettify());
        awaitState(jobId, "SUCCEEDED");
        JsonPath done = view(jobId);
        assertEquals(steps, done.getInt("step"));
        assertEquals(2, done.getInt("attempt"));
        assertTrue(store.exists(ObjectLayout.manifest(LAYOUT.tunedModel(modelId))), "output complete");

        List<TrainingProgress> events = progress(jobId);
        int retry = indexOf(events, p -> p.message() != null && p.message().contains("retry 1 of 2"));
        assertTrue(retry >= 0, "a progress event tells of the retry: " + messages(events));
        assertTrue(events.get(retry).message().contains("SIGKILL"), events.get(retry).message());
        String log = Files.readString(Path.of("target/training-work/jobs", modelId, "worker.log"));
        java.util.regex.Matcher resumed = java.util.regex.Pattern.compile("resuming from checkpoint at step (\\d+)")
                .matcher(log);
        assertTrue(resumed.find(), "the new worker resumed from a checkpoint");
        int resumedAt = Integer.parseInt(resumed.group(1));
        assertTrue(resumedAt >= every && resumedAt % every == 0 && resumedAt <= killedAt + every,
                "resumed at step " + resumedAt + ", killed after step " + killedAt);
        assertEquals(steps, store.getString(LAYOUT.tunedModel(modelId) + "metrics.jsonl").lines()
                .filter(l -> !l.isBlank()).count(), "one metrics line per step across both workers");
        assertEquals("SUCCEEDED", events.get(events.size() - 1).state());
        PipelineStatus status = status(events);
        assertEquals(PipelineStatus.DONE, status.stages.get("training").state);
    }

    @Test
    void aJobWhoseWorkersKeepDyingFailsWithTheReasonEverywhere() throws Exception {
        JsonPath created = submit(BASE, 100_000, 2);
        String jobId = created.getString("jobId");
        String modelId = created.getString("modelId");
        int lastKill = 0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int a = attempt;
            Awaitility.await().atMost(TIMEOUT).until(() -> view(jobId).getInt("attempt") == a);
            lastKill = killWorkerAfterStep(jobId, modelId, 1);
        }
        awaitState(jobId, "FAILED");
        JsonPath failed = view(jobId);
        String message = failed.getString("message");
        assertTrue(message.contains("SIGKILL") && message.contains("no retries left (3 attempts"), message);
        assertEquals(3, failed.getInt("attempt"));
        assertEquals(message, failed.getString("lastFailure"));

        List<TrainingProgress> events = progress(jobId);
        TrainingProgress last = events.get(events.size() - 1);
        assertEquals("FAILED", last.state());
        assertEquals(message, last.message());
        assertTrue(messages(events).contains("retry 2 of 2"), messages(events));
        PipelineStatus status = status(events);
        assertEquals(PipelineStatus.FAILED, status.stages.get("training").state);
        assertEquals(message, status.stages.get("training").details.get("error"));
        assertTrue(status.errors.stream().anyMatch(e -> e.message().equals(message)), status.errors.toString());
        assertTrue(lastKill > 0);
    }

    @Test
    void aFailureTheWorkerReportsIsNotRetried() {
        String broken = "broken-base-" + ID;
        TinyJobs.uploadBaseModel(store, LAYOUT, broken);
        store.putBytes(LAYOUT.baseModel(broken) + "model.safetensors", new byte[] {1, 2, 3},
                "application/octet-stream"); // weights the worker cannot read
        JsonPath created = submit(broken, 20, 4);
        String jobId = created.getString("jobId");
        awaitState(jobId, "FAILED");
        JsonPath failed = view(jobId);
        assertEquals(1, failed.getInt("attempt"), failed.prettify());
        assertTrue(!failed.getString("message").contains("retr"), failed.getString("message"));
        List<TrainingProgress> events = progress(jobId);
        assertTrue(events.stream().noneMatch(p -> p.message() != null && p.message().contains("retry")),
                messages(events));
    }

    private static JsonPath submit(String base, int maxSteps, int batchSize) {
        var response = given().contentType(ContentType.JSON).body("{\"datasetId\":\"" + DATASET + "\",\"baseModel\":\""
                + base + "\",\"params\":{\"maxSteps\":" + maxSteps + ",\"batchSize\":" + batchSize
                + ",\"maxSeqLength\":64,\"evalEvery\":0,\"loraRank\":4,\"seed\":7}}")
                .post("/v1/training-jobs");
        response.then().statusCode(202);
        return response.jsonPath();
    }

    private static JsonPath view(String jobId) {
        return given().get("/v1/training-jobs/" + jobId).then().statusCode(200).extract().jsonPath();
    }

    private static void awaitState(String jobId, String state) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> state.equals(view(jobId).getString("state")));
    }

    /** Waits for the job's current worker to report {@code step} or more, then {@code kill -9}s it; its last step. */
    private static int killWorkerAfterStep(String jobId, String modelId, int step) throws Exception {
        long[] pid = {-1};
        int[] at = {0};
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Optional<ProcessHandle> worker = worker(modelId);
            JsonPath v = view(jobId);
            at[0] = v.getInt("step");
            pid[0] = worker.map(ProcessHandle::pid).orElse(-1L);
            if (List.of("FAILED", "SUCCEEDED", "CANCELLED").contains(v.getString("state"))) {
                throw new AssertionError("the job ended before its worker could be killed: " + v.prettify());
            }
            return worker.isPresent() && at[0] >= step && "RUNNING".equals(v.getString("state"))
                    && (v.getString("message") == null || !v.getString("message").startsWith("worker starting"));
        });
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid[0])).inheritIO().start();
        assertEquals(0, kill.waitFor());
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid[0]).map(p -> !p.isAlive()).orElse(true));
        return at[0];
    }

    /** The worker JVM of the model's job (its spec is {@code jobs/{modelId}/spec.json}). */
    private static Optional<ProcessHandle> worker(String modelId) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> commandLine(p).contains("TrainingWorker") && commandLine(p).contains(modelId + "/spec.json"))
                .findFirst();
    }

    private static String commandLine(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
        } catch (IOException e) {
            return ""; // gone, or no /proc: not a worker of ours
        }
    }

    private static List<TrainingProgress> progress(String jobId) {
        return kafka.readAll(Topics.TRAINING_PROGRESS, Duration.ofSeconds(3)).stream()
                .filter(r -> jobId.equals(r.key())).map(r -> Json.read(r.value(), TrainingProgress.class)).toList();
    }

    private static PipelineStatus status(List<TrainingProgress> events) {
        return StatusReducer.reduce("default", DATASET, events.stream().map(StatusEntry::of).toList());
    }

    private static int indexOf(List<TrainingProgress> events, java.util.function.Predicate<TrainingProgress> match) {
        for (int i = 0; i < events.size(); i++) {
            if (match.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String messages(List<TrainingProgress> events) {
        return events.stream().map(p -> p.state() + ":" + p.step() + ":" + p.message()).toList().toString();
    }
}
