package dev.tailor.dataprep.source;

import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.email.EmailSource;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.SourceRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;

/**
 * Opens an input as a stream of records: detects its format from the first bytes (name and declared
 * type as hints) and picks the reader. Archives are expanded entry by entry (nested up to
 * {@code maxArchiveDepth}). Unsupported formats yield one rejection naming the file and what to do. Every
 * reader's records pass {@link RecordGuard}: a record that throws is rejected alone, never the run.
 */
public final class SourceOpener {
    /** An input's detected format and its records. */
    public record Opened(InputFormat format, Iterator<ParseResult> records) {
    }

    private SourceOpener() {
    }

    public static Opened open(String file, String declaredType, InputStream input, SourceContext ctx, int depth) {
        Opened opened = openUnguarded(file, declaredType, input, ctx, depth);
        return new Opened(opened.format(), new RecordGuard(opened.records(), file));
    }

    private static Opened openUnguarded(String file, String declaredType, InputStream input, SourceContext ctx, int depth) {
        BufferedInputStream in = new BufferedInputStream(input, 65536);
        InputFormat format;
        try {
            in.mark(8192);
            byte[] head = in.readNBytes(8192);
            in.reset();
            format = InputFormat.detect(file, declaredType, head, head.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        CleaningConfig c = ctx.config();
        if ((format == InputFormat.CSV || format == InputFormat.TSV || format == InputFormat.TEXT)
                && GlossarySource.isGlossary(file, c.examples().glossaryFiles())) {
            char d = format == InputFormat.TSV || file.toLowerCase(java.util.Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
            return new Opened(format, new GlossarySource(in, file, d, ctx.notes()));
        }
        Iterator<ParseResult> records = switch (format) {
            case JSONL -> new JsonlSource(in, file, ctx.mapper(), c.input().maxLineBytes(), ctx.notes());
            case JSON -> new JsonDocumentSource(in, file, ctx.mapper());
            case CSV -> new CsvSource(in, file, ctx.mapper(), c.input().csvDelimiter() == null ? null : c.input().csvDelimiter().charAt(0));
            case TSV -> new CsvSource(in, file, ctx.mapper(), '\t');
            case TEXT, MARKDOWN -> TextSource.of(in, file, ctx);
            case HTML -> HtmlSource.open(in, file, ctx);
            case PDF, DOCX, DOC, PPTX, PPT, XLSX, XLS, OLE2, ODT, ODS, ODP, RTF -> documents(in, file, format, ctx);
            case PARQUET -> parquet(in, file, ctx, c);
            case EMAIL, MBOX -> new EmailSource(in, file, format == InputFormat.MBOX, c, ctx.threads(), ctx.notes());
            case ZIP, GZIP -> depth >= c.archives().maxArchiveDepth()
                    ? one(file, "archive-nesting", "archive nested deeper than maxArchiveDepth=" + c.archives().maxArchiveDepth()
                    + "; unpack it or raise the limit")
                    : new ArchiveSource(in, file, format, ctx, depth + 1);
            case EMPTY -> one(file, "empty-file", "the file is empty");
            case BINARY -> {
                if (depth > 0 && c.archives().skipNonText()) { // an archive entry that is no text: skipped, not rejected
                    ctx.notes().note("archive.skipped-non-text", file, "binary content (no text to learn from); skipped"
                            + " (archives.skipNonText)", null);
                    yield java.util.Collections.emptyIterator();
                }
                yield unsupported(file, format);
            }
            default -> unsupported(file, format);
        };
        return new Opened(format, records);
    }

    private static Iterator<ParseResult> unsupported(String file, InputFormat format) {
        return one(file, "unsupported-format", "format " + format + " (detected from the first bytes) is not"
                + " supported; convert it to JSONL, CSV/TSV, Parquet, text, Markdown, HTML, a document (PDF, Word, PowerPoint,"
                + " Excel, OpenDocument, RTF), e-mail (.eml/mbox) or a zip/tar.gz of these");
    }

    /** Documents need Apache Tika on the classpath; without it (a slim CLI) the file is rejected, not fatal. */
    private static Iterator<ParseResult> documents(InputStream in, String file, InputFormat format, SourceContext ctx) {
        try {
            return DocumentSource.open(in, file, format, ctx);
        } catch (NoClassDefFoundError e) {
            return one(file, "unsupported-format", "documents need org.apache.tika:tika-core and the tika-parser-microsoft,"
                    + " -pdf and -miscoffice modules on the classpath (missing: " + e.getMessage() + ")");
        }
    }

    /** Parquet needs parquet-hadoop and the shaded Hadoop client jars; without them the file is rejected, not fatal. */
    private static Iterator<ParseResult> parquet(InputStream in, String file, SourceContext ctx, CleaningConfig c) {
        try {
            return ParquetSource.open(in, file, ctx.mapper(), c.archives().maxArchiveBytes());
        } catch (NoClassDefFoundError e) {
            return one(file, "unsupported-format", "Parquet support needs org.apache.parquet:parquet-hadoop and"
                    + " org.apache.hadoop:hadoop-client-api/-runtime on the classpath");
        }
    }

    static Iterator<ParseResult> one(String file, String rule, String reason) {
        return List.of(ParseResult.rejected(SourceRef.line(file, 1), rule, reason, null)).iterator();
    }
}
