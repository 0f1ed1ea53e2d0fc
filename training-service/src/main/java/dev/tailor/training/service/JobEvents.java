package dev.tailor.training.service;

import dev.tailor.training.domain.JobState;
import dev.tailor.training.worker.WorkerReport;

/** What a backend tells the controller about the jobs it runs (by job id). */
public interface JobEvents {

    /** Still QUEUED: waiting for a slot, for Kueue's admission, or preempted and waiting again. */
    void queued(String jobId, String message);

    /** RUNNING: a worker started (again, after a preemption: it resumes from its last checkpoint in S3). */
    void running(String jobId, String message);

    /**
     * A worker died without a result (killed, out of memory, crashed) and a new one takes over from the last
     * checkpoint in S3.
     *
     * @param retry      1 for the first replacement
     * @param maxRetries how many replacements a job gets
     * @param reason     why the worker died
     */
    void retrying(String jobId, int retry, int maxRetries, String reason);

    /** A training step, from a worker's report. */
    void progress(String jobId, WorkerReport report);

    /**
     * The job ended.
     *
     * @param trainedAnnounced the worker published {@code model.trained} itself (cluster workers do); otherwise the
     *                         controller publishes it once the output is complete in S3
     */
    void finished(String jobId, JobState state, String message, boolean trainedAnnounced);
}
