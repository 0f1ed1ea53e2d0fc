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
    /** A deployment (alias) that does not exist or is not active. */
    public static final String DEPLOYMENT_NOT_FOUND = "deployment_not_found";
    /** A rollback of a deployment that has served only one model. */
    public static final String NO_PREVIOUS_TARGET = "no_previous_target";
    /** A model the evaluation gate rejected (or did not evaluate), deployed without {@code allow_rejected}. */
    public static final String GATE_REJECTED = "model_rejected_by_gate";
    /** OpenAI's code of a request refused because the server is at its limit. */
    public static final String RATE_LIMITED = "rate_limit_exceeded";
    /** OpenAI's type of a request refused because of a rate or capacity limit. */
    public static final String RATE_LIMIT_TYPE = "requests";
    /** A request that did not finish within the deadline. */
    public static final String TIMEOUT = "request_timeout";
    /** A completion id that was not logged (or is unknown). */
    public static final String COMPLETION_NOT_FOUND = "completion_not_found";
    /** OpenAI's code of a prompt + max_tokens beyond the model's context. */
    /** A request body over {@code tailor.inference.max-body-bytes} (413). */
    public static final String REQUEST_TOO_LARGE = "request_too_large";
    public static final String CONTEXT_LENGTH_EXCEEDED = "context_length_exceeded";
    /** OpenAI-style code of a chat template that fails on its own (a model problem). */
    public static final String CHAT_TEMPLATE_ERROR = "chat_template_error";

    private final String type;
    private final String param;
    private final String code;
    private final int retryAfterSeconds;

    public OpenAiException(String message, String type, String param, String code) {
        this(message, type, param, code, 0);
    }

    private OpenAiException(String message, String type, String param, String code, int retryAfterSeconds) {
        super(message);
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The server is at its limit for {@code model}: try again after {@code retryAfterSeconds}. */
    public static OpenAiException overloaded(String model, int queued, int retryAfterSeconds) {
        return new OpenAiException("Model '" + model + "' is at capacity: " + queued + " requests are already waiting"
                + " for it; retry after " + retryAfterSeconds + " s", RATE_LIMIT_TYPE, null, RATE_LIMITED,
                retryAfterSeconds);
    }

    /** A request that ran past its deadline. */
    public static OpenAiException timeout(java.time.Duration limit, String setting) {
        return new OpenAiException("The request did not finish within " + limit.toMillis() / 1000.0 + " s (its"
                + " X-Request-Timeout, at most " + setting + "); ask for fewer tokens or retry later",
                INVALID_REQUEST, null, TIMEOUT);
    }

    /** Seconds a client should wait before retrying (429), or 0. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** A request body over {@code limit} bytes, the setting that sets it named. */
    public static OpenAiException tooLarge(long limit, String setting) {
        return new OpenAiException("The request body is larger than this server takes (" + limit + " bytes, "
                + setting + "); send fewer or shorter messages", INVALID_REQUEST, null, REQUEST_TOO_LARGE);
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
