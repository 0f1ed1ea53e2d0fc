package dev.tailor.dataprep.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How e-mail threads become examples.
 *
 * @param emailThreads {@code "pairs"} (each message → reply as user → assistant) or {@code "conversations"} (each
 *     path from the first message to a last reply as one multi-turn example; the first message's sender is the user)
 * @param maxOpenThreads e-mail messages remembered while waiting for their replies
 * @param maxThreadBytes bytes of e-mail text (as held in memory) remembered while waiting for replies, besides the
 *     maxOpenThreads count: the oldest messages are forgotten first, so the heap stays bounded on big mailboxes
 * @param emailInFields the e-mail conventions (quoted replies, attribution lines, signatures, mobile and list footers,
 *     sign-offs: see {@code EmailText}) on the text fields of JSONL, CSV, Parquet and ticket exports: {@code "detect"}
 *     (a field whose text shows them: a quotation after an attribution line, two or more quoted lines, a {@code -- }
 *     signature, an original-message marker, a mobile or list footer), {@code "all"} (every text field) or
 *     {@code "off"}; counted as {@code email-in-fields.<rule>}
 * @param emailFields source field names always cleaned as e-mail text, whatever emailInFields says
 * @param removeSignOffs remove a closing last paragraph ("Thanks, Peter", "Cheers,\njr") and, in e-mail messages,
 *     the sender's name or initials alone
 */
public record EmailSettings(ThreadMode emailThreads, int maxOpenThreads, long maxThreadBytes, String emailInFields,
                            java.util.List<String> emailFields, boolean removeSignOffs) {
    /** The two ways a thread becomes examples; written in JSON as {@code "pairs"} and {@code "conversations"}. */
    public enum ThreadMode {
        PAIRS, CONVERSATIONS;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode named {@code id} (case and surrounding spaces ignored). */
        @JsonCreator
        public static ThreadMode of(String id) {
            for (ThreadMode m : values()) {
                if (id != null && m.id().equals(id.strip().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("emailThreads must be \"pairs\" or \"conversations\", got '" + id + "'");
        }
    }

    public EmailSettings {
        emailThreads = emailThreads == null ? ThreadMode.PAIRS : emailThreads;
        emailInFields = emailInFields == null ? "detect" : emailInFields.strip().toLowerCase(Locale.ROOT);
        if (!java.util.Set.of("detect", "all", "off").contains(emailInFields)) {
            throw new IllegalArgumentException("emailInFields must be \"detect\", \"all\" or \"off\", got '" + emailInFields + "'");
        }
        emailFields = emailFields == null ? java.util.List.of() : java.util.List.copyOf(emailFields);
        if (maxOpenThreads < 0 || maxThreadBytes < 0) {
            throw new IllegalArgumentException("maxOpenThreads and maxThreadBytes must be >= 0, got " + maxOpenThreads
                    + " and " + maxThreadBytes);
        }
    }

    public static EmailSettings defaults() {
        return new EmailSettings(ThreadMode.PAIRS, 200_000, 64L * 1024 * 1024, "detect", java.util.List.of(), true);
    }
}
