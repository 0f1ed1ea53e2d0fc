package dev.tailor.dataprep.email;

import dev.tailor.dataprep.config.EmailSettings.ThreadMode;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.example.ParseResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds threads from Message-ID / In-Reply-To / References across every message of a run. In
 * {@code pairs} mode each (message → reply) becomes a (user → assistant) example as soon as both are
 * read: the first message of a thread carries its subject, and a reply that arrives before its question
 * waits for it. In {@code conversations} mode every path from a thread's first message to one of its last
 * replies becomes one multi-turn example (see {@link #conversations()}), emitted when the run ends.
 * Memory is bounded: at most {@code maxOpen} messages and about {@code maxBytes} of their text are
 * remembered (pairs: oldest forgotten first, and a reply that cannot wait is an orphan; conversations: the
 * threads held so far are emitted when a limit is reached).
 */
public final class EmailThreads {
    /** The rule of a reply whose question is missing. */
    public static final String ORPHAN = "email-reply-without-question";
    /** The note of a message that opens a thread without a reply among the inputs (kept, not an example yet). */
    public static final String INCOMPLETE = "email.incomplete-thread";

    private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("[^\\s<>()\",;:]+@[^\\s<>()\",;:]+");

    private final int maxOpen;
    private final long maxBytes;
    private long bytes;
    private final boolean conversationMode;
    private final LinkedHashMap<String, MailMessage> seen;
    private final Map<String, List<MailMessage>> waiting = new LinkedHashMap<>();
    private final List<MailMessage> held = new ArrayList<>();
    /** Messages that open a thread and have no reply yet (pairs mode; oldest forgotten first, like {@link #seen}). */
    private final LinkedHashMap<Object, MailMessage> unanswered = new LinkedHashMap<>();
    /** Thread openers that had no reply when their messages were turned into examples (conversations mode). */
    private final List<MailMessage> incomplete = new ArrayList<>();

    private long pairs;
    private long conversations;
    private boolean earlier;

    public EmailThreads(int maxOpen) {
        this(maxOpen, Long.MAX_VALUE, ThreadMode.PAIRS);
    }

    /**
     * @param maxOpen messages remembered at most
     * @param maxBytes about this many bytes of message text remembered at most
     * @param mode pairs or conversations
     */
    public EmailThreads(int maxOpen, long maxBytes, ThreadMode mode) {
        this.conversationMode = mode == ThreadMode.CONVERSATIONS;
        this.maxOpen = maxOpen;
        this.maxBytes = maxBytes;
        this.seen = new LinkedHashMap<>();
    }

    /** Heap held by a remembered message, roughly: its text as UTF-16 plus the record and ids. */
    private static long size(MailMessage m) {
        return 2L * (m.body().length() + m.subject().length()) + 256;
    }

    /**
     * Adds a message; returns the examples it completes (pairs: as a reply, or as the question of waiting
     * replies; conversations: none until {@link #conversations()}, unless the held messages reach a limit),
     * and rejections of replies whose question cannot be found any more (rule {@link #ORPHAN}).
     */
    public List<ParseResult> add(MailMessage m) {
        if (earlier) {
            remember(m);
            return List.of();
        }
        if (conversationMode) {
            held.add(m);
            bytes += size(m);
            return held.size() >= Math.max(1, maxOpen) || bytes >= maxBytes ? conversations() : List.of();
        }
        List<ParseResult> out = new ArrayList<>(1);
        String parentId = m.parentId();
        if (parentId == null) {
            unanswered.put(m.messageId() == null ? new Object() : m.messageId(), m);
            while (unanswered.size() > Math.max(1, maxOpen)) {
                unanswered.remove(unanswered.keySet().iterator().next());
            }
        }
        if (parentId != null) {
            MailMessage parent = seen.get(parentId);
            if (parent != null) {
                out.add(ParseResult.ok(pair(parent, m), false));
            } else if (waiting.size() < maxOpen && bytes + size(m) <= maxBytes) {
                waiting.computeIfAbsent(parentId, k -> new ArrayList<>()).add(m);
                bytes += size(m);
            } else {
                out.add(orphan(m, "whose question is not among the messages remembered (maxOpenThreads, maxThreadBytes)"));
            }
        }
        if (m.messageId() != null) {
            MailMessage before = seen.put(m.messageId(), m);
            bytes += size(m) - (before == null ? 0 : size(before));
            List<MailMessage> replies = waiting.remove(m.messageId());
            if (replies != null) {
                for (MailMessage r : replies) {
                    out.add(ParseResult.ok(pair(m, r), false));
                    bytes -= size(r);
                }
            }
            for (var it = seen.values().iterator(); it.hasNext() && (seen.size() > maxOpen || bytes > maxBytes); ) {
                bytes -= size(it.next());
                it.remove();
            }
        }
        return out;
    }

    /**
     * While on, messages added are those of the dataset's earlier uploads: remembered as questions that a reply read
     * later completes, and nothing of their own (no example, no rejection, no incomplete thread: they belong to their
     * own versions). Pairs mode only; in conversations mode they are ignored.
     */
    public void readingEarlier(boolean on) {
        this.earlier = on;
    }

    private void remember(MailMessage m) {
        if (conversationMode || m.messageId() == null) {
            return;
        }
        MailMessage before = seen.put(m.messageId(), m);
        bytes += size(m) - (before == null ? 0 : size(before));
        for (var it = seen.values().iterator(); it.hasNext() && (seen.size() > maxOpen || bytes > maxBytes); ) {
            bytes -= size(it.next());
            it.remove();
        }
    }

    /** The rejection of a reply whose question is missing. */
    private static ParseResult orphan(MailMessage m, String why) {
        return ParseResult.rejected(m.source(), ORPHAN, "a reply to " + m.parentId() + ", " + why, m.body());
    }

    /** Rejections of the replies still waiting for a question that never came, at the end of the run; forgets them. */
    public List<ParseResult> orphans() {
        List<ParseResult> out = new ArrayList<>();
        waiting.values().forEach(replies -> replies.forEach(r -> out.add(orphan(r, "which is not among the inputs"))));
        waiting.clear();
        return out;
    }

    /**
     * The messages that open a thread and have no reply among the inputs read so far (call after
     * {@link #conversations()} in conversations mode); forgets them. Such a message is no error: it is kept with its
     * upload, and is no example until its reply is read with it.
     */
    public List<MailMessage> incompleteThreads() {
        List<MailMessage> out = new ArrayList<>(incomplete);
        out.addAll(unanswered.values());
        incomplete.clear();
        unanswered.clear();
        return out;
    }

    public long pairs() {
        return pairs;
    }

    public long conversationCount() {
        return conversations;
    }

    /**
     * In conversations mode, the held messages as multi-turn examples, and forgets them: one example per
     * path from a thread's first message to a message without replies. Turns by the first message's sender
     * are the user's, the others the assistant's (by position when senders are unknown); consecutive turns
     * of one side are joined, and trailing user turns dropped, so that every example ends with an answer.
     * Replies whose question is not held are orphans. Empty in pairs mode.
     */
    public List<ParseResult> conversations() {
        Map<String, MailMessage> byId = new LinkedHashMap<>();
        for (MailMessage m : held) {
            if (m.messageId() != null) {
                byId.putIfAbsent(m.messageId(), m);
            }
        }
        Map<String, List<MailMessage>> children = new java.util.HashMap<>();
        List<MailMessage> roots = new ArrayList<>();
        List<MailMessage> lost = new ArrayList<>();
        for (MailMessage m : held) {
            if (m.messageId() != null && byId.get(m.messageId()) != m) {
                continue; // the same message again (e.g. in two archives)
            }
            String parent = m.parentId();
            if (parent == null) {
                roots.add(m);
            } else if (byId.containsKey(parent) && !parent.equals(m.messageId())) {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(m);
            } else {
                lost.add(m);
            }
        }
        held.clear();
        bytes = 0;
        List<ParseResult> out = new ArrayList<>();
        for (MailMessage m : lost) {
            out.add(orphan(m, byId.containsKey(m.parentId()) ? "which is the message itself (a loop)" : "which is not among the messages held"
                    + " (the inputs, up to maxOpenThreads and maxThreadBytes)"));
        }
        for (MailMessage root : roots) {
            java.util.ArrayDeque<List<MailMessage>> paths = new java.util.ArrayDeque<>();
            paths.push(List.of(root));
            while (!paths.isEmpty()) {
                List<MailMessage> path = paths.pop();
                MailMessage last = path.get(path.size() - 1);
                List<MailMessage> next = last.messageId() == null ? null : children.get(last.messageId());
                if (next == null || next.isEmpty()) {
                    if (path.size() == 1) {
                        incomplete.add(root);
                        continue;
                    }
                    Example e = conversation(path);
                    if (e != null) {
                        out.add(ParseResult.ok(e, false));
                    }
                    continue;
                }
                for (int i = next.size() - 1; i >= 0; i--) {
                    List<MailMessage> longer = new ArrayList<>(path);
                    longer.add(next.get(i));
                    paths.push(longer);
                }
            }
        }
        return out;
    }

    private Example conversation(List<MailMessage> path) {
        MailMessage first = path.get(0);
        String customer = address(first.from());
        List<Message> turns = new ArrayList<>(path.size());
        for (int i = 0; i < path.size(); i++) {
            MailMessage m = path.get(i);
            String text = i == 0 ? withSubject(m) : m.body();
            if (text.isBlank()) {
                continue;
            }
            String sender = address(m.from());
            boolean user = customer != null && sender != null ? sender.equals(customer) : i % 2 == 0;
            String role = user ? "user" : "assistant";
            if (!turns.isEmpty() && turns.get(turns.size() - 1).role().equals(role)) {
                Message previous = turns.remove(turns.size() - 1);
                turns.add(previous.withContent(previous.content() + "\n\n" + text));
            } else if (!turns.isEmpty() || user) {
                turns.add(new Message(role, text));
            }
        }
        while (!turns.isEmpty() && turns.get(turns.size() - 1).role().equals("user")) {
            turns.remove(turns.size() - 1);
        }
        if (turns.size() < 2) {
            return null;
        }
        conversations++;
        return Example.chat(turns, path.get(path.size() - 1).source()).withKindIfAbsent(Example.EMAIL);
    }

    /** The lower-cased address of a From header ("Name <a@b>", "a@b (Name)" or "a@b"), or null. */
    static String address(String from) {
        if (from == null) {
            return null;
        }
        java.util.regex.Matcher m = ADDRESS.matcher(from);
        return m.find() ? m.group().toLowerCase(java.util.Locale.ROOT) : null;
    }

    private static String withSubject(MailMessage m) {
        String body = m.body();
        return m.subject().isBlank() || body.startsWith(m.subject()) ? body : m.subject() + "\n\n" + body;
    }

    private Example pair(MailMessage question, MailMessage reply) {
        pairs++;
        if (question.messageId() != null) {
            unanswered.remove(question.messageId());
        }
        String user = question.parentId() == null ? withSubject(question) : question.body();
        return Example.chat(List.of(new Message("user", user), new Message("assistant", reply.body())), reply.source())
                .withKindIfAbsent(Example.EMAIL);
    }
}
