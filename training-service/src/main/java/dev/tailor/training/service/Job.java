package dev.tailor.training.service;

import dev.tailor.training.domain.JobState;
import dev.tailor.training.domain.Preflight;
import dev.tailor.training.worker.WorkerReport;
import dev.tailor.training.worker.WorkerSpec;
import java.time.Instant;

/** A job known to this controller: its spec and its latest state, updated by the thread that runs it. */
final class Job {
    final WorkerSpec spec;
    final Preflight preflight;
    final Instant createdAt;
    /** Who the job is for (audit, manifests), or null. */
    final String principal;
    volatile JobState state;
    volatile String message;
    /** Latest report with progress (a step); the worker's end report when it carries one. */
    volatile WorkerReport last;
    /** The worker's end report (SUCCEEDED, FAILED or CANCELLED), once it has sent it. */
    volatile WorkerReport outcome;
    volatile Instant updatedAt;
    volatile boolean cancelRequested;
    volatile Process process;

    Job(WorkerSpec spec, Preflight preflight, JobState state, Instant createdAt, String principal) {
        this.spec = spec;
        this.principal = principal;
        this.preflight = preflight;
        this.state = state;
        this.createdAt = createdAt;
        this.updatedAt = Instant.now();
    }

    void update(JobState newState, String newMessage) {
        state = newState;
        message = newMessage;
        updatedAt = Instant.now();
    }

    JobView view(String adapterUri) {
        WorkerReport r = last;
        return new JobView(spec.jobId(), spec.modelId(), state.name(), spec.datasetId(), spec.datasetVersion(),
                spec.baseModel(), spec.params(), r == null ? 0 : r.step(),
                r == null ? preflight == null ? 0 : preflight.totalSteps() : r.totalSteps(),
                r == null ? 0 : r.epoch(), r == null ? null : r.loss(), r == null ? null : r.validationLoss(),
                r == null ? null : r.learningRate(), r == null ? null : r.tokensPerSecond(),
                r == null ? null : r.etaSeconds(), message, state == JobState.SUCCEEDED ? adapterUri : null,
                preflight, createdAt, updatedAt);
    }
}
