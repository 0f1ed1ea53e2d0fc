package dev.tailor.training.domain;

import dev.tailor.common.values.RequestRejected;

/**
 * A training request that cannot be run as asked (UNPROCESSABLE: the base model cannot be used, or the job is too
 * large for a worker; BUSY: the queue is full).
 */
public final class JobRejected extends RequestRejected {
    /** @param field the request field at fault, or null */
    public JobRejected(Reason reason, String title, String detail, String field) {
        super(reason, title, detail, field);
    }
}
