package dev.tailor.dataprep.source;

import dev.tailor.dataprep.config.TempFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.RecordRejected;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.fields.FieldMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Parquet: random access, so the stream is spooled to a temp file (at most {@code maxBytes}, deleted when
 * the rows are read or on a failure). Rows are read one row group at a time with Parquet's example
 * {@link Group} API over {@link LocalInputFile} (no Hadoop FileSystem); each row becomes a JSON object
 * keyed by the lower-cased column names (lists become arrays, structs objects) and goes through the same
 * {@link FieldMapper} as CSV and JSONL. The source is the file and the 1-based row number.
 */
public final class ParquetSource implements Iterator<ParseResult> {
    private final String file;
    private final FieldMapper mapper;
    private final Path spool;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private RecordReader<Group> rows;
    private long left;
    private long row;
    private ParseResult pending;
    private boolean done;

    private ParquetSource(String file, FieldMapper mapper, Path spool, ParquetFileReader reader) {
        this.file = file;
        this.mapper = mapper;
        this.spool = spool;
        this.reader = reader;
        this.schema = reader.getFooter().getFileMetaData().getSchema();
    }

    /** Spools {@code in} and opens it; an unreadable file yields one rejection naming it. */
    public static Iterator<ParseResult> open(InputStream in, String file, FieldMapper mapper, long maxBytes) {
        Path spool = null;
        try {
            spool = TempFiles.create("tailor-parquet-", ".parquet");
            long n = copy(in, spool, maxBytes);
            if (n > maxBytes) {
                delete(spool);
                return SourceOpener.one(file, "too-large", "Parquet file is larger than " + maxBytes
                        + " bytes (maxArchiveBytes); split it or raise the limit");
            }
            return new ParquetSource(file, mapper, spool, ParquetFileReader.open(new LocalInputFile(spool)));
        } catch (IOException | RuntimeException e) {
            delete(spool);
            return SourceOpener.one(file, "malformed-parquet", "'" + file + "' is not a readable Parquet file ("
                    + e.getMessage() + "); check that it was written completely, or export it again");
        }
    }

    /** Copies at most {@code max} + 1 bytes of {@code in} to {@code to}; returns how many (more than max: too large). */
    private static long copy(InputStream in, Path to, long max) throws IOException {
        InputStream bounded = BoundedInputStream.builder().setInputStream(in).setMaxCount(max + 1).setPropagateClose(false).get();
        return Files.copy(bounded, to, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !done) {
            pending = advance();
        }
        return pending != null;
    }

    @Override
    public ParseResult next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ParseResult p = pending;
        pending = null;
        return p;
    }

    private ParseResult advance() {
        try {
            while (left == 0) {
                PageReadStore group = reader.readNextRowGroup();
                if (group == null) {
                    close();
                    return null;
                }
                left = group.getRowCount();
                rows = new ColumnIOFactory().getColumnIO(schema).getRecordReader(group, new GroupRecordConverter(schema));
            }
            left--;
            row++;
            SourceRef src = SourceRef.line(file, row);
            ObjectNode node = toJson(rows.read(), schema);
            try {
                return ParseResult.ok(mapper.map(node, src), false);
            } catch (RecordRejected e) {
                return ParseResult.rejected(src, e.rule(), e.getMessage(), node.toString());
            }
        } catch (IOException | RuntimeException e) {
            close();
            return ParseResult.rejected(SourceRef.line(file, row + 1), "malformed-parquet", "'" + file
                    + "' cannot be read from row " + (row + 1) + " on (the rest of the file is skipped): " + e.getMessage(), null);
        }
    }

    private void close() {
        done = true;
        try {
            reader.close();
        } catch (IOException ignored) {
            // the spool is deleted below either way
        }
        delete(spool);
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    static ObjectNode toJson(Group g, GroupType type) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int f = 0; f < type.getFieldCount(); f++) {
            Type field = type.getType(f);
            String name = field.getName().toLowerCase(Locale.ROOT);
            int n = g.getFieldRepetitionCount(f);
            if (field.isRepetition(Type.Repetition.REPEATED)) {
                ArrayNode arr = node.putArray(name);
                for (int i = 0; i < n; i++) {
                    arr.add(value(g, f, i, field));
                }
            } else if (n > 0) {
                node.set(name, value(g, f, 0, field));
            }
        }
        return node;
    }

    private static JsonNode value(Group g, int f, int i, Type field) {
        if (field.isPrimitive()) {
            return primitive(g, f, i, field.asPrimitiveType());
        }
        GroupType gt = field.asGroupType();
        Group child = g.getGroup(f, i);
        if (gt.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && gt.getFieldCount() == 1) {
            // LIST: group (LIST) { repeated group list { element } } or the legacy repeated element
            ArrayNode arr = JsonNodeFactory.instance.arrayNode();
            Type rep = gt.getType(0);
            for (int k = 0; k < child.getFieldRepetitionCount(0); k++) {
                if (!rep.isPrimitive() && rep.asGroupType().getFieldCount() == 1 && rep.getLogicalTypeAnnotation() == null
                        && (rep.getName().equals("list") || rep.getName().equals("array") || rep.getName().endsWith("_tuple"))) {
                    Group wrapper = child.getGroup(0, k);
                    Type element = rep.asGroupType().getType(0);
                    arr.add(wrapper.getFieldRepetitionCount(0) == 0 ? JsonNodeFactory.instance.nullNode() : value(wrapper, 0, 0, element));
                } else {
                    arr.add(value(child, 0, k, rep));
                }
            }
            return arr;
        }
        return toJson(child, gt);
    }

    private static JsonNode primitive(Group g, int f, int i, PrimitiveType p) {
        JsonNodeFactory j = JsonNodeFactory.instance;
        return switch (p.getPrimitiveTypeName()) {
            case BOOLEAN -> j.booleanNode(g.getBoolean(f, i));
            case INT32 -> j.numberNode(g.getInteger(f, i));
            case INT64 -> j.numberNode(g.getLong(f, i));
            case FLOAT -> j.numberNode(g.getFloat(f, i));
            case DOUBLE -> j.numberNode(g.getDouble(f, i));
            default -> j.textNode(g.getValueToString(f, i));
        };
    }
}
