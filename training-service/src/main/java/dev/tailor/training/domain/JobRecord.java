package dev.tailor.training.domain;

import dev.tailor.training.worker.WorkerSpec;
import java.time.Instant;
import java.util.Objects;

/**
 * A job as stored in S3 next to its output ({@code ObjectLayout.jobRecord}: {@code models/tuned/{modelId}/job.json}),
 * so that a restarted controller finds the jobs it has to resume or re-adopt, and lists every job.
 *
 * @param placement   where it runs (null in records of the first version: local)
 * @param retries     how many times a dead worker of this job was replaced (0 in records without it)
 * @param lastFailure why its last worker died, or null
 */
public record JobRecord(WorkerSpec spec, String state, String message, Preflight preflight, Instant createdAt,
                        Instant updatedAt, Placement placement, int retries, String lastFailure) {

    public JobRecord {
        Objects.requireNonNull(spec, "spec");
        JobState.valueOf(state);
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more, not " + retries);
        }
    }

    /** A job none of whose workers died (yet). */
    public JobRecord(WorkerSpec spec, String state, String message, Preflight preflight, Instant createdAt,
                     Instant updatedAt, Placement placement) {
        this(spec, state, message, preflight, createdAt, updatedAt, placement, 0, null);
    }

    public JobState jobState() {
        return JobState.valueOf(state);
    }

    /** The backend it runs on (local for records without a placement). */
    public BackendKind backend() {
        return placement == null ? BackendKind.LOCAL : placement.backend();
    }

    public JobRecord withState(JobState newState, String newMessage) {
        return new JobRecord(spec, newState.name(), newMessage, preflight, createdAt, Instant.now(), placement, retries,
                lastFailure);
    }
}
