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
    @WithDefault("${java.io.tmpdir}/tailor-training")
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

    /** Resume jobs that were queued or running when the service stopped (from their last checkpoint in S3). */
    @WithDefault("true")
    boolean resumeOnStartup();

    /** Sustained floating-point throughput assumed by the preflight time estimate (FLOP/s). */
    @WithDefault("5e10")
    double preflightFlops();

    /** Largest worker memory a job may need, in MiB, by the preflight estimate; larger jobs are refused (422). */
    @WithDefault("16384")
    long maxJobMemoryMib();
}
