package dev.tailor.dataprep.email;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes e-mail messages as one mboxrd stream that {@link MboxReader} splits back into the same messages: each
 * message after a "From " envelope line (sender {@code MAILER-DAEMON}, the given date), its lines with LF endings,
 * body lines matching {@code >*From } quoted with one more '>', and a blank line after it. The output depends only on
 * the messages and dates, so the same messages always give the same bytes. A message's own leading "From " envelope
 * line (an .eml cut from an mbox) is replaced by this one, as {@link MboxReader} drops it.
 */
public final class MboxWriter {
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private final OutputStream out;
    private int messages;

    public MboxWriter(OutputStream out) {
        this.out = out;
    }

    /** Appends one message (its raw RFC 5322 bytes, CRLF or LF line endings). */
    public void add(byte[] message, Instant date) {
        try {
            out.write(("From MAILER-DAEMON " + ASCTIME.format(date == null ? Instant.EPOCH : date) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            int start = 0;
            int n = message.length;
            boolean first = true;
            while (start < n) {
                int end = start;
                while (end < n && message[end] != '\n' && message[end] != '\r') {
                    end++;
                }
                boolean envelope = first && end - start >= 5 && quoted(message, start, end) && message[start] == 'F';
                first = false;
                if (!envelope) { // a message's own "From " envelope line gives way to this mbox's
                    if (quoted(message, start, end)) {
                        out.write('>');
                    }
                    out.write(message, start, end - start);
                    out.write('\n');
                }
                if (end < n && message[end] == '\r' && end + 1 < n && message[end + 1] == '\n') {
                    end++;
                }
                start = end + 1;
            }
            out.write('\n');
            messages++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Messages written so far. */
    public int messages() {
        return messages;
    }

    /** The messages as one mbox, in the order given. */
    public static byte[] of(java.util.List<byte[]> messages, java.util.List<Instant> dates) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        MboxWriter w = new MboxWriter(buffer);
        for (int i = 0; i < messages.size(); i++) {
            w.add(messages.get(i), dates.get(i));
        }
        return buffer.toByteArray();
    }

    private static boolean quoted(byte[] b, int start, int end) {
        int i = start;
        while (i < end && b[i] == '>') {
            i++;
        }
        return end - i >= 5 && b[i] == 'F' && b[i + 1] == 'r' && b[i + 2] == 'o' && b[i + 3] == 'm' && b[i + 4] == ' ';
    }
}
