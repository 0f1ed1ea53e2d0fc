package dev.tailor.eval.domain.slices;

import java.util.Locale;

/**
 * A way to group examples: by source kind, source file, answer-length bucket, conversation-length bucket, or the
 * value of a named metadata field.
 *
 * @param kind  what to group by
 * @param field the metadata field name, for {@link Kind#METADATA} only
 */
public record SliceKey(Kind kind, String field) {
    /** Value of examples that lack the metadata field or source file. */
    public static final String MISSING = "(none)";

    public enum Kind {
        SOURCE_KIND, SOURCE_FILE, ANSWER_LENGTH, CONVERSATION_LENGTH, METADATA
    }

    public SliceKey {
        if (kind == null) {
            throw new IllegalArgumentException("a slice key needs a kind");
        }
        if ((kind == Kind.METADATA) == (field == null || field.isBlank())) {
            throw new IllegalArgumentException("a metadata slice names its field, and only a metadata slice does");
        }
    }

    public static SliceKey sourceKind() {
        return new SliceKey(Kind.SOURCE_KIND, null);
    }

    public static SliceKey sourceFile() {
        return new SliceKey(Kind.SOURCE_FILE, null);
    }

    public static SliceKey answerLength() {
        return new SliceKey(Kind.ANSWER_LENGTH, null);
    }

    public static SliceKey conversationLength() {
        return new SliceKey(Kind.CONVERSATION_LENGTH, null);
    }

    public static SliceKey metadata(String field) {
        return new SliceKey(Kind.METADATA, field);
    }

    /**
     * From a name in settings: {@code source_kind}, {@code source_file}, {@code answer_length},
     * {@code conversation_length}, or any other name as a metadata field ({@code metadata.product} also works).
     */
    public static SliceKey parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a slice name must not be empty; use source_kind, source_file, "
                    + "answer_length, conversation_length or a metadata field name");
        }
        String n = name.trim();
        return switch (n.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "source_kind" -> sourceKind();
            case "source_file" -> sourceFile();
            case "answer_length" -> answerLength();
            case "conversation_length" -> conversationLength();
            default -> metadata(n.startsWith("metadata.") ? n.substring("metadata.".length()) : n);
        };
    }

    /** The name for people, e.g. {@code source kind} or {@code product}. */
    public String label() {
        return switch (kind) {
            case SOURCE_KIND -> "source kind";
            case SOURCE_FILE -> "source file";
            case ANSWER_LENGTH -> "answer length";
            case CONVERSATION_LENGTH -> "conversation length";
            case METADATA -> field;
        };
    }
}
