package dev.tailor.eval.api;

import dev.tailor.eval.domain.request.EvalRejected;
import jakarta.ws.rs.WebApplicationException;
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

    /**
     * JAX-RS' own refusals (406 for an Accept it cannot produce, 415 for a body type it does not take, 405, 404) as
     * problems that say what to send instead, not empty bodies.
     */
    @ServerExceptionMapper
    public Response map(WebApplicationException e) {
        Response r = e.getResponse();
        if (r != null && r.hasEntity()) {
            return r;
        }
        int status = r == null ? 500 : r.getStatus();
        String detail = switch (status) {
            case 406 -> "this API answers application/json (or the type the operation documents); send an Accept"
                    + " header that allows it, or none";
            case 415 -> "send the body in the content type the operation documents (see /q/openapi)";
            default -> String.valueOf(e.getMessage());
        };
        return Problem.response(status, r == null ? "Error" : r.getStatusInfo().getReasonPhrase(), detail, null);
    }
}
