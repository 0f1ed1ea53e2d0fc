package dev.tailor.training.domain;

/**
 * A training request that cannot be run as asked, with the HTTP status that says why: 400 bad parameters,
 * 404 unknown dataset, 422 unusable base model or a job too large for a worker, 429 queue full.
 *
 * @param field the request field at fault, or null
 */
public final class JobRejected extends RuntimeException {
    private final int status;
    private final String title;
    private final String field;

    public JobRejected(int status, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }
}
