package dev.tailor.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tailor.common.auth.Roles;
import dev.tailor.ingest.service.Recleaner;
import dev.tailor.ingest.service.VersionDiffs;
import dev.tailor.security.identity.Caller;
import dev.tailor.security.identity.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Re-cleaning a cleaned version with other settings (its raw objects are reused), and the diff of a version against
 * another. Acts in the caller's tenant, like {@link DatasetResource}.
 */
@Path("/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class RecleanResource {
    @Inject
    Recleaner recleaner;

    @Inject
    VersionDiffs diffs;

    @Inject
    Callers callers;

    @POST
    @Path("/{id}/versions/{version}/reclean")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Clean a version's raw data again with other cleaning settings (the JSON settings object an"
            + " upload's 'cleaning' part takes, nested or flat, any subset: applied over the version's own settings)."
            + " The raw objects are reused; the new version gets its own report, profile and a diff against this one."
            + " Its id is derived from the data and the settings: the same settings again answer that version")
    @APIResponses({
            @APIResponse(responseCode = "202", description = "accepted: the new version's id; cleaning it has started"),
            @APIResponse(responseCode = "200", description = "a version with these settings exists already (or the"
                    + " settings are the version's own): that version, nothing started"),
            @APIResponse(responseCode = "400", description = "invalid dataset id or version, or a body that is not JSON", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "404", description = "no such dataset or cleaned version (versions lists the known ones)", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "409", description = "the same re-clean was asked for and is still being cleaned: its version", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "415", description = "the body is not application/json", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "422", description = "an unknown or invalid setting (named in 'setting'), or these settings were tried and left no example", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "503", description = "storage or the event bus failed; nothing started, repeat it", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.DATA_EDITOR)
    public Response reclean(@RestPath String id, @RestPath String version, JsonNode settings) {
        Caller caller = callers.current();
        Recleaner.Result r = recleaner.reclean(caller.tenant(), caller.principal(), id, version,
                settings == null ? JsonNodeFactory.instance.objectNode() : settings);
        return Response.status(r.existing() ? 200 : 202)
                .location(URI.create("/v1/datasets/" + id + "/versions/" + r.version() + "/diff"))
                .type(MediaType.APPLICATION_JSON).entity(r.body()).build();
    }

    @GET
    @Path("/{id}/versions/{version}/diff")
    @Operation(summary = "What changed from another version to this one: examples added, removed, changed and unchanged"
            + " per split and overall, drop counts per rule (before, after), the settings that differ, and samples of"
            + " added, removed (with the rule that dropped it) and changed examples. Default 'against': the version"
            + " this one was re-cleaned from, or the version before it")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the diff"),
            @APIResponse(responseCode = "400", description = "invalid dataset id or version", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "404", description = "no such dataset or version, or nothing to compare with (name one with ?against=)", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.VIEWER)
    public JsonNode diff(@RestPath String id, @RestPath String version, @RestQuery String against) {
        return diffs.diff(callers.current().tenant(), id, version, against);
    }
}
