package dev.tailor.eval.api;

import dev.tailor.common.auth.Roles;
import dev.tailor.eval.domain.EvalReport;
import dev.tailor.eval.service.Evaluations;
import dev.tailor.security.api.ErrorShape;
import dev.tailor.security.identity.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The evaluation report of a model of the caller's tenant; another tenant's model answers 404. */
@Path("/v1/evaluations")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationsResource {
    private final Evaluations evaluations;
    private final Callers callers;
    private final ErrorShape errors;

    public EvaluationsResource(Evaluations evaluations, Callers callers, ErrorShape errors) {
        this.evaluations = evaluations;
        this.callers = callers;
        this.errors = errors;
    }

    @GET
    @Path("/{modelId}")
    @RolesAllowed(Roles.VIEWER)
    public Response report(@PathParam("modelId") String modelId) {
        String tenant = callers.current().tenant();
        EvalReport report;
        try {
            report = evaluations.report(tenant, modelId).orElse(null);
        } catch (IllegalArgumentException e) {
            return errors.error(400, "Invalid model id", e.getMessage(), "invalid_model_id");
        }
        return report != null ? Response.ok(report).build() : errors.error(404, "Unknown evaluation", "tenant '"
                + tenant + "' has no evaluated model '" + modelId + "'; models are evaluated after training",
                "not_found");
    }
}
