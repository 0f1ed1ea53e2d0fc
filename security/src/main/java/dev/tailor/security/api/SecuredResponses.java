package dev.tailor.security.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Every operation of a Tailor API needs credentials, so each one answers 401 (no or refused credentials) and 403 (a
 * role or tenant the caller lacks) in the service's error shape ({@link ErrorShape}). This filter adds both responses
 * to every documented operation once, instead of an annotation on each; an operation that documents its own 401 or
 * 403 (e.g. "the caller is no admin") keeps it. The media type is {@code tailor.api.error-media-type}: problem details
 * by default, {@code application/json} on the OpenAI-compatible API.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public final class SecuredResponses implements OASFilter {
    static final String ERROR_MEDIA_TYPE = "tailor.api.error-media-type";

    @Override
    public PathItem filterPathItem(PathItem path) {
        String mediaType = ConfigProvider.getConfig().getOptionalValue(ERROR_MEDIA_TYPE, String.class)
                .orElse(ProblemShape.MEDIA_TYPE);
        path.getOperations().values().forEach(op -> addTo(op, mediaType));
        return path;
    }

    static void addTo(Operation op, String mediaType) {
        APIResponses responses = op.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            op.setResponses(responses);
        }
        add(responses, "401", "no or invalid credentials", mediaType);
        add(responses, "403", "the caller lacks the role or tenant", mediaType);
    }

    private static void add(APIResponses responses, String status, String description, String mediaType) {
        if (responses.hasAPIResponse(status)) {
            return;
        }
        responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(mediaType, OASFactory.createMediaType())));
    }
}
