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
 */
public record EmailSettings(ThreadMode emailThreads, int maxOpenThreads, long maxThreadBytes) {
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
        if (maxOpenThreads < 0 || maxThreadBytes < 0) {
            throw new IllegalArgumentException("maxOpenThreads and maxThreadBytes must be >= 0, got " + maxOpenThreads
                    + " and " + maxThreadBytes);
        }
    }

    public static EmailSettings defaults() {
        return new EmailSettings(ThreadMode.PAIRS, 200_000, 64L * 1024 * 1024);
    }
}
