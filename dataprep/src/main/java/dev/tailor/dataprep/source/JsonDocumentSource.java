package dev.tailor.dataprep.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.RecordRejected;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.fields.FieldMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A JSON document (not JSON Lines), read as a stream one record at a time: a top-level array of records
 * ({@code [{…}, {…}]}), or an object that holds its records in an array under a name the field mapper does not read as
 * content ({@code {"tickets": [{…}, …], "count": 2}}: a ticket export; the object's other fields are its envelope), or
 * else one pretty-printed record. Each record's line is where it starts. A syntax error ends the document with one
 * rejection at its line (the records before it are kept).
 */
public final class JsonDocumentSource implements Iterator<ParseResult> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final JsonParser parser;
    private final String file;
    private final FieldMapper mapper;
    private final Deque<ParseResult> ready = new ArrayDeque<>();
    /** Reading the elements of a top-level array, or of an object's array of records (then the object's end follows). */
    private boolean inArray;
    private boolean inObject;
    private boolean done;

    public JsonDocumentSource(InputStream in, String file, FieldMapper mapper) {
        this.file = file;
        this.mapper = mapper;
        try {
            this.parser = MAPPER.createParser(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && !done) {
            try {
                step();
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                ready.add(ParseResult.rejected(SourceRef.line(file, at == null ? line() : at.getLineNr()), "malformed-json",
                        "not valid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                        + ": " + e.getOriginalMessage() + "; the rest of the document is skipped, fix it and upload again", null));
                done = true;
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file + " at line " + line() + ": " + e.getMessage(), e);
            }
        }
        return !ready.isEmpty();
    }

    @Override
    public ParseResult next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    private long line() {
        return Math.max(1, parser.currentTokenLocation().getLineNr());
    }

    /** Reads up to the next record (or the end of a value). */
    private void step() throws IOException {
        JsonToken t = parser.nextToken();
        if (inArray) {
            if (t == JsonToken.END_ARRAY) {
                inArray = false;
                if (inObject) { // the envelope's fields after the records
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        parser.nextToken();
                        parser.skipChildren();
                    }
                    inObject = false;
                }
                return;
            }
            if (t == null) {
                throw new com.fasterxml.jackson.core.io.JsonEOFException(parser, null, "the document ends inside an array");
            }
            long line = line();
            ready.add(map(MAPPER.readTree(parser), line));
            return;
        }
        if (t == null) {
            done = true;
        } else if (t == JsonToken.START_ARRAY) {
            inArray = true;
        } else if (t == JsonToken.START_OBJECT) {
            object(line());
        } else {
            ready.add(ParseResult.rejected(SourceRef.line(file, line()), "not-an-object", "expected a JSON object or an"
                    + " array of objects, got " + t.asString(), parser.getText()));
        }
    }

    /**
     * At the start of a top-level object: its records array is entered (its first record read), or the object is read
     * whole as one record.
     */
    private void object(long line) throws IOException {
        ObjectNode whole = MAPPER.createObjectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_ARRAY && !mapper.readsField(name)) {
                JsonToken first = parser.nextToken();
                if (first == JsonToken.START_OBJECT) { // the records
                    long at = line();
                    ready.add(map(MAPPER.readTree(parser), at));
                    inArray = true;
                    inObject = true;
                    return;
                }
                ArrayNode values = whole.putArray(name);
                for (JsonToken e = first; e != JsonToken.END_ARRAY; e = parser.nextToken()) {
                    if (e == null) {
                        throw new com.fasterxml.jackson.core.io.JsonEOFException(parser, null, "the document ends inside an array");
                    }
                    values.add(MAPPER.<JsonNode>readTree(parser));
                }
            } else {
                whole.set(name, MAPPER.readTree(parser));
            }
        }
        ready.add(map(whole, line));
    }

    private ParseResult map(JsonNode node, long line) {
        SourceRef src = SourceRef.line(file, line);
        try {
            return ParseResult.ok(mapper.map(node, src), false);
        } catch (RecordRejected e) {
            return ParseResult.rejected(src, e.rule(), e.getMessage(), node.toString());
        }
    }
}
