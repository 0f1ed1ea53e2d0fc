package dev.tailor.training.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.training.config.TrainingSettings;
import dev.tailor.training.domain.BackendKind;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.JobState;
import dev.tailor.training.service.JobController;
import dev.tailor.training.service.JobView;
import dev.tailor.training.storage.TrainingStore;
import dev.tailor.testkit.TailorInfraResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A restarted controller against the API server and the job records in S3: a job whose Job still runs is adopted
 * (not submitted again), a recorded unfinished job whose Job is gone is submitted again (its worker resumes from the
 * checkpoint in S3), and the job list comes from S3, with jobs this controller never started.
 */
@EnableKubernetesMockClient(crud = true)
class ControllerRestartTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    private static TrainingSettings settings() {
        return new SmallRyeConfigBuilder().withMapping(TrainingSettings.class)
                .withSources(new PropertiesConfigSource(Map.of("kafka.bootstrap.servers", "kafka:9092"), "test", 500))
                .build().getConfigMapping(TrainingSettings.class);
    }

    /** The default per-tenant quotas (two jobs at once). */
    private static dev.tailor.security.quota.Quotas quotas() {
        return new dev.tailor.security.quota.Quotas(new SmallRyeConfigBuilder()
                .withMapping(dev.tailor.security.config.QuotaSettings.class).build()
                .getConfigMapping(dev.tailor.security.config.QuotaSettings.class));
    }

    @Test
    void aRestartedControllerAdoptsRunningJobsResumesLostOnesAndListsEveryJob() {
        ObjectStore objects = TailorInfraResource.objectStore();
        objects.ensureBucket();
        // a tenant of its own, so that this test's records are the only ones
        ObjectLayout layout = new ObjectLayout("restart-" + UUID.randomUUID().toString().substring(0, 8));
        TrainingStore store = new TrainingStore(objects);
        String prefix = Long.toHexString(System.nanoTime()).substring(0, 8);
        JobRecord running = running(layout, prefix + "00000001");
        JobRecord lost = running(layout, prefix + "00000002");
        JobRecord finished = running(layout, prefix + "00000003").withState(JobState.SUCCEEDED, "done");
        List.of(running, lost, finished).forEach(store::putJob);
        // the first controller's Job of `running` is still in the cluster, admitted and running
        KubernetesBackend before = new KubernetesBackend(client, ClusterFixtures.config());
        before.submit(running, new Recorder());
        before.shutdown();
        client.batch().v1().jobs().inNamespace(ClusterFixtures.NAMESPACE).withName(Labels.name(running.spec()))
                .edit(j -> {
                    j.getSpec().setSuspend(false);
                    return j;
                });
        ClusterFixtures.running(client, ClusterFixtures.pod(client, running.spec(), "restart-running-1"));

        List<TailorEvent> published = new CopyOnWriteArrayList<>();
        KubernetesBackend backend = new KubernetesBackend(client, ClusterFixtures.config());
        JobController controller = new JobController(settings(), store, published::add, new SimpleMeterRegistry(),
                quotas(), List.of(backend));
        try {
            controller.start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> controller.find(layout.tenant(), running.spec().jobId())
                    .map(v -> v.state().equals("RUNNING")).orElse(false));
            assertEquals(1, jobs(running), "adopted, not submitted twice");
            assertEquals(1, jobs(lost), "the lost job is submitted again");
            assertEquals("QUEUED", controller.find(layout.tenant(), lost.spec().jobId()).orElseThrow().state());
            List<JobView> all = controller.list(layout.tenant());
            assertEquals(3, all.size(), "every recorded job: " + all);
            assertEquals("SUCCEEDED", all.stream().filter(v -> v.jobId().equals(finished.spec().jobId())).findFirst()
                    .orElseThrow().state());
            assertTrue(published.stream().noneMatch(e -> e instanceof TrainingProgress p
                    && p.jobId().equals(running.spec().jobId()) && p.state().equals("QUEUED")),
                    "the adopted job was not queued again");
        } finally {
            backend.shutdown();
        }
    }

    private static long jobs(JobRecord r) {
        return client.batch().v1().jobs().inNamespace(ClusterFixtures.NAMESPACE)
                .withLabel(Labels.MODEL_ID, r.spec().modelId()).list().getItems().size();
    }

    private static JobRecord running(ObjectLayout layout, String hash) {
        var spec = ClusterFixtures.spec(hash, TrainingParams.defaults());
        var tenanted = new dev.tailor.training.worker.WorkerSpec(spec.jobId(), spec.modelId(), layout.tenant(),
                spec.datasetId(), spec.datasetVersion(), spec.baseModel(), spec.params(), spec.s3Endpoint(),
                spec.bucket(), spec.region(), spec.baseModelPrefix(), spec.trainKey(), spec.validationKey(),
                spec.testKey(), layout.tunedModel(spec.modelId()), spec.workDir(), spec.checkpointEvery());
        return ClusterFixtures.record(tenanted, BackendKind.KUBERNETES, 1, 1).withState(JobState.RUNNING, "running");
    }
}
