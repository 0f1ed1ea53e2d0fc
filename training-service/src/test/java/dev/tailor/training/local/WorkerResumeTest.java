package dev.tailor.training.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.training.worker.WorkerReport;
import dev.tailor.training.worker.WorkerSpec;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.training.TinyJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose controller goes away (its stdin closes) saves a checkpoint to S3 and exits; a new worker for the
 * same job, even on another machine (a fresh local folder), resumes from that checkpoint and finishes the run.
 */
class WorkerResumeTest {
    private static final ObjectLayout LAYOUT = new ObjectLayout("default");

    @Test
    void aStoppedWorkerResumesFromItsCheckpointInS3(@TempDir Path first, @TempDir Path second) throws Exception {
        Map<String, String> c = TailorInfraResource.config();
        ObjectStore store = TailorInfraResource.objectStore();
        store.ensureBucket();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String base = "resume-base-" + id;
        TinyJobs.uploadBaseModel(store, LAYOUT, base);
        String dataset = "resume-" + id;
        TinyJobs.uploadSplits(store, LAYOUT, dataset, "v1", 32);
        TrainingParams params = TrainingParams.builder().loraRank(4).loraAlpha(8).loraDropout(0.0)
                .targetModules(Projection.Q_PROJ, Projection.V_PROJ).epochs(1).maxSteps(300).learningRate(1e-3)
                .batchSize(8).gradientAccumulation(1).maxSeqLength(64).warmupRatio(0.0).scheduler("constant")
                .weightDecay(0.0).maxGradNorm(1.0).seed(5).evalEvery(0).earlyStoppingPatience(0).packing(false).build();
        String modelId = "ft-resume-" + id;
        WorkerLauncher launcher = new WorkerLauncher(() -> WorkerDistribution.classpath(Optional.empty(),
                Optional.ofNullable(System.getProperty("tailor.training.worker-dir"))),
                List.of("-Xmx512m", "-Dai.djl.offline=true"), c.get("tailor.storage.access-key"),
                c.get("tailor.storage.secret-key"));

        WorkerSpec job = spec(c, modelId, dataset, base, params, first);
        Process[] process = new Process[1];
        List<WorkerReport> reports = new ArrayList<>();
        boolean[] stopping = {false};
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return launcher.run(job, p -> process[0] = p, r -> {
                    reports.add(r);
                    if (r.step() >= 3 && !stopping[0]) {
                        stopping[0] = true; // the controller "dies": the worker's stdin closes
                        CompletableFuture.runAsync(() -> WorkerLauncher.stop(process[0], 60));
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(3, exit.get(3, TimeUnit.MINUTES), "cancelled exit code; reports " + reports);
        assertEquals("CANCELLED", reports.get(reports.size() - 1).state());
        int stoppedAt = reports.stream().mapToInt(WorkerReport::step).max().orElseThrow();
        assertTrue(store.list(LAYOUT.tunedModel(modelId) + "checkpoints/").stream()
                .anyMatch(o -> o.key().endsWith("trainer_state.json")), "checkpoint mirrored to S3");
        assertTrue(!store.exists(ObjectLayout.manifest(LAYOUT.tunedModel(modelId))), "no output yet");

        WorkerSpec again = spec(c, modelId, dataset, base, params, second);
        List<WorkerReport> resumed = new ArrayList<>();
        assertEquals(0, launcher.run(again, p -> { }, resumed::add), WorkerLauncher.logTail(second, 20));
        assertTrue(Files.readString(second.resolve("worker.log")).contains("resuming from checkpoint at step"));
        int firstStep = resumed.stream().filter(r -> r.step() > 0).findFirst().orElseThrow().step();
        assertTrue(firstStep > 1 && firstStep <= stoppedAt + 1, "resumed at " + firstStep + ", stopped at " + stoppedAt);
        assertEquals("SUCCEEDED", resumed.get(resumed.size() - 1).state());
        assertEquals(300, store.getString(LAYOUT.tunedModel(modelId) + "metrics.jsonl").lines()
                .filter(l -> !l.isBlank()).count(), "one metrics line per step across both runs");
        assertTrue(store.exists(ObjectLayout.manifest(LAYOUT.tunedModel(modelId))));
    }

    private static WorkerSpec spec(Map<String, String> c, String modelId, String dataset, String base,
                                   TrainingParams params, Path workDir) {
        return new WorkerSpec("job-" + modelId, modelId, "default", dataset, "v1", base, params,
                c.get("tailor.storage.endpoint"), c.get("tailor.storage.bucket"), c.get("tailor.storage.region"),
                LAYOUT.baseModel(base), LAYOUT.split(dataset, "v1", "train"), LAYOUT.split(dataset, "v1", "validation"),
                LAYOUT.split(dataset, "v1", "test"), LAYOUT.tunedModel(modelId), workDir.toString(), 2);
    }
}
