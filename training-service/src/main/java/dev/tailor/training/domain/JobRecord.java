package dev.tailor.training.domain;

import dev.tailor.training.worker.WorkerSpec;
import java.time.Instant;
import java.util.Objects;

/**
 * A job as stored in S3 next to its output ({@code ObjectLayout.jobRecord}: {@code models/tuned/{modelId}/job.json}),
 * so that a restarted controller finds the jobs it has to resume.
 *
 * @param principal who the job is for (the caller of the REST API, or the uploader of an auto-trained dataset)
 */
public record JobRecord(WorkerSpec spec, String state, String message, Preflight preflight, Instant createdAt,
                        Instant updatedAt, String principal) {

    public JobRecord {
        Objects.requireNonNull(spec, "spec");
        JobState.valueOf(state);
    }

    public JobState jobState() {
        return JobState.valueOf(state);
    }

    public JobRecord withState(JobState newState, String newMessage) {
        return new JobRecord(spec, newState.name(), newMessage, preflight, createdAt, Instant.now(), principal);
    }
}
