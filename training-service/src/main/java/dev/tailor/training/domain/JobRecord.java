package dev.tailor.training.domain;

import dev.tailor.training.worker.WorkerSpec;
import java.time.Instant;
import java.util.Objects;

/**
 * A job as stored in S3 next to its output ({@code ObjectLayout.jobRecord}: {@code models/tuned/{modelId}/job.json}),
 * so that a restarted controller finds the jobs it has to resume or re-adopt, and lists every job.
 *
 * @param placement where it runs (null in records of the first version: local)
 */
public record JobRecord(WorkerSpec spec, String state, String message, Preflight preflight, Instant createdAt,
                        Instant updatedAt, Placement placement) {

    public JobRecord {
        Objects.requireNonNull(spec, "spec");
        JobState.valueOf(state);
    }

    public JobState jobState() {
        return JobState.valueOf(state);
    }

    /** The backend it runs on (local for records without a placement). */
    public BackendKind backend() {
        return placement == null ? BackendKind.LOCAL : placement.backend();
    }

    public JobRecord withState(JobState newState, String newMessage) {
        return new JobRecord(spec, newState.name(), newMessage, preflight, createdAt, Instant.now(), placement);
    }
}
