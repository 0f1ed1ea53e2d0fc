package dev.tailor.eval.domain.request;

/**
 * An evaluation that cannot be asked for as it is: why (the API maps the reason to a status), a title, a detail
 * a person can act on and the request field it is about (null when none).
 */
public final class EvalRejected extends RuntimeException {

    /** Why, independent of HTTP. */
    public enum Reason { INVALID, NOT_FOUND, UNPROCESSABLE, BUSY }

    private final Reason reason;
    private final String title;
    private final String field;

    public EvalRejected(Reason reason, String title, String detail, String field) {
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
