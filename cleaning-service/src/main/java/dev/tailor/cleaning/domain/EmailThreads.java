package dev.tailor.cleaning.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds threads from Message-ID / In-Reply-To / References across every message of a run, and turns
 * each (message → reply) into a (user → assistant) example: the first message of a thread carries its
 * subject. A reply that arrives before its question waits for it. Memory is bounded: at most
 * {@code maxOpen} messages are remembered (oldest forgotten first).
 */
public final class EmailThreads {
    private final int maxOpen;
    private final LinkedHashMap<String, MailMessage> seen;
    private final Map<String, List<MailMessage>> waiting = new LinkedHashMap<>();
    private long pairs;

    public EmailThreads(int maxOpen) {
        this.maxOpen = maxOpen;
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, MailMessage> eldest) {
                return size() > EmailThreads.this.maxOpen;
            }
        };
    }

    /** Adds a message; returns the examples it completes (as a reply, or as the question of waiting replies). */
    public List<Example> add(MailMessage m) {
        List<Example> out = new ArrayList<>(1);
        String parentId = m.parentId();
        if (parentId != null) {
            MailMessage parent = seen.get(parentId);
            if (parent != null) {
                out.add(pair(parent, m));
            } else if (waiting.size() < maxOpen) {
                waiting.computeIfAbsent(parentId, k -> new ArrayList<>()).add(m);
            }
        }
        if (m.messageId() != null) {
            seen.put(m.messageId(), m);
            List<MailMessage> replies = waiting.remove(m.messageId());
            if (replies != null) {
                for (MailMessage r : replies) {
                    out.add(pair(m, r));
                }
            }
        }
        return out;
    }

    /** Replies whose question never came, to report at the end. */
    public List<MailMessage> orphans() {
        List<MailMessage> out = new ArrayList<>();
        waiting.values().forEach(out::addAll);
        return out;
    }

    public long pairs() {
        return pairs;
    }

    private Example pair(MailMessage question, MailMessage reply) {
        pairs++;
        String user = question.body();
        if (question.parentId() == null && !question.subject().isBlank() && !user.startsWith(question.subject())) {
            user = question.subject() + "\n\n" + user;
        }
        return Example.chat(List.of(new Message("user", user), new Message("assistant", reply.body())), reply.source());
    }
}
