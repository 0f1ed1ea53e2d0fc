package dev.tailor.dataprep.example;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A training example: either a chat ({@code messages}) or a plain document chunk ({@code text} set,
 * messages empty), with the place it came from, flags set by rules that kept it (e.g. a missing field), the kind
 * of source it came from and the record's metadata fields (both optional; evaluation slices by them).
 *
 * @param kind     {@code faq}, {@code email}, {@code ticket}, {@code document} or a kind the record names; null when
 *                 unknown
 * @param metadata the record's fields that are not its content (product, category, …), text values; empty when none
 */
public record Example(List<Message> messages, String text, SourceRef source, List<String> flags, String kind,
                      Map<String, String> metadata) {
    /** Kinds of source the readers set (a record may name any other kind itself). */
    public static final String FAQ = "faq";
    public static final String EMAIL = "email";
    public static final String TICKET = "ticket";
    public static final String DOCUMENT = "document";

    public Example(List<Message> messages, String text, SourceRef source) {
        this(messages, text, source, List.of());
    }

    public Example(List<Message> messages, String text, SourceRef source, List<String> flags) {
        this(messages, text, source, flags, null, Map.of());
    }

    public Example {
        messages = List.copyOf(messages);
        flags = flags == null ? List.of() : List.copyOf(flags);
        if (messages.isEmpty() && (text == null || text.isBlank())) {
            throw new IllegalArgumentException("an example needs messages or text (" + source + ")");
        }
        kind = kind == null || kind.isBlank() ? null : kind.strip();
        if (metadata == null || metadata.isEmpty()) {
            metadata = Map.of();
        } else {
            LinkedHashMap<String, String> copy = new LinkedHashMap<>(metadata);
            if (copy.containsKey(null) || copy.containsValue(null)) {
                throw new IllegalArgumentException("metadata fields need a name and a value (" + source + ")");
            }
            metadata = Collections.unmodifiableMap(copy);
        }
    }

    /** This example from a source of {@code newKind} (null = unknown), unless a kind is already set. */
    public Example withKindIfAbsent(String newKind) {
        return kind != null ? this : new Example(messages, text, source, flags, newKind, metadata);
    }

    /** This example from a source of {@code newKind} (null = unknown). */
    public Example withKind(String newKind) {
        return new Example(messages, text, source, flags, newKind, metadata);
    }

    /** This example with the record's metadata fields. */
    public Example withMetadata(Map<String, String> fields) {
        return new Example(messages, text, source, flags, kind, fields);
    }

    /** The same origin (source, flags, kind, metadata) with other messages (a chat). */
    public Example withMessages(List<Message> newMessages) {
        return new Example(newMessages, null, source, flags, kind, metadata);
    }

    public static Example chat(List<Message> messages, SourceRef source) {
        return new Example(messages, null, source);
    }

    public static Example text(String text, SourceRef source) {
        return new Example(List.of(), text, source);
    }

    public Example withFlags(List<String> newFlags) {
        return new Example(messages, text, source, newFlags, kind, metadata);
    }

    public boolean isChat() {
        return !messages.isEmpty();
    }

    /** Applies {@code f} to every piece of text (message contents or the document text). */
    public Example mapText(UnaryOperator<String> f) {
        if (!isChat()) {
            return new Example(List.of(), f.apply(text), source, flags, kind, metadata);
        }
        return withMessages(messages.stream().map(m -> m.withContent(f.apply(m.content()))).toList());
    }

    /** The text that identifies this example's content (roles included), used for hashing and dedup. */
    public String contentKey() {
        if (!isChat()) {
            return "text\u0000" + text;
        }
        StringBuilder sb = new StringBuilder();
        for (Message m : messages) {
            sb.append(m.role()).append('\u0000').append(m.content()).append('\u0001');
        }
        return sb.toString();
    }

    /** All visible text, for quality measures. */
    public String allText() {
        if (!isChat()) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        for (Message m : messages) {
            sb.append(m.content()).append('\n');
        }
        return sb.toString();
    }
}
