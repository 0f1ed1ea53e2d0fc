package dev.tailor.training.cluster;

import static dev.tailor.training.cluster.ClusterFixtures.NAMESPACE;
import static dev.tailor.training.cluster.ClusterFixtures.QUEUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.JobState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kubernetes backend against a real HTTP Kubernetes API (fabric8's mock server in CRUD mode): what it submits,
 * and how the Job's and its pods' states (set here as Kueue, the Job controller and the kubelet would) become job
 * states: Kueue admission, running, a preempted pod and its replacement, success, a failure with the worker's
 * termination message, cancel, and a restarted controller re-adopting its jobs.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesBackendTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    private final List<KubernetesBackend> backends = new java.util.ArrayList<>();

    private KubernetesBackend backend() {
        KubernetesBackend b = new KubernetesBackend(client, ClusterFixtures.config());
        backends.add(b);
        return b;
    }

    @AfterEach
    void stopInformers() {
        backends.forEach(KubernetesBackend::shutdown);
    }

    private static Job job(JobRecord r) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(Labels.name(r.spec())).get();
    }

    private static void setSuspend(JobRecord r, boolean suspend) {
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName(Labels.name(r.spec()))
                .edit(j -> {
                    j.getSpec().setSuspend(suspend);
                    return j;
                });
    }

    private static void condition(JobRecord r, String type, String reason, String message) {
        Job j = job(r);
        j.setStatus(new JobStatusBuilder().withConditions(new JobConditionBuilder().withType(type).withStatus("True")
                .withReason(reason).withMessage(message).build()).build());
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(j).updateStatus();
    }

    @Test
    void aJobIsAdmittedRunsIsPreemptedResumesAndSucceeds() {
        JobRecord r = ClusterFixtures.kubernetesJob("0000000000000001");
        String id = r.spec().jobId();
        Recorder events = new Recorder();
        backend().submit(r, events);

        Job created = job(r);
        assertTrue(created.getSpec().getSuspend(), "created suspended: Kueue admits it");
        assertEquals(QUEUE, created.getMetadata().getLabels().get(Labels.KUEUE_QUEUE));
        assertEquals(id, created.getMetadata().getAnnotations().get(Labels.JOB_ID));
        events.await(id, JobState.QUEUED, m -> m.contains("waiting for Kueue to admit it to queue " + QUEUE));

        setSuspend(r, false); // Kueue admits the workload
        events.await(id, JobState.QUEUED, m -> m.startsWith("admitted by Kueue"));

        Pod first = ClusterFixtures.pod(client, r.spec(), "tailor-attempt-1");
        ClusterFixtures.running(client, first);
        events.await(id, JobState.RUNNING, m -> m.equals("worker running on gpu-node-1"));

        ClusterFixtures.preempted(client, first); // DisruptionTarget: does not count against backoffLimit
        events.await(id, JobState.QUEUED, m -> m.contains("worker preempted (PreemptionByScheduler")
                && m.contains("resumes from the last checkpoint"));
        Pod second = ClusterFixtures.pod(client, r.spec(), "tailor-attempt-2");
        ClusterFixtures.running(client, second);
        events.await(id, JobState.RUNNING, m -> m.contains("attempt 2, resumed from its last checkpoint"));

        condition(r, "Complete", "CompletionsReached", "Reached expected number of succeeded pods");
        Recorder.Report done = events.await(id, JobState.SUCCEEDED, m -> true);
        assertTrue(done.announced(), "a cluster worker announces model.trained itself");
        assertEquals(1, events.reports.stream().filter(x -> x.state().terminal()).count(), "one end");
    }

    @Test
    void suspendedAgainAfterRunningIsAPreemptionByKueue() {
        JobRecord r = ClusterFixtures.kubernetesJob("0000000000000005");
        Recorder events = new Recorder();
        backend().submit(r, events);
        setSuspend(r, false);
        Pod p = ClusterFixtures.pod(client, r.spec(), "tailor-evicted-1");
        ClusterFixtures.running(client, p);
        events.await(r.spec().jobId(), JobState.RUNNING, m -> true);
        ClusterFixtures.preempted(client, p);
        setSuspend(r, true); // Kueue evicts a workload by suspending its Job
        events.await(r.spec().jobId(), JobState.QUEUED, m -> m.startsWith("preempted; waiting for Kueue to admit it"
                + " again"));
    }

    @Test
    void aFailedWorkerFailsTheJobWithItsTerminationMessage() {
        JobRecord r = ClusterFixtures.kubernetesJob("0000000000000002");
        Recorder events = new Recorder();
        backend().submit(r, events);
        setSuspend(r, false);
        Pod p = ClusterFixtures.pod(client, r.spec(), "tailor-failing-1");
        ClusterFixtures.running(client, p);
        ClusterFixtures.failed(client, p, "IllegalStateException: loss became NaN at step 7; lower learningRate");
        condition(r, "Failed", "PodFailurePolicy", "Container worker for pod tailor/tailor-failing-1 failed with exit"
                + " code 1 matching FailJob rule at index 1");
        Recorder.Report failed = events.await(r.spec().jobId(), JobState.FAILED, m -> true);
        assertTrue(failed.message().contains("loss became NaN at step 7"), failed.message());
        assertTrue(failed.message().contains("PodFailurePolicy"), failed.message());
    }

    @Test
    void cancelDeletesTheJob() {
        JobRecord r = ClusterFixtures.kubernetesJob("0000000000000003");
        Recorder events = new Recorder();
        KubernetesBackend b = backend();
        b.submit(r, events);
        setSuspend(r, false);
        ClusterFixtures.running(client, ClusterFixtures.pod(client, r.spec(), "tailor-cancel-1"));
        events.await(r.spec().jobId(), JobState.RUNNING, m -> true);
        b.cancel(r);
        events.await(r.spec().jobId(), JobState.CANCELLED, m -> m.contains("deleted"));
        assertNull(job(r), "the Job is gone");
        assertFalse(events.reports.stream().anyMatch(x -> x.state() == JobState.FAILED), "a cancel is no failure");
    }

    @Test
    void aRestartedControllerReadoptsItsJobsFromTheApiServer() {
        JobRecord r = ClusterFixtures.kubernetesJob("0000000000000004");
        Recorder before = new Recorder();
        KubernetesBackend first = backend();
        first.submit(r, before);
        setSuspend(r, false);
        ClusterFixtures.running(client, ClusterFixtures.pod(client, r.spec(), "tailor-adopt-1"));
        before.await(r.spec().jobId(), JobState.RUNNING, m -> true);
        first.shutdown(); // the controller goes; the Job goes on

        Recorder after = new Recorder();
        List<String> adopted = backend().adopt(after);
        assertTrue(adopted.contains(r.spec().jobId()), "adopted " + adopted);
        after.await(r.spec().jobId(), JobState.RUNNING, m -> m.contains("worker running"));
        assertEquals(1, client.batch().v1().jobs().inNamespace(NAMESPACE).withLabel(Labels.MODEL_ID,
                r.spec().modelId()).list().getItems().size(), "nothing submitted twice");
        condition(r, "Complete", "CompletionsReached", "done");
        after.await(r.spec().jobId(), JobState.SUCCEEDED, m -> true);
    }

    @Test
    void submittingAJobThatExistsFollowsItInsteadOfCreatingASecond() {
        JobRecord r = ClusterFixtures.kubernetesJob("0000000000000006");
        backend().submit(r, new Recorder());
        Recorder again = new Recorder();
        backend().submit(r, again);
        again.await(r.spec().jobId(), JobState.QUEUED, m -> m.contains("waiting for Kueue"));
        assertEquals(1, client.batch().v1().jobs().inNamespace(NAMESPACE).withLabel(Labels.MODEL_ID,
                r.spec().modelId()).list().getItems().size());
    }
}
