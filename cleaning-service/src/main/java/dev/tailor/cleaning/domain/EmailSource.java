package dev.tailor.cleaning.domain;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * E-mail as {@code .eml} (one message) or mbox (messages separated by "From " lines), parsed with
 * Jakarta Mail (MIME multipart, quoted-printable, base64, charsets, RFC 2047 headers). Each message is
 * cleaned ({@link EmailText}); spam (an {@code X-Spam-Flag} header, or {@link SpamClassifier} on the
 * subject and cleaned text when {@code spamFilter} is on) and auto-replies are dropped, and the run's
 * {@link EmailThreads} turns (message → reply) into examples. One message is held in memory at a time
 * (at most {@code maxDocumentBytes}).
 */
public final class EmailSource implements Iterator<Parsed> {
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private final MessageReader reader;
    private final String file;
    private final SourceContext ctx;
    private final Deque<Parsed> ready = new ArrayDeque<>();

    private EmailSource(MessageReader reader, String file, SourceContext ctx) {
        this.reader = reader;
        this.file = file;
        this.ctx = ctx;
    }

    public static EmailSource single(InputStream in, String file, SourceContext ctx) {
        return new EmailSource(new MessageReader(in, false, ctx.config().maxDocumentBytes()), file, ctx);
    }

    public static EmailSource mbox(InputStream in, String file, SourceContext ctx) {
        return new EmailSource(new MessageReader(in, true, ctx.config().maxDocumentBytes()), file, ctx);
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty()) {
            RawMessage raw = reader.next();
            if (raw == null) {
                return false;
            }
            SourceRef src = new SourceRef(file, raw.line(), null);
            if (raw.bytes() == null) {
                ready.add(Parsed.rejected(src, "message-too-large", "message is larger than maxDocumentBytes="
                        + ctx.config().maxDocumentBytes(), null));
                continue;
            }
            try {
                MimeMessage msg = new MimeMessage(SESSION, new ByteArrayInputStream(raw.bytes()));
                String id = firstId(msg.getHeader("Message-ID", " "));
                src = new SourceRef(file, raw.line(), id);
                String skip = filtered(msg);
                if (skip != null) {
                    ready.add(Parsed.rejected(src, skip.startsWith("spam") ? "spam" : "auto-reply", skip, msg.getSubject()));
                    continue;
                }
                String subject = EmailText.subject(msg.getSubject());
                String body = EmailText.clean(text(msg));
                String spam = ctx.config().spamFilter()
                        ? SpamClassifier.shared().spamReason(subject, body, ctx.config().spamThreshold()) : null;
                if (spam != null) {
                    ready.add(Parsed.rejected(src, "spam", spam, msg.getSubject()));
                    continue;
                }
                MailMessage m = new MailMessage(id, firstId(msg.getHeader("In-Reply-To", " ")),
                        ids(msg.getHeader("References", " ")), decode(msg.getHeader("From", ",")), subject, body, src);
                ready.addAll(ctx.threads().add(m));
            } catch (MessagingException | IOException | RuntimeException e) {
                ready.add(Parsed.rejected(src, "malformed-email", "cannot parse the message: " + e.getMessage(), null));
            }
        }
        return true;
    }

    @Override
    public Parsed next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException();
        }
        return ready.poll();
    }

    /** Why a message is skipped (spam, auto-reply), or null. */
    static String filtered(MimeMessage msg) throws MessagingException {
        String flag = msg.getHeader("X-Spam-Flag", ",");
        if (flag != null && flag.strip().toUpperCase(Locale.ROOT).startsWith("YES")) {
            return "spam: X-Spam-Flag is YES";
        }
        String auto = msg.getHeader("Auto-Submitted", ",");
        if (auto != null && !auto.strip().equalsIgnoreCase("no")) {
            return "auto-reply: Auto-Submitted is " + auto.strip();
        }
        if (msg.getHeader("X-Autoreply", ",") != null || msg.getHeader("X-Autorespond", ",") != null) {
            return "auto-reply: X-Autoreply header";
        }
        String subject = msg.getSubject() == null ? "" : msg.getSubject().toLowerCase(Locale.ROOT);
        if (subject.startsWith("out of office") || subject.startsWith("automatic reply") || subject.startsWith("auto:")) {
            return "auto-reply: subject '" + msg.getSubject() + "'";
        }
        return null;
    }

    /** The readable text of a part: text/plain preferred, HTML converted, attachments skipped. */
    static String text(Part p) throws MessagingException, IOException {
        if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
            return "";
        }
        if (p.isMimeType("text/plain")) {
            return content(p);
        }
        if (p.isMimeType("text/html")) {
            return HtmlSource.toText(content(p), "");
        }
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            if (p.isMimeType("multipart/alternative")) {
                for (int i = 0; i < mp.getCount(); i++) {
                    if (mp.getBodyPart(i).isMimeType("text/plain")) {
                        return content(mp.getBodyPart(i));
                    }
                }
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart part = mp.getBodyPart(i);
                String t = text(part);
                if (!t.isBlank()) {
                    sb.append(sb.length() == 0 ? "" : "\n\n").append(t);
                }
                if (p.isMimeType("multipart/alternative") && sb.length() > 0) {
                    break;
                }
            }
            return sb.toString();
        }
        return "";
    }

    private static String content(Part p) throws MessagingException, IOException {
        try {
            Object c = p.getContent();
            return c instanceof String s ? s : "";
        } catch (java.io.UnsupportedEncodingException e) { // unknown charset: the commonest legacy one
            try (InputStream in = p.getInputStream()) {
                return new String(in.readAllBytes(), WINDOWS_1252);
            }
        }
    }

    private static String decode(String header) {
        if (header == null) {
            return "";
        }
        try {
            return MimeUtility.decodeText(header);
        } catch (java.io.UnsupportedEncodingException e) {
            return header;
        }
    }

    static String firstId(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = MESSAGE_ID.matcher(header);
        return m.find() ? m.group() : null;
    }

    static List<String> ids(String header) {
        List<String> out = new ArrayList<>();
        if (header != null) {
            Matcher m = MESSAGE_ID.matcher(header);
            while (m.find()) {
                out.add(m.group());
            }
        }
        return out;
    }

    /** One message's bytes (null when over the limit) and the line it starts on. */
    record RawMessage(byte[] bytes, long line) {
    }

    /** Splits a stream into messages: the whole stream, or mbox messages at "From " lines after a blank line. */
    static final class MessageReader {
        private final InputStream in;
        private final boolean mbox;
        private final int max;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        private byte[] pending;
        private long lineNo;
        private boolean eof;

        MessageReader(InputStream in, boolean mbox, int max) {
            this.in = in;
            this.mbox = mbox;
            this.max = max;
        }

        RawMessage next() {
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
                    previousBlank = l.length == 0 || l.length == 1 && l[0] == '\r';
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

        private byte[] readLine() throws IOException {
            line.reset();
            int b;
            boolean any = false;
            while ((b = in.read()) >= 0) {
                any = true;
                if (b == '\n') {
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
}
