package dev.tailor.inference.domain;

import dev.tailor.llm.chat.ChatTemplateException;

/** A request the server refuses, answered as OpenAI's {@code {"error": {message, type, param, code}}}. */
public final class OpenAiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public OpenAiException(int status, String message, String type, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    public static OpenAiException invalid(String message, String param) {
        return new OpenAiException(400, message, "invalid_request_error", param, null);
    }

    public static OpenAiException unknownModel(String model) {
        return new OpenAiException(404, "The model '" + model + "' does not exist or is not deployed here; "
                + "GET /v1/models lists the served models", "invalid_request_error", "model", "model_not_found");
    }

    /**
     * A conversation the chat template of the model refused or could not render: 400 when the template refuses
     * what the caller sent (e.g. roles that must alternate, special-token text it rewrites), 422 when the template
     * itself fails (a model problem, not the caller's), with the model and template line in the message.
     */
    public static OpenAiException chatTemplate(String model, ChatTemplateException e) {
        boolean caller = e.kind() == ChatTemplateException.Kind.REFUSED
                || e.kind() == ChatTemplateException.Kind.CONTENT;
        return new OpenAiException(caller ? 400 : 422, "Model '" + model + "': " + e.getMessage(),
                "invalid_request_error", "messages", caller ? "chat_template_refused" : "chat_template_error");
    }

    public int status() {
        return status;
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
