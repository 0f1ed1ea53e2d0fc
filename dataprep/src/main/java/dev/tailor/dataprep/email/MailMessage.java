package dev.tailor.dataprep.email;

import dev.tailor.dataprep.example.SourceRef;
import java.util.List;

/**
 * A parsed e-mail: ids for threading, the cleaned subject and body, and where it came from.
 *
 * @param references Message-IDs of its ancestors, oldest first (References), the parent last
 */
public record MailMessage(String messageId, String inReplyTo, List<String> references, String from, String subject,
                          String body, SourceRef source) {
    /** The Message-ID of the message this one answers, or null. */
    public String parentId() {
        if (inReplyTo != null) {
            return inReplyTo;
        }
        return references.isEmpty() ? null : references.get(references.size() - 1);
    }
}
