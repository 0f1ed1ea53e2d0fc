package dev.tailor.cleaning.domain;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The format of an input, detected from its first bytes with the file name and declared content type
 * as hints (content wins where it is unambiguous).
 */
public enum InputFormat {
    JSONL, CSV, TSV, TEXT, MARKDOWN, HTML, EMAIL, MBOX, PDF, DOCX, ZIP, GZIP, PARQUET, BINARY, EMPTY;

    /** Formats cleaning can parse today. */
    public boolean supported() {
        return this == JSONL || this == CSV || this == TSV || this == TEXT || this == MARKDOWN || this == HTML
                || this == EMAIL || this == MBOX || this == ZIP || this == GZIP || this == DOCX || this == PDF || this == PARQUET;
    }

    public static InputFormat detect(String fileName, String declaredType, byte[] head, int len) {
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        String type = declaredType == null ? "" : declaredType.toLowerCase(Locale.ROOT);
        if (len == 0) {
            return EMPTY;
        }
        if (startsWith(head, len, new byte[] {'P', 'K', 3, 4})) {
            String names = new String(head, 0, len, StandardCharsets.ISO_8859_1);
            return name.endsWith(".docx") || names.contains("[Content_Types].xml") && names.contains("word/") ? DOCX : ZIP;
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
        if (Binary.looksBinary(head, len)) {
            return BINARY;
        }
        String text = new String(head, 0, len, StandardCharsets.UTF_8);
        String t = text.stripLeading();
        if (t.startsWith("\uFEFF")) {
            t = t.substring(1).stripLeading();
        }
        if (t.isEmpty()) {
            return EMPTY;
        }
        if (t.startsWith("{") || t.startsWith("[") && (name.endsWith(".jsonl") || name.endsWith(".json") || type.contains("json"))) {
            return JSONL;
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
