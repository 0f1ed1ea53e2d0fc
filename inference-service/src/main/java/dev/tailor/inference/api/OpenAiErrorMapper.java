package dev.tailor.inference.api;

import dev.tailor.inference.domain.OpenAiException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors in OpenAI's shape ({@code {"error": {message, type, param, code}}}), so OpenAI clients show the message. */
public final class OpenAiErrorMapper {
    private static final Logger LOG = Logger.getLogger(OpenAiErrorMapper.class);

    @ServerExceptionMapper
    public Response map(OpenAiException e) {
        Response.ResponseBuilder b = builder(status(e), e.getMessage(), e.type(), e.param(), e.code());
        if (e.retryAfterSeconds() > 0) {
            b.header("Retry-After", e.retryAfterSeconds());
        }
        return b.build();
    }

    /**
     * 404 for a model or deployment that does not exist, 422 for a chat template that fails on its own, 409 for a
     * deployment the gate or its history refuses, 429 at capacity, 408 past the deadline, 413 for a body over the
     * limit, 400 for a request that cannot be answered, 500 otherwise.
     */
    static int status(OpenAiException e) {
        if (e.code() == null) {
            return OpenAiException.INVALID_REQUEST.equals(e.type()) ? 400 : 500;
        }
        return switch (e.code()) {
            case OpenAiException.MODEL_NOT_FOUND, OpenAiException.DEPLOYMENT_NOT_FOUND,
                 OpenAiException.COMPLETION_NOT_FOUND -> 404;
            case OpenAiException.CHAT_TEMPLATE_ERROR -> 422;
            case OpenAiException.GATE_REJECTED, OpenAiException.NO_PREVIOUS_TARGET,
                 dev.tailor.inference.service.ModelRemoval.NOT_DELETABLE -> 409;
            case OpenAiException.RATE_LIMITED -> 429;
            case OpenAiException.TIMEOUT -> 408;
            case OpenAiException.REQUEST_TOO_LARGE -> 413;
            default -> OpenAiException.INVALID_REQUEST.equals(e.type()) ? 400 : 500;
        };
    }

    @ServerExceptionMapper
    public Response map(RequestBodies.UnsupportedType e) {
        return response(415, e.getMessage(), OpenAiException.INVALID_REQUEST, null, "unsupported_media_type");
    }

    /** A state the server cannot serve in (a model that failed to load, a broker that did not answer). */
    @ServerExceptionMapper
    public Response map(IllegalStateException e) {
        LOG.warnf("request failed: %s", e.getMessage());
        return response(503, "The server could not answer: " + e.getMessage() + "; retry later", "server_error", null,
                "unavailable");
    }

    static Response response(int status, String message, String type, String param, String code) {
        return builder(status, message, type, param, code).build();
    }

    private static Response.ResponseBuilder builder(int status, String message, String type, String param,
                                                    String code) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new OpenAiDtos.ErrorBody(new OpenAiDtos.Error(message, type, param, code)));
    }
}
