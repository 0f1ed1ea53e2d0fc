package dev.tailor.inference.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tailor.inference.domain.OpenAiException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors in OpenAI's shape, so OpenAI clients show the message. */
public final class OpenAiErrorMapper {

    @ServerExceptionMapper
    public Response map(OpenAiException e) {
        return response(status(e), e.getMessage(), e.type(), e.param(), e.code());
    }

    /**
     * 404 for a model that is not served, 422 for a chat template that fails on its own, 400 for a request that
     * cannot be answered, 500 otherwise.
     */
    static int status(OpenAiException e) {
        if (OpenAiException.MODEL_NOT_FOUND.equals(e.code())) {
            return 404;
        }
        if (OpenAiException.CHAT_TEMPLATE_ERROR.equals(e.code())) {
            return 422;
        }
        return OpenAiException.INVALID_REQUEST.equals(e.type()) ? 400 : 500;
    }

    @ServerExceptionMapper
    public Response map(JsonProcessingException e) {
        return response(400, "The body is not valid JSON: " + e.getOriginalMessage(), "invalid_request_error", null,
                null);
    }

    static Response response(int status, String message, String type, String param, String code) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new OpenAiDtos.ErrorBody(new OpenAiDtos.Error(message, type, param, code))).build();
    }
}
