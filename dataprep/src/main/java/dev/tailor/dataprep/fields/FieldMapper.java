package dev.tailor.dataprep.fields;

import dev.tailor.dataprep.example.Notes;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.dataprep.email.EmailText;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.example.RecordRejected;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.filter.SpamClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one JSON object into an example. Understands OpenAI chat ({@code messages}), ShareGPT
 * ({@code conversations} with from/value), prompt/completion, question/answer, input/output,
 * instruction/response (+ input as context), and plain {@code text}; other field names through the
 * configured mapping (keys prompt, completion, context, system, messages, text).
 */
public final class FieldMapper {
    private static final List<String> PROMPTS = List.of("prompt", "question", "instruction", "input", "query", "request",
            "user", "customer", "human", "q");
    private static final List<String> COMPLETIONS = List.of("completion", "answer", "response", "output", "reply",
            "assistant", "agent", "bot", "gpt", "a");
    private static final List<String> TEXTS = List.of("text", "content", "body", "document");
    private static final List<String> THREADS = List.of("comments", "conversation", "conversations", "thread", "replies",
            "turns", "dialog", "dialogue");
    private static final List<String> TURN_TEXT = List.of("body", "plain_body", "body_text", "text", "content", "message", "value");
    private static final List<String> TURN_ROLE = List.of("role", "author_role", "author_type", "from", "sender", "author", "type");
    private static final java.util.regex.Pattern AGENT = java.util.regex.Pattern.compile(
            "(?i).*(agent|support|staff|admin|assistant|bot|operator|helpdesk|engineer).*");
    private static final java.util.regex.Pattern CUSTOMER = java.util.regex.Pattern.compile(
            "(?i).*(customer|requester|user|end.?user|client|human|contact|reporter).*");

    private final Map<String, String> mapping;
    private final FieldPolicies policies;
    private final double spamThreshold;
    private EmailFields email = EmailFields.OFF;
    private Notes notes = Notes.NONE;
    /** The note of a number or boolean in a content field, taken as its text. */
    public static final String CONVERTED = "content.converted-to-text";
    /** The rule of a content field that holds a JSON object or a non-text array. */
    public static final String NOT_TEXT = "non-string-content";

    /**
     * The e-mail conventions on text fields ({@code email.emailInFields}, {@code emailFields}, {@code removeSignOffs}),
     * and where what they removed is noted ({@code email-in-fields.<rule>}: the field, or the role when detected).
     */
    public record EmailFields(String mode, java.util.Set<String> fields, boolean signOffs,
                              Notes notes) {
        public static final EmailFields OFF = new EmailFields("off", java.util.Set.of(), false,
                Notes.NONE);

        /** {@code text} cleaned as e-mail when {@code always} or the mode says so (all, or detect and it looks like one). */
        String apply(String text, boolean always, SourceRef source) {
            if (text == null || text.isBlank() || mode.equals("off") && !always) {
                return text;
            }
            EmailText.Cleaned c = EmailText.apply(text, null, signOffs);
            if (c.removed().isEmpty() || !(always || mode.equals("all") || c.looksLikeEmail())) {
                return text;
            }
            c.removed().forEach((rule, removed) -> notes.note("email-in-fields." + rule, source.toString(),
                    "removed from a text field by the e-mail conventions (" + rule + ")", removed));
            return c.text();
        }
    }

    public FieldMapper(Map<String, String> mapping) {
        this(mapping, null, Double.POSITIVE_INFINITY);
    }

    /**
     * @param spamThreshold a ticket whose opening customer message has a {@link SpamClassifier} probability
     *     at or above this is rejected (rule "spam"); {@code Double.POSITIVE_INFINITY} checks none
     */
    public FieldMapper(Map<String, String> mapping, FieldPolicies policies, double spamThreshold) {
        this.mapping = mapping == null ? Map.of() : mapping;
        this.policies = policies;
        this.spamThreshold = spamThreshold;
    }

    /** Applies the e-mail conventions to text fields as {@code fields} says; returns this. */
    public FieldMapper email(EmailFields fields) {
        this.email = fields == null ? EmailFields.OFF : fields;
        return this;
    }

    /** Where numbers and booleans taken as the text of a content field are noted ({@value #CONVERTED}); returns this. */
    public FieldMapper notes(Notes notes) {
        this.notes = notes == null ? Notes.NONE : notes;
        return this;
    }

    public Example map(JsonNode node, SourceRef source) {
        if (node == null || !node.isObject()) {
            throw new RecordRejected("not-an-object", "expected a JSON object per line, got " + kind(node));
        }
        if (email != EmailFields.OFF) {
            return emailFields((com.fasterxml.jackson.databind.node.ObjectNode) node, source);
        }
        return mapFields(node, source);
    }

    /** Configured e-mail fields cleaned in the record, then every text of the example cleaned when it looks like e-mail. */
    private Example emailFields(com.fasterxml.jackson.databind.node.ObjectNode node, SourceRef source) {
        for (String f : email.fields()) {
            JsonNode v = node.get(f);
            if (v != null && v.isTextual()) {
                node.put(f, email.apply(v.asText(), true, source));
            }
        }
        Example e = mapFields(node, source);
        Example cleaned = e.mapText(t -> email.apply(t, false, source));
        if (cleaned.isChat()) {
            validateTurns(cleaned.messages()); // a field that was only a quotation is now empty
        } else if (cleaned.text().isBlank()) {
            throw new RecordRejected("empty-field", "the text is empty once its quoted reply, signature and footers are removed");
        }
        return cleaned;
    }

    private Example mapFields(JsonNode node, SourceRef source) {
        if (policies != null) {
            List<String> flags = policies.apply((com.fasterxml.jackson.databind.node.ObjectNode) node);
            Example e = origin(node, mapObject(node, source));
            return flags.isEmpty() ? e : e.withFlags(flags);
        }
        return origin(node, mapObject(node, source));
    }

    /** Fields that hold an example's content under one of the names this mapper reads, never metadata. */
    private static final java.util.Set<String> CONTENT_FIELDS = java.util.Set.copyOf(concat(PROMPTS, COMPLETIONS, TEXTS,
            THREADS, List.of("messages", "system", "context", "input", "metadata", "kind", "source_kind", "sourceKind")));
    /** At most this many metadata fields are kept per record, each value at most this long. */
    private static final int MAX_METADATA_FIELDS = 32;
    private static final int MAX_METADATA_CHARS = 200;

    /**
     * The record's kind ({@code kind} or {@code source_kind}, else ticket for a ticket export) and metadata: the
     * fields of its {@code metadata} object and its other top-level text, number and boolean fields (product,
     * category, …), as text.
     */
    private Example origin(JsonNode node, Example e) {
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        node.path("metadata").fields().forEachRemaining(f -> putScalar(metadata, f.getKey(), f.getValue()));
        node.fields().forEachRemaining(f -> {
            if (!CONTENT_FIELDS.contains(f.getKey()) && !mapping.containsValue(f.getKey())) {
                putScalar(metadata, f.getKey(), f.getValue());
            }
        });
        String kind = null;
        for (String field : List.of("kind", "source_kind", "sourceKind")) {
            if (kind == null && node.path(field).isTextual() && !node.path(field).asText().isBlank()) {
                kind = node.path(field).asText();
            }
        }
        if (kind == null && node.path("metadata").path("kind").isTextual()) {
            kind = node.path("metadata").path("kind").asText();
        }
        Example out = metadata.isEmpty() ? e : e.withMetadata(metadata);
        return kind == null ? out : out.withKind(kind);
    }

    /** Whether {@code field} is one this mapper reads as an example's content (a known name, or a mapped one). */
    public boolean readsField(String field) {
        return CONTENT_FIELDS.contains(field) || mapping.containsValue(field);
    }

    private static void putScalar(Map<String, String> out, String name, JsonNode v) {
        if (out.size() < MAX_METADATA_FIELDS && v.isValueNode() && !v.isNull() && !name.isBlank()) {
            String text = v.asText();
            out.putIfAbsent(name, text.length() > MAX_METADATA_CHARS ? text.substring(0, MAX_METADATA_CHARS) : text);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    private Example mapObject(JsonNode node, SourceRef source) {
        JsonNode messages = node.get(mapping.getOrDefault("messages", "messages"));
        if (messages != null) {
            return Example.chat(chat(messages, source), source);
        }
        if (node.has("conversations") && node.get("conversations").path(0).has("from")) {
            return Example.chat(shareGpt(node.get("conversations"), source), source);
        }
        String threadField = mapping.containsKey("conversation") ? mapping.get("conversation") : first(node, THREADS, null);
        if (threadField != null && node.get(threadField).isArray()) {
            return Example.chat(ticket(node, node.get(threadField), source), source).withKindIfAbsent(Example.TICKET);
        }
        String promptField = mapping.containsKey("prompt") ? mapping.get("prompt") : first(node, PROMPTS, "instruction");
        String completionField = mapping.containsKey("completion") ? mapping.get("completion") : first(node, COMPLETIONS, null);
        if (promptField != null && node.has(promptField) || completionField != null && node.has(completionField)) {
            String prompt = str(node, promptField, source);
            String completion = str(node, completionField, source);
            String contextField = mapping.getOrDefault("context", "instruction".equals(promptField) ? "input" : "context");
            String context = contextField.equals(promptField) ? "" : str(node, contextField, source);
            if (prompt.isBlank()) {
                throw new RecordRejected("empty-field", "'" + (promptField == null ? "prompt" : promptField)
                        + "' is missing or empty; map your question field with fieldMapping.prompt");
            }
            if (completion.isBlank()) {
                throw new RecordRejected("empty-field", "'" + (completionField == null ? "completion" : completionField)
                        + "' is missing or empty; map your answer field with fieldMapping.completion");
            }
            List<Message> out = new ArrayList<>(3);
            String system = str(node, mapping.getOrDefault("system", "system"), source);
            if (!system.isBlank()) {
                out.add(new Message("system", system));
            }
            out.add(new Message("user", context.isBlank() ? prompt : prompt + "\n\n" + context));
            out.add(new Message("assistant", completion));
            return Example.chat(out, source);
        }
        String textField = mapping.containsKey("text") ? mapping.get("text") : first(node, TEXTS, null);
        if (textField != null) {
            String text = str(node, textField, source);
            if (text.isBlank()) {
                throw new RecordRejected("empty-field", "'" + textField + "' is empty");
            }
            return Example.text(text, source);
        }
        throw new RecordRejected("unknown-fields", "no known fields in " + fieldNames(node)
                + "; expected messages, prompt/completion, question/answer, input/output, instruction/response or text,"
                + " or set fieldMapping (e.g. {\"prompt\":\"ticket\",\"completion\":\"resolution\"})");
    }

    private List<Message> chat(JsonNode messages, SourceRef source) {
        if (!messages.isArray() || messages.isEmpty()) {
            throw new RecordRejected("invalid-messages", "'messages' must be a non-empty array of {role, content}");
        }
        List<Message> out = new ArrayList<>(messages.size());
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            if (!role.equals("system") && !role.equals("user") && !role.equals("assistant")) {
                throw new RecordRejected("invalid-messages", "message role must be system, user or assistant, got '" + role + "'");
            }
            out.add(new Message(role, content(m.get("content"), "content", source)));
        }
        return validateTurns(out);
    }

    private List<Message> shareGpt(JsonNode conv, SourceRef source) {
        if (!conv.isArray() || conv.isEmpty()) {
            throw new RecordRejected("invalid-messages", "'conversations' must be a non-empty array of {from, value}");
        }
        List<Message> out = new ArrayList<>();
        for (JsonNode m : conv) {
            String from = m.path("from").asText("");
            String role = switch (from) {
                case "human", "user" -> "user";
                case "gpt", "assistant", "bot" -> "assistant";
                case "system" -> "system";
                default -> throw new RecordRejected("invalid-messages", "conversation 'from' must be human, gpt or system, got '" + from + "'");
            };
            out.add(new Message(role, content(m.get("value"), "value", source)));
        }
        return validateTurns(out);
    }

    /**
     * A ticket export: an array of comments, each with a text field and (usually) an author role; internal
     * notes ({@code "public": false}) are skipped, consecutive turns of one side are merged, the subject
     * opens the first customer message, and trailing customer turns (no answer yet) are cut. A ticket that
     * opens with a customer message the spam classifier flags is rejected.
     */
    private List<Message> ticket(JsonNode node, JsonNode turns, SourceRef source) {
        List<Message> out = new ArrayList<>();

        for (JsonNode t : turns) {
            if (t.has("public") && !t.get("public").asBoolean(true)) {
                continue;
            }
            String text = t.isTextual() ? t.asText() : str(t, first(t, TURN_TEXT, null), source);
            if (text.isBlank()) {
                continue;
            }
            String roleField = t.isObject() ? first(t, TURN_ROLE, null) : null; // an author object: its JSON names the role
            JsonNode author = roleField == null ? null : t.get(roleField);
            String who = author == null || author.isNull() ? "" : author.isValueNode() ? author.asText() : author.toString();
            String role = AGENT.matcher(who).matches() ? "assistant" : CUSTOMER.matcher(who).matches() ? "user"
                    : out.isEmpty() || out.get(out.size() - 1).role().equals("assistant") ? "user" : "assistant";
            if (!out.isEmpty() && out.get(out.size() - 1).role().equals(role)) {
                Message last = out.remove(out.size() - 1);
                out.add(last.withContent(last.content() + "\n\n" + text));
            } else {
                out.add(new Message(role, text));
            }

        }
        while (!out.isEmpty() && out.get(out.size() - 1).role().equals("user") && out.size() > 1) {
            out.remove(out.size() - 1);
        }
        String subject = str(node, "subject", source);
        if (spamThreshold <= 1 && !out.isEmpty() && out.get(0).role().equals("user")) {
            String spam = SpamClassifier.shared().spamReason(EmailText.subject(subject),
                    EmailText.clean(out.get(0).content()), spamThreshold); // as e-mail is classified
            if (spam != null) {
                throw new RecordRejected("spam", spam);
            }
        }
        if (!out.isEmpty() && out.get(0).role().equals("user") && !subject.isBlank() && !out.get(0).content().startsWith(subject)) {
            out.set(0, out.get(0).withContent(subject + "\n\n" + out.get(0).content()));
        }
        if (out.isEmpty()) {
            throw new RecordRejected("empty-field", "the ticket has no comment with text");
        }
        return validateTurns(out);
    }

    /** Checks a conversation: no empty user/assistant turn, a user turn, an assistant turn last; returns it. */
    public static List<Message> validateTurns(List<Message> messages) {
        boolean user = false;
        for (Message m : messages) {
            if (m.content().isBlank() && !m.role().equals("system")) {
                throw new RecordRejected("empty-field", "a " + m.role() + " message has empty content");
            }
            user |= m.role().equals("user");
        }
        if (!user) {
            throw new RecordRejected("incomplete-conversation", "the conversation has no user message");
        }
        if (!messages.get(messages.size() - 1).role().equals("assistant")) {
            throw new RecordRejected("incomplete-conversation", "the conversation must end with an assistant message (the answer to learn)");
        }
        return messages;
    }

    /**
     * The text of content field {@code field}: a string as it is; a number or boolean as its text, noted
     * ({@value #CONVERTED}); an array of text parts ({@code ["…"]} or OpenAI's {@code [{"type":"text","text":"…"}]})
     * joined, other parts (images) skipped; a JSON object, or an array holding anything else, rejects the record
     * ({@value #NOT_TEXT}): its JSON is no text to learn from.
     */
    private String content(JsonNode c, String field, SourceRef source) {
        if (c == null || c.isNull() || c.isMissingNode()) {
            return "";
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (c.isNumber() || c.isBoolean()) {
            notes.note(CONVERTED, source.toString(), "'" + field + "' is a " + (c.isNumber() ? "number" : "boolean")
                    + ", taken as the text '" + c.asText() + "'", c.asText());
            return c.asText();
        }
        if (c.isArray()) { // [{"type":"text","text":"..."}]
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (part.isTextual()) {
                    sb.append(part.asText());
                } else if (part.isObject() && part.path("text").isTextual() && "text".equals(part.path("type").asText("text"))) {
                    sb.append(part.path("text").asText());
                } else if (!(part.isObject() && part.has("type") && !"text".equals(part.path("type").asText()))) {
                    throw new RecordRejected(NOT_TEXT, "'" + field + "' is an array holding " + kind(part) + ", not text"
                            + " parts (strings or {\"type\":\"text\",\"text\":…}); flatten it to a string");
                }
            }
            return sb.toString();
        }
        throw new RecordRejected(NOT_TEXT, "'" + field + "' is a JSON " + kind(c) + ", not text; put the text to learn"
                + " in a string field, or map another field with fieldMapping");
    }

    private static String first(JsonNode node, List<String> names, String preferred) {
        if (preferred != null && node.has(preferred)) {
            return preferred;
        }
        for (String n : names) {
            if (node.has(n)) {
                return n;
            }
        }
        return null;
    }

    private String str(JsonNode node, String field, SourceRef source) {
        if (field == null) {
            return "";
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : content(v, field, source);
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }

    private static String kind(JsonNode n) {
        return n == null ? "nothing" : n.getNodeType().name().toLowerCase();
    }
}
