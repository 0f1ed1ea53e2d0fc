package dev.tailor.training.api;

import dev.tailor.training.domain.JobRejected;
import dev.tailor.security.api.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns rejected training requests into problem+json answers. */
public final class JobRejectedMapper {

    @ServerExceptionMapper
    public Response map(JobRejected e) {
        return Problem.response(status(e.reason()), e.title(), e.getMessage(), e.field());
    }

    /** 400 bad parameters, 404 unknown dataset or job, 422 unusable base model or a job too large, 429 queue full. */
    static int status(JobRejected.Reason reason) {
        return switch (reason) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case UNPROCESSABLE -> 422;
            case BUSY -> 429;
            case CONFLICT -> 409;
        };
    }
}
