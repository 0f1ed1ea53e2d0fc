package dev.tailor.eval.api;

import dev.tailor.eval.domain.request.EvalRejected;
import dev.tailor.security.api.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns refused evaluation requests into problem+json answers. */
public final class EvalRejectedMapper {

    @ServerExceptionMapper
    public Response map(EvalRejected e) {
        return Problem.response(status(e.reason()), e.title(), e.getMessage(), e.field());
    }

    /** 400 bad request, 404 unknown model, test set or evaluation, 422 unusable model, 429 queue full. */
    static int status(EvalRejected.Reason reason) {
        return switch (reason) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case UNPROCESSABLE -> 422;
            case BUSY -> 429;
            case CONFLICT -> 409;
        };
    }
}
