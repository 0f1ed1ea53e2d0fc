package dev.tailor.dataprep.source;

import dev.tailor.dataprep.text.BinaryDetector;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The format of an input, detected from its first bytes with the file name and declared content type
 * as hints (content wins where it is unambiguous). Documents (PDF to RTF) are only told apart as far as the first
 * bytes allow: {@link DocumentSource} asks Tika's detector for the real type (an Office 97–2003 file without a
 * telling name is {@link #OLE2}: Word, Excel, PowerPoint or an Outlook message).
 */
public enum InputFormat {
    JSONL, JSON, CSV, TSV, TEXT, MARKDOWN, HTML, EMAIL, MBOX, PDF, DOCX, DOC, PPTX, PPT, XLSX, XLS, OLE2, ODT, ODS, ODP, RTF,
    ZIP, GZIP, PARQUET, BINARY, EMPTY;

    private static final byte[] OLE2_MAGIC = {(byte) 0xd0, (byte) 0xcf, 0x11, (byte) 0xe0, (byte) 0xa1, (byte) 0xb1, 0x1a, (byte) 0xe1};

    /** Formats cleaning can parse today. */
    public boolean supported() {
        return this != BINARY && this != EMPTY;
    }

    public static InputFormat detect(String fileName, String declaredType, byte[] head, int len) {
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        String type = declaredType == null ? "" : declaredType.toLowerCase(Locale.ROOT);
        if (len == 0) {
            return EMPTY;
        }
        if (startsWith(head, len, new byte[] {'P', 'K', 3, 4})) {
            return zip(name, new String(head, 0, len, StandardCharsets.ISO_8859_1));
        }
        if (startsWith(head, len, OLE2_MAGIC)) {
            return name.matches(".*\\.(doc|dot)") || type.contains("msword") ? DOC
                    : name.matches(".*\\.(xls|xlt)") || type.contains("ms-excel") ? XLS
                    : name.matches(".*\\.(ppt|pps|pot)") || type.contains("ms-powerpoint") ? PPT : OLE2;
        }
        if (startsWith(head, len, "{\\rtf".getBytes(StandardCharsets.US_ASCII))) {
            return RTF;
        }
        if (startsWith(head, len, new byte[] {(byte) 0x1f, (byte) 0x8b})) {
            return GZIP;
        }
        if (startsWith(head, len, "%PDF".getBytes(StandardCharsets.US_ASCII))) {
            return PDF;
        }
        if (startsWith(head, len, "PAR1".getBytes(StandardCharsets.US_ASCII))
                || name.endsWith(".parquet") || type.contains("parquet")) {
            return PARQUET; // the reader checks the trailing PAR1 and the footer, and names the file if they are wrong
        }
        if (BinaryDetector.looksBinary(head, len)) {
            return BINARY;
        }
        // every line break convention (LF, CRLF, a bare CR of old Mac files) looks alike to the checks below
        String text = new String(head, 0, len, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
        String t = text.stripLeading();
        if (t.startsWith("\uFEFF")) {
            t = t.substring(1).stripLeading();
        }
        if (t.isEmpty()) {
            return EMPTY;
        }
        if (t.startsWith("[")) {
            return JSON; // an array of records: JSON Lines never start with one
        }
        if (t.startsWith("{")) {
            return firstLineIsComplete(t) || !continuesOverLines(t) ? JSONL : JSON; // one object per line, or a document
        }
        if (text.startsWith("From ") && text.contains("\n") && name.endsWith(".mbox") || text.startsWith("From ") && looksLikeHeaders(text.substring(text.indexOf('\n') + 1))) {
            return MBOX;
        }
        if (looksLikeHeaders(text) || name.endsWith(".eml") || type.contains("message/rfc822")) {
            return EMAIL;
        }
        String lower = t.substring(0, Math.min(t.length(), 512)).toLowerCase(Locale.ROOT);
        if (lower.startsWith("<!doctype html") || lower.startsWith("<html") || name.endsWith(".html") || name.endsWith(".htm") || type.contains("html")) {
            return HTML;
        }
        if (name.endsWith(".tsv") || type.contains("tab-separated")) {
            return TSV;
        }
        if (name.endsWith(".csv") || type.contains("csv")) {
            return CSV;
        }
        if (name.endsWith(".md") || name.endsWith(".markdown") || type.contains("markdown")) {
            return MARKDOWN;
        }
        if (looksDelimited(text)) {
            return text.split("\n", 2)[0].contains("\t") ? TSV : CSV;
        }
        return TEXT;
    }

    /**
     * A zip is an OpenDocument file when its first entry is {@code mimetype}, an Office Open XML file when it has
     * {@code [Content_Types].xml} or {@code _rels/.rels} and a {@code word/}, {@code ppt/} or {@code xl/} part (or the
     * name says so: the parts may come after the first bytes), else an archive.
     */
    private static InputFormat zip(String name, String names) {
        String odfMimetype = "mimetypeapplication/vnd.oasis.opendocument.";
        int odf = names.indexOf(odfMimetype);
        if (odf >= 0) {
            String kind = names.substring(odf + odfMimetype.length());
            return kind.startsWith("text") ? ODT : kind.startsWith("spreadsheet") ? ODS
                    : kind.startsWith("presentation") ? ODP : BINARY;
        }
        boolean ooxml = names.contains("[Content_Types].xml") || names.contains("_rels/.rels");
        if (ooxml && names.contains("word/") || name.matches(".*\\.(docx|docm|dotx)")) {
            return DOCX;
        }
        if (ooxml && names.contains("ppt/") || name.matches(".*\\.(pptx|pptm|ppsx|potx)")) {
            return PPTX;
        }
        if (ooxml && names.contains("xl/") || name.matches(".*\\.(xlsx|xlsm|xltx)")) {
            return XLSX;
        }
        return name.endsWith(".odt") ? ODT : name.endsWith(".ods") ? ODS : name.endsWith(".odp") ? ODP : ZIP;
    }

    /**
     * Whether the first line of {@code text} holds complete JSON values (JSON Lines) rather than the start of one that
     * goes on over the next lines (a pretty-printed document). A first line with a syntax error, or longer than the
     * bytes seen, counts as complete: it is read, and rejected or kept, as a line.
     */
    private static boolean firstLineIsComplete(String text) {
        int end = 0;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        if (end == text.length()) {
            return true;
        }
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(text.substring(0, end))) {
            int depth = 0;
            for (com.fasterxml.jackson.core.JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
            }
            return depth == 0;
        } catch (java.io.IOException e) {
            return !(e instanceof com.fasterxml.jackson.core.io.JsonEOFException);
        }
    }

    /**
     * Whether the first JSON value of {@code text} goes on over the next lines without a syntax error (up to its end
     * or the end of the bytes seen): a pretty-printed document. A truncated first line followed by the next record is
     * a syntax error: broken JSON Lines, each line then reported on its own.
     */
    private static boolean continuesOverLines(String text) {
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(text)) {
            int depth = 0;
            do {
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                if (t == null) {
                    return true;
                }
                depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
            } while (depth > 0);
            return true;
        } catch (com.fasterxml.jackson.core.io.JsonEOFException e) {
            return true; // a document longer than the bytes seen
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean looksLikeHeaders(String text) {
        String[] lines = text.split("\r?\n", 12);
        int headers = 0;
        for (String l : lines) {
            if (l.isEmpty()) {
                break;
            }
            if (l.matches("(?i)(From|To|Subject|Date|Message-ID|Received|Return-Path|In-Reply-To|References|MIME-Version|Content-Type|Delivered-To|X-[\\w-]+): .*")) {
                headers++;
            }
        }
        return headers >= 3;
    }

    /** At least two complete lines with the same number (>= 1) of commas, tabs, semicolons or pipes. */
    private static boolean looksDelimited(String text) {
        String[] lines = text.split("\r?\n");
        if (lines.length < 3) {
            return false;
        }
        for (char d : new char[] {'\t', ',', ';', '|'}) {
            long first = lines[0].chars().filter(c -> c == d).count();
            if (first >= 1 && lines[1].chars().filter(c -> c == d).count() == first) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] head, int len, byte[] magic) {
        if (len < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
