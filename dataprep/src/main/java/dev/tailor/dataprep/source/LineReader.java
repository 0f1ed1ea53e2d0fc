package dev.tailor.dataprep.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads an input stream line by line without holding more than one line in memory. Every line break convention
 * ends a line: LF (Unix), CRLF (Windows) and a lone CR (classic Mac OS, some exports), so that a file with CR-only
 * line endings is as many records as it has lines, never one.
 * Lines are decoded as strict UTF-8; a line that is not valid UTF-8 is decoded as windows-1252 and
 * flagged. A line longer than {@code maxLineBytes} is skipped and flagged, never buffered whole.
 */
public final class LineReader implements Iterator<RawRecord> {
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private final InputStream in;
    private final String file;
    private final int maxLineBytes;
    private final byte[] buf = new byte[64 * 1024];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int pos;
    private int limit;
    private long offset;
    private long lineNo;
    private boolean eof;
    /** The previous line ended with CR: an LF right after it belongs to that line break (CRLF). */
    private boolean afterCr;
    private RawRecord next;

    public LineReader(InputStream in, String file, int maxLineBytes) {
        this.in = in;
        this.file = file;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = readLine();
        }
        return next != null;
    }

    @Override
    public RawRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RawRecord r = next;
        next = null;
        return r;
    }

    private RawRecord readLine() {
        line.reset();
        if (afterCr) {
            afterCr = false;
            if ((pos < limit || !eof && fill()) && buf[pos] == '\n') {
                pos++;
                offset++;
            }
        }
        long start = offset;
        boolean tooLong = false;
        boolean sawAny = false;
        while (true) {
            if (pos == limit) {
                if (eof || !fill()) {
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
            }
            sawAny = true;
            int i = pos;
            while (i < limit && buf[i] != '\n' && buf[i] != '\r') {
                i++;
            }
            int n = i - pos;
            if (!tooLong) {
                if (line.size() + n > maxLineBytes) {
                    tooLong = true;
                    line.reset();
                } else {
                    line.write(buf, pos, n);
                }
            }
            offset += n;
            pos = i;
            if (i < limit) { // found the line break
                afterCr = buf[i] == '\r';
                pos++;
                offset++;
                break;
            }
        }
        lineNo++;
        if (tooLong) {
            return new RawRecord(file, lineNo, start, null, false, true);
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length;
        int from = 0;
        if (lineNo == 1 && len >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            from = 3; // UTF-8 byte order mark
        }
        try {
            String text = utf8.decode(ByteBuffer.wrap(bytes, from, len - from)).toString();
            return new RawRecord(file, lineNo, start, text, false, false);
        } catch (CharacterCodingException e) {
            return new RawRecord(file, lineNo, start, new String(bytes, from, len - from, WINDOWS_1252), true, false);
        }
    }

    private boolean fill() {
        try {
            int n = in.read(buf);
            if (n < 0) {
                eof = true;
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " at byte " + offset + ": " + e.getMessage(), e);
        }
    }
}
