package dev.tailor.dataprep.source;

import dev.tailor.dataprep.boilerplate.PageFurniture;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.SourceRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.io.input.ReaderInputStream;
import org.apache.tika.detect.DefaultDetector;
import org.apache.tika.detect.Detector;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TemporaryResources;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.CompositeParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.microsoft.OfficeParser;
import org.apache.tika.parser.microsoft.OfficeParserConfig;
import org.apache.tika.parser.microsoft.ooxml.OOXMLParser;
import org.apache.tika.parser.microsoft.rtf.RTFParser;
import org.apache.tika.parser.odf.OpenDocumentParser;
import org.apache.tika.parser.pdf.PDFParser;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.WriteOutContentHandler;
import org.xml.sax.ContentHandler;

/**
 * Documents read with Apache Tika: PDF, Word (.docx, .doc), PowerPoint (.pptx, .ppt), Excel (.xlsx, .xls),
 * OpenDocument (.odt, .ods, .odp) and RTF. Tika's detector tells the real type from the content (the
 * {@link InputFormat} found from the first bytes is only a hint: an Office 97–2003 file may be a Word, Excel,
 * PowerPoint or Outlook file); its XHTML becomes Markdown-ish text ({@link DocumentText}: headings, paragraphs,
 * lists, table rows) that goes through {@link TextSource} (chunks, question → answer pairs).
 *
 * <p>Files up to {@value #IN_MEMORY_BYTES} bytes are parsed from memory, larger ones from a temporary file (PDF,
 * OLE2 and zip containers are then read by random access, not loaded whole). Text past {@code maxDocumentBytes}
 * characters is cut (Tika's write limit): the paragraphs before the cut are kept (the one cut short is dropped)
 * and one {@code document-truncated} record, after the document's examples, reports the cut. Embedded files (pictures, OLE objects) are not read. An encrypted, damaged or
 * unsupported document yields one rejected record naming the file and what to do, never an exception.
 */
public final class DocumentSource {
    static final int IN_MEMORY_BYTES = 4 * 1024 * 1024;
    private static final MediaType OUTLOOK = MediaType.application("vnd.ms-outlook");
    private static final MediaType OOXML_PROTECTED = MediaType.application("x-tika-ooxml-protected");
    /** The types read, with the name a user knows them by. */
    private static final Map<MediaType, String> READ = Map.ofEntries(
            Map.entry(MediaType.application("pdf"), "PDF"),
            Map.entry(MediaType.application("vnd.openxmlformats-officedocument.wordprocessingml.document"), "Word (.docx)"),
            Map.entry(MediaType.application("vnd.ms-word.document.macroenabled.12"), "Word (.docm)"),
            Map.entry(MediaType.application("msword"), "Word 97-2003 (.doc)"),
            Map.entry(MediaType.application("vnd.openxmlformats-officedocument.presentationml.presentation"), "PowerPoint (.pptx)"),
            Map.entry(MediaType.application("vnd.ms-powerpoint.presentation.macroenabled.12"), "PowerPoint (.pptm)"),
            Map.entry(MediaType.application("vnd.openxmlformats-officedocument.presentationml.slideshow"), "PowerPoint (.ppsx)"),
            Map.entry(MediaType.application("vnd.ms-powerpoint"), "PowerPoint 97-2003 (.ppt)"),
            Map.entry(MediaType.application("vnd.openxmlformats-officedocument.spreadsheetml.sheet"), "Excel (.xlsx)"),
            Map.entry(MediaType.application("vnd.ms-excel.sheet.macroenabled.12"), "Excel (.xlsm)"),
            Map.entry(MediaType.application("vnd.ms-excel"), "Excel 97-2003 (.xls)"),
            Map.entry(MediaType.application("vnd.oasis.opendocument.text"), "OpenDocument text (.odt)"),
            Map.entry(MediaType.application("vnd.oasis.opendocument.spreadsheet"), "OpenDocument spreadsheet (.ods)"),
            Map.entry(MediaType.application("vnd.oasis.opendocument.presentation"), "OpenDocument presentation (.odp)"),
            Map.entry(MediaType.application("rtf"), "RTF"));

    private DocumentSource() {
    }

    /** Tika's detector and parsers, made once on first use (thread-safe). */
    private static final class Tika {
        static final Detector DETECTOR = new DefaultDetector();
        static final Parser PARSER = new CompositeParser(MediaTypeRegistry.getDefaultRegistry(), List.of(
                new PDFParser(), new OOXMLParser(), new OfficeParser(), new OpenDocumentParser(), new RTFParser()));
    }

    /**
     * Reads one document.
     *
     * @param format the format detected from the first bytes, named in reasons until Tika has told the real type
     */
    public static Iterator<ParseResult> open(InputStream in, String file, InputFormat format, SourceContext ctx) {
        try (TemporaryResources tmp = new TemporaryResources(); TikaInputStream tis = spool(in, file, tmp)) {
            return read(tis, file, format, ctx);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static TikaInputStream spool(InputStream in, String file, TemporaryResources tmp) {
        try {
            byte[] head = in.readNBytes(IN_MEMORY_BYTES + 1);
            if (head.length <= IN_MEMORY_BYTES) {
                return TikaInputStream.get(head);
            }
            TikaInputStream tis = TikaInputStream.get(new SequenceInputStream(new ByteArrayInputStream(head), in), tmp, new Metadata());
            tis.getPath(); // copies the rest to a temporary file now, so that read errors are the input's
            return tis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Iterator<ParseResult> read(TikaInputStream tis, String file, InputFormat format, SourceContext ctx) {
        CleaningConfig config = ctx.config();
        String kind = format.name();
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('!')) + 1));
        DocumentText text = new DocumentText();
        WriteOutContentHandler limited = new WriteOutContentHandler(text, config.documents().maxDocumentBytes());
        boolean truncated = false;
        try {
            MediaType type = Tika.DETECTOR.detect(tis, metadata).getBaseType();
            if (type.equals(OUTLOOK)) {
                return SourceOpener.one(file, "unsupported-format", "'" + file + "' is an Outlook message (.msg), which cleaning"
                        + " does not read; save it as .eml or export the mailbox as mbox");
            }
            if (type.equals(OOXML_PROTECTED)) {
                return encrypted(file, "Office");
            }
            kind = READ.get(type);
            if (kind == null) {
                return SourceOpener.one(file, "unsupported-format", "'" + file + "' holds " + type + ", not a document cleaning"
                        + " reads (PDF, Word, PowerPoint, Excel, OpenDocument, RTF); convert it to one of these or to text");
            }
            metadata.set(Metadata.CONTENT_TYPE, type.toString());
            Tika.PARSER.parse(tis, limited, metadata, context());
        } catch (EncryptedDocumentException e) {
            return encrypted(file, kind);
        } catch (Exception e) {
            if (!WriteLimitReachedException.isWriteLimitReached(e)) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                String why = String.valueOf(cause.getMessage());
                return SourceOpener.one(file, "malformed-document", "'" + file + "' is not a readable " + kind + " document ("
                        + cause.getClass().getSimpleName() + ": " + (why.length() > 200 ? why.substring(0, 200) + "…" : why)
                        + "); open it and save it again, or export it as PDF");
            }
            truncated = true;
        }
        String body = truncated ? text.textBeforeCut() : text.text();
        if (config.documents().removeBoilerplate()) {
            body = PageFurniture.remove(text.pages(body), (rule, t) -> ctx.notes().note("boilerplate." + rule, file,
                    "page furniture repeated across the pages (" + rule + ")", t));
        }
        text = null; // the builder is garbage once the text is taken: one copy of a large document, not two
        limited = null;
        if (body.isBlank()) {
            return SourceOpener.one(file, "empty-file", "'" + file + "' has no text to extract; if it holds scanned pages,"
                    + " run OCR on it first");
        }
        long lines = truncated ? body.lines().count() : 0;
        Iterator<ParseResult> records = TextSource.of(utf8(body), file, ctx);
        if (!truncated) {
            return records;
        }
        ParseResult cut = ParseResult.rejected(SourceRef.line(file, lines), "document-truncated", "the text of '" + file
                + "' past maxDocumentBytes=" + config.documents().maxDocumentBytes() + " characters was cut; split the document or"
                + " raise the limit", null);
        return Stream.concat(StreamSupport.stream(Spliterators.spliteratorUnknownSize(records, Spliterator.ORDERED), false),
                Stream.of(cut)).iterator();
    }

    /** {@code text} as a stream of UTF-8 bytes, encoded as it is read (no second copy of a large document). */
    private static InputStream utf8(String text) {
        try {
            return ReaderInputStream.builder().setReader(new StringReader(text)).setCharset(StandardCharsets.UTF_8).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Iterator<ParseResult> encrypted(String file, String kind) {
        return SourceOpener.one(file, "encrypted-document", "'" + file + "' is a password-protected " + kind + " document;"
                + " save or export it without a password and add it again");
    }

    private static ParseContext context() {
        ParseContext context = new ParseContext();
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setSortByPosition(true);
        pdf.setExtractBookmarksText(false);
        pdf.setExtractAnnotationText(false);
        pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
        context.set(PDFParserConfig.class, pdf);
        OfficeParserConfig office = new OfficeParserConfig();
        office.setIncludeHeadersAndFooters(false);
        office.setIncludeSlideMasterContent(false);
        office.setUseSAXDocxExtractor(true);
        office.setUseSAXPptxExtractor(true);
        context.set(OfficeParserConfig.class, office);
        context.set(EmbeddedDocumentExtractor.class, new EmbeddedDocumentExtractor() {
            @Override
            public boolean shouldParseEmbedded(Metadata metadata) {
                return false;
            }

            @Override
            public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml) {
                // embedded pictures and objects are not read
            }
        });
        return context;
    }
}
