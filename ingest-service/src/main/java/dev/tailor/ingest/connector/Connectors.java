package dev.tailor.ingest.connector;

import dev.tailor.ingest.domain.SourceKind;

/** The connector of each source kind, and small helpers they share. */
public final class Connectors {
    private Connectors() {
    }

    public static Connector of(SourceKind kind) {
        return switch (kind) {
            case IMAP -> new ImapConnector();
            case JDBC -> new JdbcConnector();
            case S3 -> new S3PrefixConnector();
            case KAFKA -> new KafkaConnector();
        };
    }

    /** The innermost cause of {@code e}, as "Type: message" (what a user can act on: refused, timed out, unknown host). */
    static String cause(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
