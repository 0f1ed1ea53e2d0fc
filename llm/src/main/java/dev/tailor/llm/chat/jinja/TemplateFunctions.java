package dev.tailor.llm.chat.jinja;

/** Functions transformers adds to chat templates (besides {@link Strftime#strftimeNow}). */
public final class TemplateFunctions {
    private TemplateFunctions() {
    }

    /** {@code raise_exception(message)}: the template refuses the conversation (e.g. roles must alternate). */
    public static String raiseException(Object message) {
        throw new Raised(String.valueOf(message));
    }

    /** What {@link #raiseException} throws, so the render can tell a refusal from a broken template. */
    static final class Raised extends RuntimeException {
        Raised(String message) {
            super(message);
        }
    }
}
