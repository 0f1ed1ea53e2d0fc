package dev.tailor.training.domain;

/**
 * A training request that cannot be run as asked: why ({@link Reason}; the API maps it to an HTTP status), a short
 * title, a detail that says what to change, and the request field at fault.
 */
public final class JobRejected extends RuntimeException {
    /** Why a request was rejected. */
    public enum Reason {
        /** Bad parameters or a malformed request. */
        INVALID,
        /** The dataset, version or job it names does not exist. */
        NOT_FOUND,
        /** The base model cannot be used, or the job is too large for a worker. */
        UNPROCESSABLE,
        /** The queue is full: retry later. */
        BUSY
    }

    private final Reason reason;
    private final String title;
    private final String field;

    /** @param field the request field at fault, or null */
    public JobRejected(Reason reason, String title, String detail, String field) {
        super(detail);
        this.reason = reason;
        this.title = title;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }
}
