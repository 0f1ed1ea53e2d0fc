package dev.tailor.training.service;

import dev.tailor.training.domain.BackendKind;
import dev.tailor.training.domain.JobRecord;
import java.util.List;

/**
 * Where workers run: a local process, a Kubernetes Job, a Kubeflow TrainJob. The controller hands a backend the jobs
 * placed on it and hears back through {@link JobEvents}; the REST API, the events and the job states are the same
 * for every backend. Implementations are CDI beans outside this package (so that use cases never depend on them).
 */
public interface TrainingBackend {

    BackendKind kind();

    /** Whether this platform offers the backend (its setting). */
    boolean enabled();

    /**
     * Starts the job (or queues it); must not block on the training. Reports through {@code events}.
     *
     * @throws IllegalStateException when the backend cannot take it now (queue full); the job is then refused
     */
    void submit(JobRecord job, JobEvents events);

    /** Asks the job to stop; {@link JobEvents#finished} with CANCELLED follows, or the controller finishes it. */
    void cancel(JobRecord job);

    /**
     * The jobs this backend still runs that an earlier controller started (found by label in the cluster), now
     * reporting to {@code events}; the controller knows them from their records and does not start them again.
     */
    List<String> adopt(JobEvents events);

    /** The exact objects {@link #submit} would create for the job, as YAML (multi-document). */
    String render(JobRecord job);

    /** The service stops: local workers checkpoint and exit; cluster jobs go on and are adopted on the next start. */
    void shutdown();

    /**
     * The job's dataset was erased: delete what this backend keeps of the job outside S3 (a local worker's folder
     * with its downloaded splits, checkpoints and log). Nothing kept: nothing to do.
     */
    default void erase(JobRecord job) {
    }
}
