package dev.tailor.ingest.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An upload or ingest request that cannot be accepted, with the HTTP status it maps to, a short title,
 * a detail that says what was wrong and what to do, and extra fields (file, line, offset…).
 */
public final class IngestFailure extends RuntimeException {
    private final int status;
    private final String title;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public IngestFailure(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public IngestFailure with(String key, Object value) {
        if (value != null) {
            extra.put(key, value);
        }
        return this;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extra() {
        return extra;
    }
}
