package dev.tailor.ingest.connector;

import dev.tailor.ingest.domain.SourceSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Pulls what is new in a source since a cursor, as one file the upload pipeline reads (mbox, JSONL, an object, a
 * zip of objects), and the cursor after it. A pull changes nothing at the source: the cursor is stored by the caller
 * once the version is stored, so a pull that is repeated from the same cursor gives the same bytes (the content
 * index then recognises the copy). An unreachable source or refused login is an UPSTREAM
 * {@link dev.tailor.ingest.domain.IngestFailure}.
 */
public interface Connector {
    /** Limits of one pull: most records, and how long connecting and reading may take. */
    record Limits(int maxRecords, Duration timeout) {
    }

    /**
     * What a pull found: the file (null when nothing is new), its name and media type, how many records it holds,
     * and the cursor after it (to store when the file became a version, or when nothing was new).
     */
    record Pull(byte[] data, String fileName, String contentType, int records, Map<String, String> cursor) {
        public Pull {
            cursor = Map.copyOf(cursor);
        }

        public static Pull nothing(Map<String, String> cursor) {
            return new Pull(null, null, null, 0, cursor);
        }

        public boolean empty() {
            return data == null || records == 0;
        }
    }

    Pull pull(SourceSpec spec, Map<String, String> cursor, Optional<String> secret, Limits limits);

    /** Refuses (INVALID) connection settings this connector cannot use, before anything connects. */
    default void check(SourceSpec spec) {
    }
}
