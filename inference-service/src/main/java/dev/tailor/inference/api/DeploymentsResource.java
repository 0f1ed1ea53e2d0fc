package dev.tailor.inference.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.DeploymentTarget;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.auth.Roles;
import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.inference.service.Deployments;
import dev.tailor.security.identity.Callers;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Deployments: which model a name ({@code alias}) serves. {@code PUT /v1/deployments/{alias}} with
 * {@code {"model", "canary": {"model", "percent"}, "allow_rejected", "log_completions"}}, {@code GET} the list or one,
 * {@code POST /v1/deployments/{alias}/rollback} (back to the model served before), {@code DELETE} (undeploy). A
 * change answers 200 once this replica serves it, 202 while it is still loading; every replica converges from the
 * compacted {@code tailor.model.deployments} topic. The caller's tenant's deployments only; reading needs the role
 * inference-client or viewer, changing admin. Errors in OpenAI's shape, like the rest of this API.
 */
@Path("/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentsResource {
    private final Deployments deployments;
    private final Callers callers;

    public DeploymentsResource(Deployments deployments, Callers callers) {
        this.deployments = deployments;
        this.callers = callers;
    }

    private String tenant() {
        return callers.current().tenant();
    }

    @GET
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the active deployments")})
    @RolesAllowed({Roles.INFERENCE_CLIENT, Roles.VIEWER})
    public OpenAiDtos.DeploymentList list() {
        return new OpenAiDtos.DeploymentList("list", deployments.list(tenant()).stream()
                .map(d -> dto(d, "active")).toList());
    }

    @GET
    @Path("/{alias}")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the deployment"),
            @APIResponse(responseCode = "404", description = "no such alias (code deployment_not_found)", content = @Content(mediaType = MediaType.APPLICATION_JSON))})
    @RolesAllowed({Roles.INFERENCE_CLIENT, Roles.VIEWER})
    public OpenAiDtos.Deployment get(@PathParam("alias") String alias) {
        return deployments.get(tenant(), alias).map(d -> dto(d, "active")).orElseThrow(() -> notFound(alias));
    }

    @PUT
    @Path("/{alias}")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "applied on this replica"),
            @APIResponse(responseCode = "202", description = "published; replicas apply it shortly"),
            @APIResponse(responseCode = "400", description = "malformed body or alias", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "404", description = "unknown model", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "409", description = "the gate rejected the model (allow_rejected overrides)", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "415", description = "not JSON", content = @Content(mediaType = MediaType.APPLICATION_JSON))})
    @RolesAllowed(Roles.ADMIN)
    public Response put(@PathParam("alias") String alias, @HeaderParam("Content-Type") String contentType,
                        @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON)) byte[] body) {
        JsonNode b = RequestBodies.json(contentType, body);
        if (!b.isObject()) {
            throw OpenAiException.invalid("the body must be a JSON object: {\"model\": …}", null);
        }
        JsonNode canary = b.path("canary");
        if (!canary.isMissingNode() && !canary.isNull() && !canary.isObject()) {
            throw OpenAiException.invalid("canary must be an object {\"model\", \"percent\"}", "canary");
        }
        JsonNode percent = canary.path("percent");
        if (!percent.isMissingNode() && !percent.canConvertToInt()) {
            throw OpenAiException.invalid("canary.percent must be an integer from 1 to 99", "canary.percent");
        }
        Deployments.Change change = new Deployments.Change(text(b, "model"), text(canary, "model"),
                canary.path("model").isTextual() ? percent.asInt(10) : percent.asInt(0),
                bool(b, "allow_rejected"), bool(b, "log_completions"));
        return answer(deployments.put(tenant(), alias, change, callers.current().principal()));
    }

    @POST
    @Path("/{alias}/rollback")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "applied on this replica"),
            @APIResponse(responseCode = "202", description = "published"),
            @APIResponse(responseCode = "404", description = "no such alias", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "409", description = "no previous model to go back to", content = @Content(mediaType = MediaType.APPLICATION_JSON))})
    @RolesAllowed(Roles.ADMIN)
    public Response rollback(@PathParam("alias") String alias) {
        return answer(deployments.rollback(tenant(), alias, callers.current().principal()));
    }

    @DELETE
    @Path("/{alias}")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "undeployed on this replica"),
            @APIResponse(responseCode = "202", description = "published"),
            @APIResponse(responseCode = "404", description = "no such alias", content = @Content(mediaType = MediaType.APPLICATION_JSON))})
    @RolesAllowed(Roles.ADMIN)
    public Response undeploy(@PathParam("alias") String alias) {
        Deployments.State s = deployments.undeploy(tenant(), alias, callers.current().principal());
        return Response.status(s.applied() ? 200 : 202).entity(dto(s.deployment(), "undeployed")).build();
    }

    private static Response answer(Deployments.State s) {
        return Response.status(s.applied() ? 200 : 202).entity(dto(s.deployment(), s.applied() ? "active"
                : "pending")).build();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw OpenAiException.invalid(field + " must be a string (a model id)", field);
        }
        return v.asText();
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw OpenAiException.invalid(field + " must be true or false", field);
        }
        return v.asBoolean();
    }

    private static OpenAiException notFound(String alias) {
        return new OpenAiException("No deployment named '" + alias + "'; GET /v1/deployments lists them",
                OpenAiException.INVALID_REQUEST, "alias", OpenAiException.DEPLOYMENT_NOT_FOUND);
    }

    static OpenAiDtos.Deployment dto(ModelDeployment d, String status) {
        DeploymentTarget c = d.canary();
        return new OpenAiDtos.Deployment("deployment", d.alias(), d.modelId(), d.baseModel(), d.adapter(),
                d.datasetId(), c == null ? null : new OpenAiDtos.Canary(c.modelId(), c.baseModel(), d.canaryPercent()),
                d.history().stream().map(t -> new OpenAiDtos.Target(t.modelId(), t.baseModel(), t.datasetId()))
                        .toList(), d.gateOverride(), d.logCompletions(), d.occurredAt().getEpochSecond(), status);
    }
}
