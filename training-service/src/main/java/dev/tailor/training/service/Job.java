package dev.tailor.training.service;

import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.JobState;
import dev.tailor.training.domain.Placement;
import dev.tailor.training.domain.Preflight;
import dev.tailor.training.worker.WorkerReport;
import dev.tailor.training.worker.WorkerSpec;
import java.time.Instant;

/** A job known to this controller: its spec, placement and latest state, updated by its backend's reports. */
final class Job {
    final WorkerSpec spec;
    final Preflight preflight;
    final Placement placement;
    final Instant createdAt;
    volatile JobState state;
    volatile String message;
    /** Latest report with progress (a step). */
    volatile WorkerReport last;
    volatile Instant updatedAt;
    volatile boolean cancelRequested;
    /** Workers of this job that died and were replaced, and why the last one died. */
    volatile int retries;
    volatile String lastFailure;

    Job(WorkerSpec spec, Preflight preflight, Placement placement, JobState state, Instant createdAt) {
        this.spec = spec;
        this.preflight = preflight;
        this.placement = placement;
        this.state = state;
        this.createdAt = createdAt;
        this.updatedAt = Instant.now();
    }

    static Job of(JobRecord r) {
        Job job = new Job(r.spec(), r.preflight(), r.placement(), r.jobState(), r.createdAt());
        job.message = r.message();
        job.updatedAt = r.updatedAt() != null ? r.updatedAt() : r.createdAt();
        job.retries = r.retries();
        job.lastFailure = r.lastFailure();
        return job;
    }

    void update(JobState newState, String newMessage) {
        state = newState;
        message = newMessage;
        updatedAt = Instant.now();
    }

    JobRecord record() {
        return new JobRecord(spec, state.name(), message, preflight, createdAt, updatedAt, placement, retries,
                lastFailure);
    }

    JobView view(String adapterUri) {
        WorkerReport r = last;
        return new JobView(spec.jobId(), spec.modelId(), state.name(), spec.datasetId(), spec.datasetVersion(),
                spec.baseModel(), spec.params(), r == null ? 0 : r.step(),
                r == null ? preflight == null ? 0 : preflight.totalSteps() : r.totalSteps(),
                r == null ? 0 : r.epoch(), r == null ? null : r.loss(), r == null ? null : r.validationLoss(),
                r == null ? null : r.learningRate(), r == null ? null : r.tokensPerSecond(),
                r == null ? null : r.etaSeconds(), message, state == JobState.SUCCEEDED ? adapterUri : null,
                preflight, placement, createdAt, updatedAt, retries + 1, lastFailure);
    }
}
