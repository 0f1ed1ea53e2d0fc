package dev.tailor.training.cluster;

import dev.tailor.common.json.Json;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.worker.WorkerSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch/v1 Job of one training job: the training worker's image and command, one GPU, the settings' placement
 * (node selector, tolerations, affinity, priority class), created suspended in a Kueue queue so Kueue admits it,
 * credentials from a Secret reference (never in the spec), a TTL after it finishes, and a pod failure policy under
 * which a disrupted or preempted pod (condition DisruptionTarget) is retried without counting against
 * {@code backoffLimit}, while a worker that failed on its own (exit 1: bad data, a diverging loss) fails the Job at
 * once. A retried pod resumes from the job's last checkpoint in S3.
 */
public final class JobManifests {
    /** Where the worker's image holds its distribution (deploy/worker/Dockerfile). */
    static final String WORKER_LIB = "/opt/tailor/worker/lib/*";
    static final String CONTAINER = "worker";
    static final String WORK_DIR = "/work";
    /** Exit code of a worker whose training failed for a reason a retry would not fix. */
    static final int EXIT_FAILED = 1;
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private JobManifests() {
    }

    /** The worker's spec inside the pod: its local folder is the pod's scratch volume. */
    public static WorkerSpec podSpec(WorkerSpec s) {
        return new WorkerSpec(s.jobId(), s.modelId(), s.tenant(), s.datasetId(), s.datasetVersion(), s.baseModel(),
                s.params(), s.s3Endpoint(), s.bucket(), s.region(), s.baseModelPrefix(), s.trainKey(),
                s.validationKey(), s.testKey(), s.outputPrefix(), WORK_DIR + "/job", s.checkpointEvery(), s.parentModel(),
                s.parentPrefix(), s.sweep(), s.evaluation(), s.principal());
    }

    /**
     * @param owner the Deployment owning the job, or null
     */
    public static Job job(JobRecord record, ClusterConfig c, OwnerReference owner) {
        WorkerSpec spec = podSpec(record.spec());
        Map<String, String> labels = Labels.of(spec);
        Map<String, String> jobLabels = new LinkedHashMap<>(labels);
        if (c.queueName() != null) {
            jobLabels.put(Labels.KUEUE_QUEUE, c.queueName());
        }
        Map<String, Quantity> resources = new LinkedHashMap<>();
        resources.put("cpu", new Quantity(c.cpu()));
        resources.put("memory", new Quantity(c.memory()));
        if (record.placement() != null && record.placement().gpus() > 0) {
            resources.put(c.gpuResource(), new Quantity(String.valueOf(record.placement().gpus())));
        }
        JobBuilder b = new JobBuilder()
                .withNewMetadata()
                    .withName(Labels.name(spec))
                    .withNamespace(c.namespace())
                    .withLabels(jobLabels)
                    .addToAnnotations(Labels.JOB_ID, spec.jobId())
                    .withOwnerReferences(owner == null ? List.of() : List.of(owner))
                .endMetadata()
                .withNewSpec()
                    .withSuspend(c.queueName() != null)
                    .withBackoffLimit(c.backoffLimit())
                    .withTtlSecondsAfterFinished(c.ttlSecondsAfterFinished())
                    .withCompletions(1)
                    .withParallelism(1)
                    .withNewPodFailurePolicy()
                        .addNewRule()
                            .withAction("Ignore")
                            .addNewOnPodCondition().withType(Labels.DISRUPTION_TARGET).withStatus("True")
                            .endOnPodCondition()
                        .endRule()
                        .addNewRule()
                            .withAction("FailJob")
                            .withNewOnExitCodes().withContainerName(CONTAINER).withOperator("In")
                                .withValues(EXIT_FAILED).endOnExitCodes()
                        .endRule()
                    .endPodFailurePolicy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withServiceAccountName(c.serviceAccount())
                            .withPriorityClassName(c.priorityClass())
                            .withNodeSelector(c.nodeSelector().isEmpty() ? null : c.nodeSelector())
                            .withTolerations(tolerations(c.tolerations()))
                            .withAffinity(c.affinityJson() == null ? null
                                    : SERIALIZATION.unmarshal(c.affinityJson(), Affinity.class))
                            .withTerminationGracePeriodSeconds(c.terminationGracePeriodSeconds())
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true).withRunAsUser(185L).withFsGroup(185L)
                            .endSecurityContext()
                            .addNewContainer()
                                .withName(CONTAINER)
                                .withImage(c.image())
                                .withImagePullPolicy("IfNotPresent")
                                .withCommand("java", "-XX:MaxRAMPercentage=75", "-cp", WORKER_LIB,
                                        "dev.tailor.training.worker.TrainingWorker")
                                .withEnv(env(spec, c))
                                .withNewResources().withRequests(resources).withLimits(resources).endResources()
                                .withTerminationMessagePolicy("FallbackToLogsOnError")
                                .addNewVolumeMount().withName("work").withMountPath(WORK_DIR).endVolumeMount()
                                .withNewSecurityContext()
                                    .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                                .endSecurityContext()
                            .endContainer()
                            .addNewVolume().withName("work")
                                .withNewEmptyDir().withSizeLimit(new Quantity(c.scratch())).endEmptyDir()
                            .endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec();
        return b.build();
    }

    private static List<EnvVar> env(WorkerSpec spec, ClusterConfig c) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("TAILOR_WORKER_SPEC", Json.write(spec), null));
        env.add(new EnvVar("TAILOR_KAFKA_BOOTSTRAP_SERVERS", c.kafkaBootstrapServers(), null));
        env.add(secret(WorkerSpec.ENV_ACCESS_KEY, c.credentialsSecret(), false));
        env.add(secret(WorkerSpec.ENV_SECRET_KEY, c.credentialsSecret(), false));
        if (c.kafkaSecretKey()) {
            env.add(secret("KAFKA_SASL_JAAS_CONFIG", c.credentialsSecret(), true));
        }
        env.add(new EnvVar("TAILOR_TERMINATION_LOG", "/dev/termination-log", null));
        env.add(new EnvVar("DJL_CACHE_DIR", WORK_DIR + "/djl", null));
        env.add(new EnvVar("OMP_WAIT_POLICY", "PASSIVE", null));
        return env;
    }

    private static EnvVar secret(String name, String secret, boolean optional) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef(name, secret,
                optional ? Boolean.TRUE : null).endValueFrom().build();
    }

    static List<Toleration> tolerations(List<String> specs) {
        List<Toleration> out = new ArrayList<>();
        for (String t : specs) {
            String effect = t.substring(t.lastIndexOf(':') + 1);
            String kv = t.substring(0, t.lastIndexOf(':'));
            TolerationBuilder b = new TolerationBuilder().withEffect(effect);
            if (kv.contains("=")) {
                b.withKey(kv.substring(0, kv.indexOf('='))).withOperator("Equal").withValue(kv.substring(kv.indexOf('=') + 1));
            } else {
                b.withKey(kv).withOperator("Exists");
            }
            out.add(b.build());
        }
        return out;
    }
}
