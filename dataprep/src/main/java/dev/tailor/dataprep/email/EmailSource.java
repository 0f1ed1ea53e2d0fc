package dev.tailor.dataprep.email;

import dev.tailor.dataprep.example.Notes;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.filter.SpamClassifier;
import dev.tailor.dataprep.text.HtmlText;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
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
public final class EmailSource implements Iterator<ParseResult> {
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    /**
     * A message with more multipart boundaries is rejected unparsed: the MIME parser copies the rest of the message at
     * every nesting level, so thousands of nested parts in a crafted message would take minutes (and the stack).
     */
    static final int MAX_MULTIPARTS = 100;

    private final MboxReader reader;
    private final String file;
    private final CleaningConfig config;
    private final EmailThreads threads;
    private final Deque<ParseResult> ready = new ArrayDeque<>();
    private final Notes notes;

    /**
     * @param mbox the input is an mbox (else one message)
     * @param threads the run's threads, which turn messages into examples (a reply may come in another input)
     */
    public EmailSource(InputStream in, String file, boolean mbox, CleaningConfig config, EmailThreads threads) {
        this(in, file, mbox, config, threads, Notes.NONE);
    }

    /** @param notes where the e-mail conventions applied to each message are counted ({@code email.<rule>}) */
    public EmailSource(InputStream in, String file, boolean mbox, CleaningConfig config, EmailThreads threads,
                       Notes notes) {
        this.reader = new MboxReader(in, mbox, config.documents().maxDocumentBytes());
        this.file = file;
        this.config = config;
        this.threads = threads;
        this.notes = notes;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty()) {
            MboxReader.RawMessage raw = reader.next();
            if (raw == null) {
                return false;
            }
            SourceRef src = new SourceRef(file, raw.line(), null);
            if (raw.bytes() == null) {
                ready.add(ParseResult.rejected(src, "message-too-large", "message is larger than maxDocumentBytes="
                        + config.documents().maxDocumentBytes(), null));
                continue;
            }
            try {
                int multiparts = multiparts(raw.bytes());
                if (multiparts > MAX_MULTIPARTS) {
                    ready.add(ParseResult.rejected(src, "malformed-email", "the message declares " + multiparts + " multipart"
                            + " boundaries (more than " + MAX_MULTIPARTS + "): parts nested this deep are not parsed", null));
                    continue;
                }
                MimeMessage msg = new MimeMessage(SESSION, new ByteArrayInputStream(raw.bytes()));
                String id = firstId(msg.getHeader("Message-ID", " "));
                src = new SourceRef(file, raw.line(), id);
                String skip = filtered(msg);
                if (skip != null) {
                    ready.add(ParseResult.rejected(src, skip.startsWith("spam") ? "spam" : "auto-reply", skip, msg.getSubject()));
                    continue;
                }
                String subject = EmailText.subject(msg.getSubject());
                String from = decode(msg.getHeader("From", ","));
                EmailText.Cleaned cleaned = EmailText.apply(text(msg), config.email().removeSignOffs() ? from : null,
                        config.email().removeSignOffs());
                cleaned.removed().forEach((rule, removed) -> notes.note("email." + rule, file + (id == null ? "" : "#" + id),
                        "removed by the e-mail conventions (" + rule + ")", removed));
                String body = cleaned.text();
                String spam = config.spam().spamFilter()
                        ? SpamClassifier.shared().spamReason(subject, body, config.spam().spamThreshold()) : null;
                if (spam != null) {
                    ready.add(ParseResult.rejected(src, "spam", spam, msg.getSubject()));
                    continue;
                }
                MailMessage m = new MailMessage(id, firstId(msg.getHeader("In-Reply-To", " ")),
                        ids(msg.getHeader("References", " ")), from, subject, body, src);
                ready.addAll(threads.add(m));
            } catch (MessagingException | IOException | RuntimeException | StackOverflowError e) {
                ready.add(ParseResult.rejected(src, "malformed-email", "cannot parse the message: " + e.getMessage(), null));
            }
        }
        return true;
    }

    @Override
    public ParseResult next() {
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

    /** How many multipart boundaries a raw message declares ({@code boundary=} parameters), nested or not. */
    static int multiparts(byte[] raw) {
        byte[] b = "boundary=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int n = 0;
        outer:
        for (int i = 0; i + b.length <= raw.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (Character.toLowerCase((char) (raw[i + j] & 0xff)) != b[j]) {
                    continue outer;
                }
            }
            n++;
        }
        return n;
    }

    /** The readable text of a part: text/plain preferred, HTML converted, attachments skipped. */
    public static String text(Part p) throws MessagingException, IOException {
        return text(p, 0);
    }

    private static String text(Part p, int depth) throws MessagingException, IOException {
        if (depth > MAX_MULTIPARTS) {
            throw new MessagingException("multipart nested deeper than " + MAX_MULTIPARTS + " levels");
        }
        if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
            return "";
        }
        if (p.isMimeType("text/plain")) {
            return content(p);
        }
        if (p.isMimeType("text/html")) {
            return HtmlText.of(content(p));
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
                String t = text(part, depth + 1);
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
}
