package dev.tailor.llm.chat.jinja;

/**
 * A render went past one of its {@link RenderLimits}. An {@link Error}, not an exception, on purpose: jinjava
 * catches exceptions inside expressions and macros and carries on rendering (a runaway recursion would keep
 * running after every failed call), while this must end the whole render at once.
 */
final class TemplateLimitError extends Error {

    TemplateLimitError(String message) {
        super(message, null, false, false);
    }
}
