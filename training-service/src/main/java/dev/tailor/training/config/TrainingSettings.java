package dev.tailor.training.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Settings of the training controller ({@code tailor.training.*}). */
@ConfigMapping(prefix = "tailor.training")
public interface TrainingSettings {

    /** Base model used for auto-training when a {@code dataset.cleaned} event names none. */
    @WithDefault("tiny-llama")
    String defaultBaseModel();

    /**
     * Training parameters for auto-training (a {@code dataset.cleaned} event that asked for it), as a partial JSON
     * object merged over the platform defaults, e.g. {@code {"maxSeqLength":512,"epochs":3}}; absent = defaults.
     */
    Optional<String> autoTrainParams();

    /** Fewer train examples than this get a preflight warning (a small dataset). */
    @WithDefault("100")
    int minTrainExamples();

    /** Preflight warnings (truncation, a small train split, examples the template refuses) refuse the job (422). */
    @WithDefault("false")
    boolean preflightWarningsAreErrors();

    /** How many training jobs (worker processes) run at the same time. */
    @WithDefault("1")
    int maxConcurrentJobs();

    /** How many accepted jobs may wait for a free slot before new ones are refused (429). */
    @WithDefault("16")
    int maxQueuedJobs();

    /** The most candidates a sweep (POST /v1/training-jobs with "sweep") may have; they run one after another. */
    @WithDefault("8")
    int maxSweepCandidates();

    /** Local folder for job specs, downloaded base models, dataset splits and worker outputs. */
    @WithDefault("${tailor.tmp.dir}/training")
    String workDir();

    /** Extra JVM options for each worker process. */
    @WithDefault("-Xmx1g,-Dai.djl.offline=true,-XX:+UseSerialGC")
    List<String> workerJvmArgs();

    /**
     * The training-worker distribution (a folder whose {@code lib/} holds the worker jar and its dependencies, built
     * as {@code training-worker/target/worker}); when absent, {@code worker/} next to the service's jar
     * ({@code quarkus-app/worker}, where the service's build puts it).
     */
    Optional<String> workerDir();

    /** A complete worker classpath instead of the distribution's (an image with its own layout). */
    Optional<String> workerClasspath();

    /**
     * Times a local job gets a new worker when its worker dies without a result (killed by a signal, out of memory,
     * crashed); each resumes from the last checkpoint in S3. A failure the worker reports (bad parameters or data, a
     * diverging loss) is not retried. Its cluster counterpart is {@code kubernetes.backoff-limit} (also 2).
     */
    @WithDefault("2")
    int maxRetries();

    /**
     * Intermediate checkpoints ({@code models/tuned/{modelId}/checkpoints/step-N/}) kept in S3 after a job succeeds,
     * newest first; 0 (the default) deletes them all once the final model is stored. A failed or cancelled job keeps
     * its checkpoints (it can resume from them).
     */
    @WithDefault("0")
    int keepCheckpoints();

    /** Resume jobs that were queued or running when the service stopped (from their last checkpoint in S3). */
    @WithDefault("true")
    boolean resumeOnStartup();

    /** Sustained floating-point throughput assumed by the preflight time estimate (FLOP/s). */
    @WithDefault("5e10")
    double preflightFlops();

    /** Largest worker memory a job may need, in MiB, by the preflight estimate; larger jobs are refused (422). */
    @WithDefault("16384")
    long maxJobMemoryMib();

    /**
     * Backend of jobs that ask for none ({@code compute.backend=auto}): auto (chosen from the preflight estimate among
     * the enabled backends), local, kubernetes or kubeflow.
     */
    @WithDefault("auto")
    String backend();

    /** Longest estimated CPU run (seconds) an automatic choice keeps local when a GPU backend is enabled. */
    @WithDefault("1800")
    double localMaxSeconds();

    /** Memory of one GPU of the cluster's GPU nodes, in MiB (80 GiB: A100/H100 80GB). */
    @WithDefault("81920")
    long gpuMemoryMib();

    /** GPUs of one GPU node (a kubeflow job's processes per node at most). */
    @WithDefault("8")
    int gpusPerNode();

    /** Nodes one kubeflow job may span. */
    @WithDefault("4")
    int maxNodes();

    /** The kubernetes backend: one batch/v1 Job per training job. */
    Kubernetes kubernetes();

    /** The kubeflow backend: a Kubeflow Trainer TrainJob per training job. */
    Kubeflow kubeflow();

    /** Where and how cluster jobs run ({@code tailor.training.kubernetes.*}); also used by TrainJobs. */
    interface Kubernetes {
        /** Offer the kubernetes backend (needs RBAC for jobs and pods: deploy/k8s/base/training-rbac.yaml). */
        @WithDefault("false")
        boolean enabled();

        /** Namespace of the jobs; default: the client's (the service's own namespace in a pod). */
        Optional<String> namespace();

        /** Image of the training worker (deploy/worker: the GPU flavour with the CUDA build of libtorch). */
        @WithDefault("tailor/training-worker-gpu:0.1.0-SNAPSHOT")
        String image();

        /** Kueue LocalQueue the jobs are submitted to (label kueue.x-k8s.io/queue-name); none: not suspended. */
        Optional<String> queueName();

        /** PriorityClass of the worker pods. */
        Optional<String> priorityClass();

        /** Node selector of the worker pods, {@code key=value} each, e.g. {@code tailor.dev/node-pool=gpu}. */
        Optional<List<String>> nodeSelector();

        /**
         * Tolerations of the worker pods, each {@code key[=value]:Effect} (no value: operator Exists), e.g.
         * {@code nvidia.com/gpu:NoSchedule}.
         */
        @WithDefault("nvidia.com/gpu:NoSchedule")
        List<String> tolerations();

        /** Affinity of the worker pods as JSON (a core/v1 Affinity). */
        Optional<String> affinity();

        /** Extended resource name of a GPU. */
        @WithDefault("nvidia.com/gpu")
        String gpuResource();

        /** CPU request and limit of a worker pod. */
        @WithDefault("4")
        String cpu();

        /** Memory request and limit of a worker pod (host memory: the JVM, tokenizer and the checkpoint loader). */
        @WithDefault("32Gi")
        String memory();

        /** Size of the pod's scratch volume (downloaded base model, local checkpoints). */
        @WithDefault("100Gi")
        String scratch();

        /**
         * Secret with the workers' S3 and Kafka credentials (keys TAILOR_STORAGE_ACCESS_KEY,
         * TAILOR_STORAGE_SECRET_KEY, and optionally KAFKA_SASL_JAAS_CONFIG): referenced, never copied into a spec.
         */
        @WithDefault("tailor-s3-credentials")
        String credentialsSecret();

        /** Kafka bootstrap servers as seen from the worker pods (they publish their own progress). */
        @WithDefault("${kafka.bootstrap.servers}")
        String kafkaBootstrapServers();

        /** Service account of the worker pods. */
        Optional<String> serviceAccount();

        /** Retries of a failing worker (disruptions and preemptions do not count: podFailurePolicy). */
        @WithDefault("2")
        int backoffLimit();

        /** Seconds a finished Job (and its pods) stays for inspection before Kubernetes deletes it. */
        @WithDefault("86400")
        int ttlSecondsAfterFinished();

        /** Seconds a preempted worker has to save its checkpoint to S3. */
        @WithDefault("120")
        long terminationGracePeriodSeconds();

        /** Deployment the jobs are owned by (garbage-collected with it), usually this service's; none: no owner. */
        Optional<String> ownerDeployment();
    }

    /** The kubeflow backend ({@code tailor.training.kubeflow.*}); placement settings come from kubernetes.*. */
    interface Kubeflow {
        /** Offer the kubeflow backend (needs Kubeflow Trainer v2 and a torch-distributed ClusterTrainingRuntime). */
        @WithDefault("false")
        boolean enabled();

        /** The ClusterTrainingRuntime a TrainJob refers to. */
        @WithDefault("torch-distributed")
        String runtime();

        /** The trainer's published image (axolotl, pinned). */
        @WithDefault("axolotlai/axolotl:0.18.0")
        String image();
    }
}
