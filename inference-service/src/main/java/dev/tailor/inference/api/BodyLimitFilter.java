package dev.tailor.inference.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.inference.config.InferenceSettings;
import dev.tailor.inference.domain.OpenAiException;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a body larger than {@code tailor.inference.max-body-bytes} before it is read: 413 in OpenAI's shape for a
 * declared Content-Length over the limit (a chunked body over it is cut by the HTTP server's own limit, the same
 * number).
 */
@ApplicationScoped
public class BodyLimitFilter {
    private final long limit;
    private final String body;

    public BodyLimitFilter(InferenceSettings settings, ObjectMapper json) throws JsonProcessingException {
        this.limit = settings.maxBodyBytes();
        this.body = json.writeValueAsString(new OpenAiDtos.ErrorBody(new OpenAiDtos.Error("The request body is"
                + " larger than this server takes (" + limit + " bytes, tailor.inference.max-body-bytes); send"
                + " fewer or shorter messages", OpenAiException.INVALID_REQUEST, null, "request_too_large")));
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared = -1;
            try {
                declared = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > limit) {
                rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close").end(body);
                return;
            }
            rc.next();
        }, 1000);
    }
}
