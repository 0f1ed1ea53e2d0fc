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
 * declared Content-Length over the limit. A chunked body (no Content-Length) is counted while it is read
 * ({@link BodyLimitInterceptor}).
 */
@ApplicationScoped
public class BodyLimitFilter {
    private final long limit;
    private final String body;

    public BodyLimitFilter(InferenceSettings settings, ObjectMapper json) throws JsonProcessingException {
        this.limit = settings.maxBodyBytes();
        OpenAiException tooLarge = OpenAiException.tooLarge(limit, BodyLimitInterceptor.SETTING);
        this.body = json.writeValueAsString(new OpenAiDtos.ErrorBody(new OpenAiDtos.Error(tooLarge.getMessage(),
                tooLarge.type(), null, tooLarge.code())));
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
