package dev.tailor.inference.api;

import dev.tailor.common.auth.Roles;
import dev.tailor.inference.domain.ModelRegistry;
import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.inference.service.ModelHost;
import dev.tailor.security.identity.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * OpenAI {@code GET /v1/models}: base models, tuned models and aliases, each with where it comes from (base model,
 * adapter, dataset and version, the evaluation gate's verdict) and, for an alias, the models it routes to; only the
 * caller's tenant's.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private static final String OWNER = "tailor";

    private final ModelHost host;
    private final Callers callers;

    public ModelsResource(ModelHost host, Callers callers) {
        this.host = host;
        this.callers = callers;
    }

    @GET
    @RolesAllowed({Roles.INFERENCE_CLIENT, Roles.VIEWER})
    public OpenAiDtos.ModelList list() {
        return new OpenAiDtos.ModelList("list", host.registry(callers.current().tenant()).list().stream()
                .map(ModelsResource::model).toList());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.INFERENCE_CLIENT, Roles.VIEWER})
    public OpenAiDtos.Model get(@PathParam("id") String id) {
        return host.registry(callers.current().tenant()).list().stream().filter(e -> e.id().equals(id)).findFirst()
                .map(ModelsResource::model).orElseThrow(() -> OpenAiException.unknownModel(id));
    }

    private static OpenAiDtos.Model model(ModelRegistry.Entry e) {
        ModelRegistry.ModelInfo i = e.info();
        ModelRegistry.Route r = e.route();
        return new OpenAiDtos.Model(e.id(), "model", e.created(), OWNER, e.kind(), i == null ? null : i.baseModel(),
                i == null ? null : i.adapter(), i == null ? null : i.datasetId(), i == null ? null : i.datasetVersion(),
                i == null ? null : i.verdict(), i == null ? null : i.verdictReason(),
                r == null ? null : r.modelId(), r == null ? null : r.canaryId(),
                r == null || r.canaryId() == null ? null : r.canaryPercent());
    }
}
