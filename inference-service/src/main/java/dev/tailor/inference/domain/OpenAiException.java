package dev.tailor.inference.domain;

import dev.tailor.llm.chat.ChatTemplateException;

/**
 * A request the server refuses, answered as OpenAI's {@code {"error": {message, type, param, code}}}; the API maps
 * the type and code to an HTTP status ({@code model_not_found} 404,
 * {@code chat_template_error} 422, {@code invalid_request_error} 400).
 */
public final class OpenAiException extends RuntimeException {
    /** OpenAI's code of a model that is not served. */
    public static final String MODEL_NOT_FOUND = "model_not_found";
    /** OpenAI's type of a request that cannot be answered as it is. */
    public static final String INVALID_REQUEST = "invalid_request_error";
    /** OpenAI-style code of a chat template that fails on its own (a model problem). */
    public static final String CHAT_TEMPLATE_ERROR = "chat_template_error";

    private final String type;
    private final String param;
    private final String code;

    public OpenAiException(String message, String type, String param, String code) {
        super(message);
        this.type = type;
        this.param = param;
        this.code = code;
    }

    public static OpenAiException invalid(String message, String param) {
        return new OpenAiException(message, INVALID_REQUEST, param, null);
    }

    public static OpenAiException unknownModel(String model) {
        return new OpenAiException("The model '" + model + "' does not exist or is not deployed here; "
                + "GET /v1/models lists the served models", INVALID_REQUEST, "model", MODEL_NOT_FOUND);
    }

    /**
     * A conversation the chat template of the model refused or could not render: {@code chat_template_refused}
     * (answered 400) when the template refuses what the caller sent (e.g. roles that must alternate, special-token
     * text it rewrites), {@link #CHAT_TEMPLATE_ERROR} (answered 422) when the template itself fails (a model
     * problem, not the caller's), with the model and template line in the message.
     */
    public static OpenAiException chatTemplate(String model, ChatTemplateException e) {
        boolean caller = e.kind() == ChatTemplateException.Kind.REFUSED
                || e.kind() == ChatTemplateException.Kind.CONTENT;
        return new OpenAiException("Model '" + model + "': " + e.getMessage(), INVALID_REQUEST, "messages",
                caller ? "chat_template_refused" : CHAT_TEMPLATE_ERROR);
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
