package dev.tailor.dataprep.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.RecordRejected;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.fields.FieldMapper;
import dev.tailor.dataprep.text.BinaryDetector;
import java.io.InputStream;
import java.util.Iterator;

/** JSON Lines, one object per line, read a line at a time. */
public final class JsonlSource implements Iterator<ParseResult> {
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
    public ParseResult next() {
        RawRecord r = lines.next();
        SourceRef src = r.source();
        if (r.tooLong()) {
            return ParseResult.rejected(src, "line-too-long", "line at byte " + r.offset() + " is longer than maxLineBytes=" + maxLineBytes, null);
        }
        String text = r.text();
        if (text.isBlank()) {
            return ParseResult.rejected(src, "empty-line", "blank line", null);
        }
        if (BinaryDetector.looksBinary(text)) {
            return ParseResult.rejected(src, "binary", "line at byte " + r.offset() + " contains binary data (NUL or control bytes)", null);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            return ParseResult.rejected(src, "malformed-json", "not valid JSON" + (loc == null ? "" : " at column " + loc.getColumnNr())
                    + ": " + e.getOriginalMessage() + "; fix or remove the line", text);
        }
        try {
            return ParseResult.ok(mapper.map(node, src), r.encodingRepaired());
        } catch (RecordRejected e) {
            return ParseResult.rejected(src, e.rule(), e.getMessage(), text);
        }
    }
}
