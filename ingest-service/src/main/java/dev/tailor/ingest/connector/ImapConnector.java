package dev.tailor.ingest.connector;

import dev.tailor.dataprep.email.MboxWriter;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.SourceSpec;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * New messages of an IMAP mailbox as one mbox. Connection settings: {@code host}, {@code user}, {@code port}
 * (default 993 with SSL, 143 without), {@code ssl} (default true), {@code folders} (comma-separated, default INBOX),
 * {@code since} (a date, yyyy-MM-dd: older messages are left out). The secret is the password. The cursor keeps,
 * per folder, the folder's UIDVALIDITY and the highest UID pulled ({@code folder → "uidvalidity:uid"}); a folder
 * whose UIDVALIDITY changed is read again from the start.
 */
public final class ImapConnector implements Connector {
    private static final String KEY = "imap:";

    @Override
    public Pull pull(SourceSpec spec, Map<String, String> cursor, Optional<String> secret, Limits limits) {
        boolean ssl = Boolean.parseBoolean(spec.setting("ssl", "true"));
        String host = spec.setting("host", null);
        int port = (int) spec.number("port", ssl ? 993 : 143);
        Instant since = since(spec);
        String protocol = ssl ? "imaps" : "imap";
        Properties props = new Properties();
        String ms = String.valueOf(limits.timeout().toMillis());
        props.put("mail." + protocol + ".connectiontimeout", ms);
        props.put("mail." + protocol + ".timeout", ms);
        props.put("mail." + protocol + ".writetimeout", ms);
        Session session = Session.getInstance(props);
        Map<String, String> next = new HashMap<>(cursor);
        List<byte[]> messages = new ArrayList<>();
        List<Instant> dates = new ArrayList<>();
        try (Store store = session.getStore(protocol)) {
            store.connect(host, port, spec.setting("user", null), secret.orElse(""));
            for (String name : folders(spec)) {
                if (messages.size() >= limits.maxRecords()) {
                    break;
                }
                readFolder(store, name, since, next, messages, dates, limits.maxRecords());
            }
        } catch (AuthenticationFailedException e) {
            throw new IngestFailure(IngestFailure.Reason.UPSTREAM, "Source refused the credentials", "IMAP server "
                    + host + ":" + port + " refused the login of '" + spec.setting("user", null) + "' with the secret '"
                    + spec.credentialsRef() + "': " + e.getMessage() + "; check the user and the secret")
                    .with("sourceId", spec.id()).with("credentialsRef", spec.credentialsRef());
        } catch (FolderNotFoundException e) {
            throw new IngestFailure(IngestFailure.Reason.UPSTREAM, "Folder not found", "IMAP server " + host + ":" + port
                    + " has no folder '" + e.getFolder().getFullName() + "'; fix the 'folders' setting")
                    .with("sourceId", spec.id()).with("folder", e.getFolder().getFullName());
        } catch (MessagingException | IOException e) {
            throw new IngestFailure(IngestFailure.Reason.UPSTREAM, "Source unreachable", "IMAP server " + host + ":"
                    + port + (ssl ? " (SSL)" : "") + " could not be read: " + Connectors.cause(e)
                    + "; check host, port and ssl, then sync again").with("sourceId", spec.id());
        }
        if (messages.isEmpty()) {
            return Pull.nothing(next);
        }
        return new Pull(MboxWriter.of(messages, dates), "mailbox.mbox", "application/mbox", messages.size(), next);
    }

    private static void readFolder(Store store, String name, Instant since, Map<String, String> next,
                                   List<byte[]> messages, List<Instant> dates, int max)
            throws MessagingException, IOException {
        Folder folder = store.getFolder(name);
        if (!folder.exists()) {
            throw new FolderNotFoundException(folder, name);
        }
        folder.open(Folder.READ_ONLY);
        try {
            UIDFolder uids = (UIDFolder) folder;
            long validity = uids.getUIDValidity();
            long last = 0;
            String seen = next.get(KEY + name);
            if (seen != null) {
                String[] parts = seen.split(":");
                if (Long.parseLong(parts[0]) == validity) {
                    last = Long.parseLong(parts[1]);
                }
            }
            long highest = last;
            // "UID n:*" always answers the newest message, even when its UID is below n: filter on the UID
            Message[] found = uids.getMessagesByUID(last + 1, UIDFolder.MAXUID);
            FetchProfile profile = new FetchProfile(); // UIDs and dates in one round trip, not one per message
            profile.add(UIDFolder.FetchProfileItem.UID);
            profile.add(FetchProfile.Item.ENVELOPE);
            folder.fetch(found, profile);
            long[] order = new long[found.length];
            for (int i = 0; i < found.length; i++) {
                order[i] = uids.getUID(found[i]);
            }
            Integer[] idx = new Integer[found.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> Long.compare(order[a], order[b]));
            for (int i : idx) {
                long uid = order[i];
                if (uid <= last) {
                    continue;
                }
                if (messages.size() >= max) {
                    break;
                }
                highest = uid;
                Message m = found[i];
                Date received = m.getReceivedDate() != null ? m.getReceivedDate() : m.getSentDate();
                if (since != null && received != null && received.toInstant().isBefore(since)) {
                    continue;
                }
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                m.writeTo(raw);
                messages.add(raw.toByteArray());
                dates.add(received == null ? Instant.EPOCH : received.toInstant());
            }
            next.put(KEY + name, validity + ":" + highest);
        } finally {
            folder.close(false);
        }
    }

    @Override
    public void check(SourceSpec spec) {
        since(spec);
        spec.number("port", 993);
        if (folders(spec).isEmpty()) {
            throw new IngestFailure(IngestFailure.Reason.INVALID, "Invalid connection setting", "connection setting"
                    + " 'folders' names no folder; give e.g. INBOX or INBOX,Support").with("field", "connection.folders");
        }
    }

    private static List<String> folders(SourceSpec spec) {
        return Arrays.stream(spec.setting("folders", "INBOX").split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }

    private static Instant since(SourceSpec spec) {
        String v = spec.setting("since", null);
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IngestFailure(IngestFailure.Reason.INVALID, "Invalid connection setting", "connection setting"
                    + " 'since' must be a date like 2024-01-31, got '" + v + "'").with("field", "connection.since");
        }
    }
}
