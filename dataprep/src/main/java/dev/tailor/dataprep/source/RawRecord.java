package dev.tailor.dataprep.source;

import dev.tailor.dataprep.example.SourceRef;

/**
 * One unit read from an input before parsing: a line of a JSONL file (1-based {@code line}, byte
 * {@code offset} of its start) with the text decoded, or a note that it could not be decoded.
 *
 * @param encodingRepaired true when the bytes were not valid UTF-8 and were decoded as windows-1252
 * @param tooLong true when the line exceeded the configured maximum and was skipped unread
 */
public record RawRecord(String file, long line, long offset, String text, boolean encodingRepaired, boolean tooLong) {
    public SourceRef source() {
        return SourceRef.line(file, line);
    }
}
