package dev.tailor.inference.api;

import dev.tailor.security.api.ErrorShape;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * 401, 403 and 429 of the OpenAI-compatible API in OpenAI's error object, so OpenAI SDKs raise their usual
 * AuthenticationError, PermissionDeniedError and RateLimitError with the message.
 */
@ApplicationScoped
public class OpenAiErrorShape implements ErrorShape {
    @Override
    public Response error(int status, String title, String detail, String code) {
        String type = switch (status) {
            case 401, 403 -> "invalid_request_error";
            case 429 -> "requests";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
        return OpenAiErrorMapper.response(status, title + ": " + detail, type, null, code);
    }
}
