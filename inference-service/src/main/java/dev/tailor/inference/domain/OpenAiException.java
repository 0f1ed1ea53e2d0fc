package dev.tailor.inference.domain;

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
