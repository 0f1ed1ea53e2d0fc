package dev.tailor.ingest.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What a synced source pulls from, and the connection settings each kind needs. */
public enum SourceKind {
    /** An IMAP mailbox: new messages (by UID, per folder) as one mbox per version. */
    IMAP(List.of("host", "user"), true),
    /** An SQL query over JDBC: new rows (by a cursor column) as JSONL. */
    JDBC(List.of("url", "query", "cursorColumn", "cursorStart"), false),
    /** An S3 prefix: new or changed objects (by key and ETag). */
    S3(List.of("endpoint", "bucket"), false),
    /** A Kafka topic: records (by offset, per partition), windowed into versions. */
    KAFKA(List.of("bootstrapServers", "topic"), false);

    private final List<String> required;
    private final boolean needsCredentials;

    SourceKind(List<String> required, boolean needsCredentials) {
        this.required = required;
        this.needsCredentials = needsCredentials;
    }

    /** Connection settings a source of this kind must have. */
    public List<String> required() {
        return required;
    }

    /** Whether a source of this kind cannot connect without a {@code credentialsRef}. */
    public boolean needsCredentials() {
        return needsCredentials;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code value} (any case), or an INVALID failure listing the kinds. */
    public static SourceKind of(String value) {
        for (SourceKind k : values()) {
            if (k.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return k;
            }
        }
        throw new IngestFailure(IngestFailure.Reason.INVALID, "Unknown source kind", "kind '" + value + "' is not one"
                + " of " + names()).with("field", "kind").with("validKinds", names());
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(SourceKind::id).toList();
    }
}
