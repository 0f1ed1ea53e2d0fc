package dev.tailor.llm.chat.jinja;

/** A method a template called failed the way it fails in Python (e.g. {@code 'abc'.index('z')}). */
final class TemplateCallException extends RuntimeException {

    TemplateCallException(String message) {
        super(message);
    }
}
