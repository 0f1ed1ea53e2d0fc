package dev.tailor.ingest.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An upload or ingest request that cannot be accepted: what kind of failure it is ({@link Reason}; the API maps it
 * to an HTTP status), a short title, a detail that says what was wrong and what to do, and extra fields (file,
 * line, offset…).
 */
public final class IngestFailure extends RuntimeException {
    /** What went wrong, in terms of the request. */
    public enum Reason {
        /** The request is malformed or names something invalid. */
        INVALID,
        /** The dataset it names does not exist. */
        NOT_FOUND,
        /** The upload is larger than allowed. */
        TOO_LARGE,
        /** The upload's format cannot be read. */
        UNSUPPORTED_FORMAT,
        /** The upload was read but holds nothing usable. */
        UNPROCESSABLE,
        /** The same request is already under way (a re-clean with the same settings). */
        CONFLICT,
        /** Storage or the event bus failed; nothing was kept and the request can be repeated. */
        UNAVAILABLE,
        /** A source to sync from did not answer or refused the connection; nothing was kept. */
        UPSTREAM
    }

    private final Reason reason;
    private final String title;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public IngestFailure(Reason reason, String title, String detail) {
        super(detail);
        this.reason = reason;
        this.title = title;
    }

    public IngestFailure with(String key, Object value) {
        if (value != null) {
            extra.put(key, value);
        }
        return this;
    }

    public Reason reason() {
        return reason;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extra() {
        return extra;
    }
}
