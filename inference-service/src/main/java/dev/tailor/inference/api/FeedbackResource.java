package dev.tailor.inference.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.CompletionFeedback;
import dev.tailor.common.auth.Roles;
import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.inference.service.Feedback;
import dev.tailor.security.identity.Callers;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /v1/feedback} {@code {"completion_id", "rating": 1-5, "corrected_answer"?}}: a rating of a completion
 * logged by its deployment; corrected and well-rated (4-5) answers become training examples of the model's dataset,
 * marked for review, that its next version takes. Only completions of the caller's tenant (role inference-client).
 * 202 with a receipt.
 */
@Path("/v1/feedback")
@Produces(MediaType.APPLICATION_JSON)
public class FeedbackResource {
    private final Feedback feedback;
    private final Callers callers;

    public FeedbackResource(Feedback feedback, Callers callers) {
        this.feedback = feedback;
        this.callers = callers;
    }

    @POST
    @APIResponses({
            @APIResponse(responseCode = "202", description = "recorded"),
            @APIResponse(responseCode = "400", description = "no completion_id or rating", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "404", description = "unknown completion (code completion_not_found)", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "413", description = "body too large", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "415", description = "not JSON", content = @Content(mediaType = MediaType.APPLICATION_JSON))})
    @RolesAllowed(Roles.INFERENCE_CLIENT)
    public Response post(@HeaderParam("Content-Type") String contentType, @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON)) byte[] body) {
        JsonNode b = RequestBodies.json(contentType, body);
        JsonNode id = b.path("completion_id");
        if (!id.isTextual()) {
            throw OpenAiException.invalid("completion_id is required: the id of a completion (chatcmpl-…)",
                    "completion_id");
        }
        JsonNode rating = b.path("rating");
        if (!rating.isIntegralNumber()) {
            throw OpenAiException.invalid("rating is required: an integer from 1 (bad) to 5 (good)", "rating");
        }
        JsonNode corrected = b.path("corrected_answer");
        if (!corrected.isMissingNode() && !corrected.isNull() && !corrected.isTextual()) {
            throw OpenAiException.invalid("corrected_answer must be a string", "corrected_answer");
        }
        CompletionFeedback f = feedback.rate(callers.current().tenant(), id.asText(), rating.asInt(),
                corrected.isTextual() ? corrected.asText() : null);
        return Response.accepted(new OpenAiDtos.FeedbackReceipt("feedback", f.eventId(), f.completionId(), f.rating(),
                f.correctedAnswer() != null, f.modelId(), f.alias())).build();
    }
}
