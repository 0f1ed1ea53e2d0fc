package dev.tailor.training.api;

import dev.tailor.training.domain.JobRejected;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns rejected training requests into problem+json answers. */
public final class JobRejectedMapper {

    @ServerExceptionMapper
    public Response map(JobRejected e) {
        return Problem.response(e.status(), e.title(), e.getMessage(), e.field());
    }
}
