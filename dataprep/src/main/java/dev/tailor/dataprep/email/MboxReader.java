package dev.tailor.dataprep.email;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;

/**
 * Splits a stream into e-mail messages: the whole stream is one message, or (mbox) messages start at "From " lines
 * after a blank line; the "From " envelope line is dropped and mboxrd's ">From " is unescaped. One message is held in
 * memory at a time, at most {@code max} bytes; a longer one is skipped and returned without its bytes.
 */
public final class MboxReader {
    /** One message's bytes (null when over the limit) and the 1-based line it starts on. */
    public record RawMessage(byte[] bytes, long line) {
    }

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private final InputStream in;
    private final boolean mbox;
    private final int max;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private byte[] pending;
    private long lineNo;
    private boolean eof;

    /** @param mbox split at "From " lines (else the whole stream is one message) */
    private static final int NONE = -2;
    private int lookahead = NONE;

    public MboxReader(InputStream in, boolean mbox, int max) {
        this.in = in;
        this.mbox = mbox;
        this.max = max;
    }

    /** The next message, or null at the end of the stream. */
    public RawMessage next() {
        if (eof && pending == null) {
            return null;
        }
        ByteArrayOutputStream msg = new ByteArrayOutputStream(8192);
        boolean tooLarge = false;
        long start = -1;
        boolean previousBlank = true;
        try {
            while (true) {
                byte[] l = pending != null ? pending : readLine();
                pending = null;
                if (l == null) {
                    eof = true;
                    break;
                }
                boolean separator = mbox && previousBlank && startsWithFrom(l);
                if (separator && start >= 0) {
                    pending = l; // the next message's first line
                    break;
                }
                if (start < 0) {
                    start = lineNo;
                    if (startsWithFrom(l)) {
                        previousBlank = false;
                        continue; // the mbox "From " envelope line is not part of the message
                    }
                }
                previousBlank = l.length == 0;
                if (!tooLarge) {
                    if (msg.size() + l.length + 1 > max) {
                        tooLarge = true;
                        msg.reset();
                    } else {
                        msg.write(unescape(l));
                        msg.write('\n');
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (start < 0) {
            return null;
        }
        return new RawMessage(tooLarge ? null : msg.toByteArray(), start);
    }

    /** The next byte, after one read ahead to tell CRLF from a bare CR. */
    private int read() throws IOException {
        if (lookahead != NONE) {
            int b = lookahead;
            lookahead = NONE;
            return b;
        }
        return in.read();
    }

    private byte[] readLine() throws IOException {
        line.reset();
        int b;
        boolean any = false;
        while ((b = read()) >= 0) {
            any = true;
            if (b == '\n') {
                break;
            }
            if (b == '\r') { // CRLF, or a bare CR (old Mac files): both end the line
                int after = read();
                if (after != '\n') {
                    lookahead = after;
                }
                break;
            }
            if (line.size() <= max) {
                line.write(b);
            }
        }
        if (!any) {
            return null;
        }
        lineNo++;
        return line.toByteArray();
    }

    private static boolean startsWithFrom(byte[] l) {
        return l.length >= 5 && l[0] == 'F' && l[1] == 'r' && l[2] == 'o' && l[3] == 'm' && l[4] == ' ';
    }

    /** mboxrd: ">From " in a body was "From ". */
    private byte[] unescape(byte[] l) {
        if (mbox && l.length >= 6 && l[0] == '>') {
            int i = 0;
            while (i < l.length && l[i] == '>') {
                i++;
            }
            if (l.length - i >= 5 && new String(l, i, 5, WINDOWS_1252).equals("From ")) {
                return java.util.Arrays.copyOfRange(l, 1, l.length);
            }
        }
        return l;
    }
}
