package dev.tailor.cleaning.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Iterator;

/** JSON Lines, one object per line, read a line at a time. */
public final class JsonlSource implements Iterator<Parsed> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final LineReader lines;
    private final FieldMapper mapper;
    private final int maxLineBytes;

    public JsonlSource(InputStream in, String file, FieldMapper mapper, int maxLineBytes) {
        this.lines = new LineReader(in, file, maxLineBytes);
        this.mapper = mapper;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public boolean hasNext() {
        return lines.hasNext();
    }

    @Override
    public Parsed next() {
        RawRecord r = lines.next();
        SourceRef src = r.source();
        if (r.tooLong()) {
            return Parsed.rejected(src, "line-too-long", "line at byte " + r.offset() + " is longer than maxLineBytes=" + maxLineBytes, null);
        }
        String text = r.text();
        if (text.isBlank()) {
            return Parsed.rejected(src, "empty-line", "blank line", null);
        }
        if (Binary.looksBinary(text)) {
            return Parsed.rejected(src, "binary", "line at byte " + r.offset() + " contains binary data (NUL or control bytes)", null);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            return Parsed.rejected(src, "malformed-json", "not valid JSON" + (loc == null ? "" : " at column " + loc.getColumnNr())
                    + ": " + e.getOriginalMessage() + "; fix or remove the line", text);
        }
        try {
            return Parsed.ok(mapper.map(node, src), r.encodingRepaired());
        } catch (RecordRejected e) {
            return Parsed.rejected(src, e.rule(), e.getMessage(), text);
        }
    }
}
