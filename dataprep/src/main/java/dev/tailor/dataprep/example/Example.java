package dev.tailor.dataprep.example;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A training example: either a chat ({@code messages}) or a plain document chunk ({@code text} set,
 * messages empty), with the place it came from and flags set by rules that kept it (e.g. a missing field).
 */
public record Example(List<Message> messages, String text, SourceRef source, List<String> flags) {
    public Example(List<Message> messages, String text, SourceRef source) {
        this(messages, text, source, List.of());
    }

    public Example {
        messages = List.copyOf(messages);
        flags = flags == null ? List.of() : List.copyOf(flags);
        if (messages.isEmpty() && (text == null || text.isBlank())) {
            throw new IllegalArgumentException("an example needs messages or text (" + source + ")");
        }
    }

    public static Example chat(List<Message> messages, SourceRef source) {
        return new Example(messages, null, source);
    }

    public static Example text(String text, SourceRef source) {
        return new Example(List.of(), text, source);
    }

    public Example withFlags(List<String> newFlags) {
        return new Example(messages, text, source, newFlags);
    }

    public boolean isChat() {
        return !messages.isEmpty();
    }

    /** Applies {@code f} to every piece of text (message contents or the document text). */
    public Example mapText(UnaryOperator<String> f) {
        if (!isChat()) {
            return new Example(List.of(), f.apply(text), source, flags);
        }
        return new Example(messages.stream().map(m -> m.withContent(f.apply(m.content()))).toList(), null, source, flags);
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
