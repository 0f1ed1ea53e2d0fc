package dev.tailor.llm.chat;

/**
 * A conversation the chat template of a model could not turn into a prompt: the template refused it (its own
 * {@code raise_exception}, e.g. "roles must alternate"), the template is broken, or it ran into a sandbox limit.
 * The message names the model and, where known, the template line.
 */
public final class ChatTemplateException extends IllegalArgumentException {

    /** Whether the conversation was refused by the template ({@code REFUSED}) or the template failed. */
    public enum Kind { REFUSED, TEMPLATE_ERROR, LIMIT, CONTENT }

    private final Kind kind;
    private final String model;
    private final int line;

    public ChatTemplateException(Kind kind, String model, int line, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.model = model;
        this.line = line;
    }

    public Kind kind() {
        return kind;
    }

    /** The model whose template failed. */
    public String model() {
        return model;
    }

    /** Line of the template where it failed, or -1. */
    public int line() {
        return line;
    }
}
