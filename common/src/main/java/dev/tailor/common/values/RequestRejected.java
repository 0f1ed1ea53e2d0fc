package dev.tailor.common.values;

/**
 * A request a service cannot carry out as asked, independent of HTTP: why ({@link Reason}; each API maps it to a
 * status in its own error shape), a short title, a detail that says what to change, and the request field at fault.
 */
public abstract class RequestRejected extends RuntimeException {
    /** Why a request was rejected. */
    public enum Reason {
        /** Bad parameters or a malformed request. */
        INVALID,
        /** Something the request names (a dataset, version, job, model) does not exist. */
        NOT_FOUND,
        /** Well-formed, but it cannot be done with what it names (e.g. too large for a worker). */
        UNPROCESSABLE,
        /** No room now (a full queue): retry later. */
        BUSY,
        /** Not in this state: what it names is already finished (e.g. cancelling a job that ended). */
        CONFLICT
    }

    private final Reason reason;
    private final String title;
    private final String field;

    /** @param field the request field at fault, or null */
    protected RequestRejected(Reason reason, String title, String detail, String field) {
        super(detail);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
        this.title = java.util.Objects.requireNonNull(title, "title");
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
