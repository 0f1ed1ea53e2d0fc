package dev.tailor.inference.api;

import dev.tailor.common.auth.Roles;
import dev.tailor.inference.domain.ModelRegistry;
import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.inference.service.ModelHost;
import dev.tailor.inference.service.ModelRemoval;
import dev.tailor.inference.storage.ModelCatalog;
import dev.tailor.security.identity.Caller;
import dev.tailor.security.identity.Callers;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * OpenAI {@code GET /v1/models}: base models, tuned models (those served here; with {@code ?all=true} every other one
 * in S3 too, {@code served: false}) and aliases,
 * each with where it comes from (base model, adapter, dataset and version, training parameters, the evaluation gate's
 * verdict, whether its dataset was erased) and, for an alias, the models it routes to; only the caller's tenant's.
 * {@code DELETE /v1/models/{id}} undeploys a tuned model, then deletes it.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private static final String OWNER = "tailor";

    private final ModelHost host;
    private final Callers callers;
    private final ModelCatalog catalog;
    private final ModelRemoval removal;

    public ModelsResource(ModelHost host, Callers callers, ModelCatalog catalog, ModelRemoval removal) {
        this.host = host;
        this.callers = callers;
        this.catalog = catalog;
        this.removal = removal;
    }

    @GET
    @Operation(summary = "The models this replica serves: base, tuned (with lineage: dataset version, parameters, eval"
            + " verdict) and aliases; with all=true also every other tuned model of the tenant in S3 (served: false)")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the models")})
    @RolesAllowed({Roles.INFERENCE_CLIENT, Roles.VIEWER})
    public OpenAiDtos.ModelList list(@QueryParam("all") boolean all) {
        String tenant = callers.current().tenant();
        List<OpenAiDtos.Model> out = new ArrayList<>(host.registry(tenant).list().stream()
                .map(e -> model(tenant, e)).toList());
        Set<String> known = out.stream().map(OpenAiDtos.Model::id).collect(Collectors.toSet());
        for (String id : all ? catalog.tunedModels(tenant) : List.<String>of()) {
            if (!known.contains(id)) {
                out.add(stored(tenant, id));
            }
        }
        out.sort(Comparator.comparing(OpenAiDtos.Model::id));
        return new OpenAiDtos.ModelList("list", out);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One model with its lineage")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the model"),
            @APIResponse(responseCode = "404", description = "no such model (OpenAI error, code model_not_found)", content = @Content(mediaType = MediaType.APPLICATION_JSON))})
    @RolesAllowed({Roles.INFERENCE_CLIENT, Roles.VIEWER})
    public OpenAiDtos.Model get(@PathParam("id") String id) {
        String tenant = callers.current().tenant();
        return host.registry(tenant).list().stream().filter(e -> e.id().equals(id)).findFirst()
                .map(e -> model(tenant, e))
                .or(() -> catalog.isTuned(tenant, id) ? java.util.Optional.of(stored(tenant, id)) : java.util.Optional.empty())
                .orElseThrow(() -> OpenAiException.unknownModel(id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a tuned model: every alias serving it (as model or canary) is undeployed first, then"
            + " its folder in S3 is deleted; a base model answers 409")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "deleted, after undeploying every alias serving it"),
            @APIResponse(responseCode = "404", description = "no such model", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "409", description = "a base model (code model_not_deletable)", content = @Content(mediaType = MediaType.APPLICATION_JSON))})
    @RolesAllowed(Roles.ADMIN)
    public OpenAiDtos.ModelDeleted delete(@PathParam("id") String id) {
        Caller caller = callers.current();
        ModelRemoval.Removed r = removal.remove(caller.tenant(), id, caller.principal());
        return new OpenAiDtos.ModelDeleted(r.modelId(), "model", true, r.undeployed(), r.objectsDeleted());
    }

    private OpenAiDtos.Model stored(String tenant, String id) {
        ModelRegistry.ModelInfo i = catalog.info(tenant, id, null);
        return new OpenAiDtos.Model(id, "model", 0, OWNER, "tuned", i.baseModel(), i.adapter(), i.datasetId(),
                i.datasetVersion(), i.verdict(), i.verdictReason(), null, null, null, catalog.params(tenant, id),
                catalog.datasetErased(tenant, id) ? Boolean.TRUE : null, false);
    }

    private OpenAiDtos.Model model(String tenant, ModelRegistry.Entry e) {
        ModelRegistry.ModelInfo i = e.info();
        ModelRegistry.Route r = e.route();
        boolean tuned = "tuned".equals(e.kind());
        return new OpenAiDtos.Model(e.id(), "model", e.created(), OWNER, e.kind(), i == null ? null : i.baseModel(),
                i == null ? null : i.adapter(), i == null ? null : i.datasetId(), i == null ? null : i.datasetVersion(),
                i == null ? null : i.verdict(), i == null ? null : i.verdictReason(),
                r == null ? null : r.modelId(), r == null ? null : r.canaryId(),
                r == null || r.canaryId() == null ? null : r.canaryPercent(),
                tuned ? catalog.params(tenant, e.id()) : null,
                tuned && catalog.datasetErased(tenant, e.id()) ? Boolean.TRUE : null, true);
    }
}
