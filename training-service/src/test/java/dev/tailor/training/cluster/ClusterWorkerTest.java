package dev.tailor.training.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.Topics;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.training.domain.BackendKind;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.JobState;
import dev.tailor.training.local.WorkerDistribution;
import dev.tailor.training.worker.WorkerSpec;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.training.TinyJobs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Job's worker as its pod runs it: the Job the kubernetes backend created in the API server (fabric8's mock server)
 * gives the command and environment; the worker runs them as a process (the "pod") against the real Kafka and S3 of
 * the tests, with the Secret's keys where the Job references them. Kueue admits the Job, the worker publishes its own
 * progress to Kafka, is preempted (SIGTERM, and its pod gets DisruptionTarget) after a few steps and saves a
 * checkpoint to S3; the next pod, on a fresh disk, resumes from that checkpoint, finishes, and publishes
 * {@code model.trained}; the Job completes and the controller sees SUCCEEDED.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterWorkerTest {
    static KubernetesMockServer server;
    static KubernetesClient client;
    private static final ObjectLayout LAYOUT = new ObjectLayout("default");

    @Test
    void aPreemptedWorkerResumesFromItsCheckpointAndThePodsWorkerPublishesItsOwnEvents(@TempDir Path pod1,
                                                                                      @TempDir Path pod2)
            throws Exception {
        Map<String, String> c = TailorInfraResource.config();
        ObjectStore store = TailorInfraResource.objectStore();
        store.ensureBucket();
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String base = "cluster-base-" + id;
        TinyJobs.uploadBaseModel(store, LAYOUT, base);
        String dataset = "cluster-" + id;
        TinyJobs.uploadSplits(store, LAYOUT, dataset, "v1", 32);
        TrainingParams params = TrainingParams.builder().loraRank(4).loraAlpha(8).loraDropout(0.0)
                .targetModules(Projection.Q_PROJ, Projection.V_PROJ).epochs(1).maxSteps(200).learningRate(1e-3)
                .batchSize(8).maxSeqLength(64).warmupRatio(0.0).scheduler("constant").seed(5).evalEvery(0)
                .backend("kubernetes").device("cpu").precision("fp32").build();
        String modelId = "ft-" + id;
        WorkerSpec spec = new WorkerSpec("job-" + id, modelId, "default", dataset, "v1", base, params,
                c.get("tailor.storage.endpoint"), c.get("tailor.storage.bucket"), c.get("tailor.storage.region"),
                LAYOUT.baseModel(base), LAYOUT.split(dataset, "v1", "train"), LAYOUT.split(dataset, "v1", "validation"),
                LAYOUT.split(dataset, "v1", "test"), LAYOUT.tunedModel(modelId), "/unused", 2);
        JobRecord record = ClusterFixtures.record(spec, BackendKind.KUBERNETES, 1, 1);
        KubernetesBackend backend = new KubernetesBackend(client, ClusterFixtures.config());
        Recorder events = new Recorder();
        try (KafkaTestClient kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap())) {
            backend.submit(record, events);
            Job job = client.batch().v1().jobs().inNamespace(ClusterFixtures.NAMESPACE).withName(Labels.name(spec))
                    .get();
            client.batch().v1().jobs().inNamespace(ClusterFixtures.NAMESPACE).withName(Labels.name(spec))
                    .edit(j -> {
                        j.getSpec().setSuspend(false); // Kueue admits it
                        return j;
                    });
            Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);

            // the first pod: runs, publishes progress, is preempted after a few steps
            Pod first = ClusterFixtures.pod(client, spec, "worker-attempt-1");
            ClusterFixtures.running(client, first);
            Process p1 = start(container, c, pod1);
            kafka.awaitEvent(Topics.TRAINING_PROGRESS, TrainingProgress.class,
                    e -> spec.jobId().equals(e.jobId()) && e.step() >= 3, Duration.ofMinutes(3));
            p1.destroy(); // SIGTERM, as the kubelet sends it to a preempted pod
            assertTrue(p1.waitFor(2, TimeUnit.MINUTES), "the worker stops within the grace period");
            assertNotEquals(0, p1.exitValue(), "a preempted pod does not succeed");
            assertTrue(store.list(LAYOUT.tunedModel(modelId) + "checkpoints/").stream()
                    .anyMatch(o -> o.key().endsWith("trainer_state.json")), "its checkpoint is in S3");
            ClusterFixtures.preempted(client, first);
            events.await(spec.jobId(), JobState.QUEUED, m -> m.contains("worker preempted"));

            // the next pod, on a fresh disk, resumes from the checkpoint
            Pod second = ClusterFixtures.pod(client, spec, "worker-attempt-2");
            ClusterFixtures.running(client, second);
            events.await(spec.jobId(), JobState.RUNNING, m -> m.contains("attempt 2"));
            Process p2 = start(container, c, pod2);
            assertTrue(p2.waitFor(4, TimeUnit.MINUTES), "the resumed worker finishes");
            String log = Files.readString(pod2.resolve("worker.log"));
            assertEquals(0, p2.exitValue(), log);
            assertTrue(log.contains("resuming from checkpoint at step"), log);
            ModelTrained trained = kafka.awaitEvent(Topics.MODEL_TRAINED, ModelTrained.class,
                    e -> modelId.equals(e.modelId()), Duration.ofSeconds(30));
            assertEquals(store.uri(LAYOUT.tunedModel(modelId)), trained.adapter());
            assertTrue(store.exists(ObjectLayout.manifest(LAYOUT.tunedModel(modelId))));
            assertEquals(200, store.getString(LAYOUT.tunedModel(modelId) + "metrics.jsonl").lines()
                    .filter(l -> !l.isBlank()).count(), "one metrics line per step across both pods");
            List<TrainingProgress> progress = kafka.readAll(Topics.TRAINING_PROGRESS, Duration.ofSeconds(2)).stream()
                    .filter(r -> spec.jobId().equals(r.key())).map(r -> Json.read(r.value(), TrainingProgress.class))
                    .toList();
            assertTrue(progress.stream().allMatch(e -> e.state().equals("RUNNING")),
                    "the worker reports steps; the controller reports the job's states");

            Job done = client.batch().v1().jobs().inNamespace(ClusterFixtures.NAMESPACE).withName(Labels.name(spec))
                    .get();
            done.setStatus(new JobStatusBuilder().withConditions(new JobConditionBuilder().withType("Complete")
                    .withStatus("True").withReason("CompletionsReached").build()).build());
            client.batch().v1().jobs().inNamespace(ClusterFixtures.NAMESPACE).resource(done).updateStatus();
            assertTrue(events.await(spec.jobId(), JobState.SUCCEEDED, m -> true).announced());
        } finally {
            backend.shutdown();
        }
    }

    /**
     * The container's command and environment as a process: the image's classpath is the worker distribution here,
     * Secret references resolve to the test S3's keys, the pod's scratch volume is {@code disk}.
     */
    private static Process start(Container container, Map<String, String> c, Path disk) throws Exception {
        List<String> command = new ArrayList<>(container.getCommand());
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.set(command.indexOf(JobManifests.WORKER_LIB), WorkerDistribution.classpath(Optional.empty(),
                Optional.ofNullable(System.getProperty("tailor.training.worker-dir"))));
        command.add(1, "-Xmx512m");
        command.add(2, "-Dai.djl.offline=true");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(disk.resolve("worker.log").toFile());
        Map<String, String> env = pb.environment();
        for (EnvVar e : container.getEnv()) {
            if (e.getValueFrom() != null) {
                String key = e.getValueFrom().getSecretKeyRef().getKey();
                if (key.equals(WorkerSpec.ENV_ACCESS_KEY)) {
                    env.put(e.getName(), c.get("tailor.storage.access-key"));
                } else if (key.equals(WorkerSpec.ENV_SECRET_KEY)) {
                    env.put(e.getName(), c.get("tailor.storage.secret-key"));
                } // optional keys the Secret lacks stay unset, as in a pod
            } else {
                env.put(e.getName(), e.getValue());
            }
        }
        WorkerSpec inPod = Json.read(env.get("TAILOR_WORKER_SPEC"), WorkerSpec.class);
        env.put("TAILOR_WORKER_SPEC", Json.write(new WorkerSpec(inPod.jobId(), inPod.modelId(), inPod.tenant(),
                inPod.datasetId(), inPod.datasetVersion(), inPod.baseModel(), inPod.params(), inPod.s3Endpoint(),
                inPod.bucket(), inPod.region(), inPod.baseModelPrefix(), inPod.trainKey(), inPod.validationKey(),
                inPod.testKey(), inPod.outputPrefix(), disk.resolve("job").toString(), inPod.checkpointEvery())));
        env.put("TAILOR_KAFKA_BOOTSTRAP_SERVERS", TailorInfraResource.kafkaBootstrap()); // the cluster's, here
        env.put("TAILOR_TERMINATION_LOG", disk.resolve("termination-log").toString());
        env.put("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai"); // the unpacked libtorch of the build
        return pb.start();
    }
}
