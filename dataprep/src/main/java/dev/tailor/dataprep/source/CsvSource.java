package dev.tailor.dataprep.source;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.RecordRejected;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.fields.FieldMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV/TSV with a header row. Each row becomes a JSON object keyed by the lower-cased header names and
 * goes through the same {@link FieldMapper} as JSONL (so question/answer, prompt/completion or a
 * configured mapping work). Quoted fields may span lines; a broken quote ends the file with a
 * rejection naming the line.
 */
public final class CsvSource implements Iterator<ParseResult> {
    private final String file;
    private final FieldMapper mapper;
    private final CSVParser parser;
    private final Iterator<CSVRecord> rows;
    private final List<String> header;
    private long lastLine = 1;
    private boolean failed;

    public CsvSource(InputStream in, String file, FieldMapper mapper, Character delimiter) {
        this.file = file;
        this.mapper = mapper;
        try {
            BufferedInputStream bin = new BufferedInputStream(in, 65536);
            char d = delimiter != null ? delimiter : sniffDelimiter(bin);
            Reader reader = new InputStreamReader(bin, StandardCharsets.UTF_8);
            this.parser = CSVFormat.RFC4180.builder().setDelimiter(d).setHeader().setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(true).get().parse(reader);
            this.header = parser.getHeaderNames().stream().map(h -> h.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT)).toList();
            this.rows = parser.iterator();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CSV header of " + file + ": " + e.getMessage(), e);
        }
    }

    static char sniffDelimiter(BufferedInputStream in) throws IOException {
        in.mark(8192);
        byte[] b = in.readNBytes(8192);
        in.reset();
        String first = new String(b, StandardCharsets.UTF_8).split("\r?\n", 2)[0];
        char best = ',';
        long bestCount = 0;
        for (char d : new char[] {',', '\t', ';', '|'}) {
            long c = first.chars().filter(ch -> ch == d).count();
            if (c > bestCount) {
                best = d;
                bestCount = c;
            }
        }
        return best;
    }

    @Override
    public boolean hasNext() {
        if (failed) {
            return false;
        }
        try {
            return rows.hasNext();
        } catch (UncheckedIOException | IllegalStateException e) {
            failed = true;
            pendingError = e.getMessage();
            return true;
        }
    }

    private String pendingError;

    @Override
    public ParseResult next() {
        SourceRef src = SourceRef.line(file, lastLine + 1);
        if (pendingError != null) {
            String msg = pendingError;
            pendingError = null;
            return ParseResult.rejected(src, "malformed-csv", "CSV cannot be parsed from line " + src.line()
                    + " on (the rest of the file is skipped): " + msg + "; check quoting", null);
        }
        CSVRecord row;
        try {
            row = rows.next();
        } catch (UncheckedIOException | IllegalStateException e) {
            failed = true;
            return ParseResult.rejected(src, "malformed-csv", "CSV cannot be parsed from line " + src.line() + " on: " + e.getMessage(), null);
        }
        lastLine = parser.getCurrentLineNumber();
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < Math.min(header.size(), row.size()); i++) {
            if (!header.get(i).isEmpty()) {
                node.put(header.get(i), row.get(i));
            }
        }
        if (row.size() != header.size()) {
            return ParseResult.rejected(src, "malformed-csv", "row has " + row.size() + " fields, the header has " + header.size(), String.join(",", row.values()));
        }
        try {
            return ParseResult.ok(mapper.map(node, src), false);
        } catch (RecordRejected e) {
            return ParseResult.rejected(src, e.rule(), e.getMessage(), String.join(",", row.values()));
        }
    }
}
