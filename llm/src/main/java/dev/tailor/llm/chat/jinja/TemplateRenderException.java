package dev.tailor.llm.chat.jinja;

/** A template render that did not produce output, with the line of the template it stopped at (-1 unknown). */
public final class TemplateRenderException extends RuntimeException {

    /** Why: the template refused the input itself, the template is broken, or it ran into a limit. */
    public enum Kind { REFUSED, ERROR, LIMIT }

    private final Kind kind;
    private final int line;

    public TemplateRenderException(Kind kind, int line, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.line = line;
    }

    public Kind kind() {
        return kind;
    }

    public int line() {
        return line;
    }
}
