package dev.tailor.dataprep.source;

import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.SourceRef;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Every source's records pass through here ({@link SourceOpener}), so that a bad record is a rejected record, never
 * a failed dataset: a record whose parsing throws (a parser's bug, a {@link StackOverflowError} on crafted input) is
 * rejected with rule {@value #PARSE_ERROR} naming the file, the line and the error, and the source goes on; a source
 * that cannot say whether it has more records stops with one rejection ({@value #SOURCE_ERROR}) instead of the run.
 * A record whose text holds U+FFFD (bytes that no decoder could read were replaced) is rejected with rule
 * {@value #INVALID_BYTES}: replacement characters never reach training data.
 */
public final class RecordGuard implements Iterator<ParseResult> {
    static final String PARSE_ERROR = "parse-error";
    static final String SOURCE_ERROR = "source-error";
    static final String INVALID_BYTES = "invalid-bytes";

    private final Iterator<ParseResult> records;
    private final String file;
    private long lastLine;
    private ParseResult pending;
    private boolean stopped;

    RecordGuard(Iterator<ParseResult> records, String file) {
        this.records = records;
        this.file = file;
    }

    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        if (stopped) {
            return false;
        }
        try {
            return records.hasNext();
        } catch (RuntimeException | StackOverflowError e) {
            stopped = true;
            pending = ParseResult.rejected(SourceRef.line(file, lastLine + 1), SOURCE_ERROR, "reading " + file + " failed after"
                    + " line " + lastLine + " (" + describe(e) + "); the rest of this file is skipped, the other inputs are read", null);
            return true;
        }
    }

    @Override
    public ParseResult next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (pending != null) {
            ParseResult p = pending;
            pending = null;
            return p;
        }
        ParseResult p;
        try {
            p = records.next();
        } catch (RuntimeException | StackOverflowError e) {
            return ParseResult.rejected(SourceRef.line(file, lastLine + 1), PARSE_ERROR, "the record after line " + lastLine
                    + " could not be parsed (" + describe(e) + "); it is skipped, the rest of the file is read", null);
        }
        lastLine = Math.max(lastLine, p.source().line());
        if (p.isOk() && p.example().allText().indexOf('\uFFFD') >= 0) {
            return ParseResult.rejected(p.source(), INVALID_BYTES, "the record holds bytes that are not valid UTF-8 (or"
                    + " windows-1252) and would reach training data as U+FFFD replacement characters; re-export the file"
                    + " as UTF-8", p.example().allText());
        }
        return p;
    }

    /** An error in a few words: its type and message (a stack overflow has none), clipped. */
    public static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + (m.length() > 200 ? m.substring(0, 200) + "…" : m));
    }
}
