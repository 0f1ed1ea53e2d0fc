package dev.tailor.dataprep.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.example.Notes;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.RecordRejected;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.fields.FieldMapper;
import dev.tailor.dataprep.text.BinaryDetector;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * JSON Lines, one object per line, read a line at a time. A line holding several JSON values one after the other
 * ({@code {…}{…}} or {@code {…} {…}}: concatenated JSON) is as many records, each noted ({@value #CONCATENATED});
 * what follows the last complete value on a line, when it is not JSON, is a rejected record, never ignored.
 */
public final class JsonlSource implements Iterator<ParseResult> {
    /** The note of a record that shared its line with other JSON values. */
    static final String CONCATENATED = "jsonl.several-values-on-one-line";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final LineReader lines;
    private final FieldMapper mapper;
    private final int maxLineBytes;
    private final Notes notes;
    private final Deque<ParseResult> ready = new ArrayDeque<>();

    public JsonlSource(InputStream in, String file, FieldMapper mapper, int maxLineBytes) {
        this(in, file, mapper, maxLineBytes, Notes.NONE);
    }

    /** @param notes where records that shared a line with other values are noted */
    public JsonlSource(InputStream in, String file, FieldMapper mapper, int maxLineBytes, Notes notes) {
        this.lines = new LineReader(in, file, maxLineBytes);
        this.mapper = mapper;
        this.maxLineBytes = maxLineBytes;
        this.notes = notes;
    }

    @Override
    public boolean hasNext() {
        return !ready.isEmpty() || lines.hasNext();
    }

    @Override
    public ParseResult next() {
        if (ready.isEmpty()) {
            read(lines.next());
        }
        return ready.poll();
    }

    /** Parses one line into the records it holds (one, or several values, or a rejection). */
    private void read(RawRecord r) {
        SourceRef src = r.source();
        if (r.tooLong()) {
            ready.add(ParseResult.rejected(src, "line-too-long", "line at byte " + r.offset() + " is longer than maxLineBytes=" + maxLineBytes, null));
            return;
        }
        String text = r.text();
        if (text.isBlank()) {
            ready.add(ParseResult.rejected(src, "empty-line", "blank line", null));
            return;
        }
        if (BinaryDetector.looksBinary(text)) {
            ready.add(ParseResult.rejected(src, "binary", "line at byte " + r.offset() + " contains binary data (NUL or control bytes)", null));
            return;
        }
        int values = 0;
        try (JsonParser p = MAPPER.createParser(text)) {
            for (JsonNode node = p.nextToken() == null ? null : MAPPER.readTree(p); node != null;
                    node = p.nextToken() == null ? null : MAPPER.readTree(p)) {
                values++;
                ready.add(map(node, src, r.encodingRepaired(), text));
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            ready.add(ParseResult.rejected(src, "malformed-json", "not valid JSON" + (loc == null ? "" : " at column " + loc.getColumnNr())
                    + (values == 0 ? "" : " (after " + values + " complete value" + (values == 1 ? "" : "s") + " on this line, kept as records)")
                    + ": " + e.getOriginalMessage() + "; fix or remove the line", text));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (values > 1) {
            for (int i = 0; i < values; i++) {
                notes.note(CONCATENATED, src.toString(), values + " JSON values on one line (concatenated JSON): each is a record", null);
            }
        }
    }

    private ParseResult map(JsonNode node, SourceRef src, boolean encodingRepaired, String text) {
        try {
            return ParseResult.ok(mapper.map(node, src), encodingRepaired);
        } catch (RecordRejected e) {
            return ParseResult.rejected(src, e.rule(), e.getMessage(), text);
        }
    }
}
