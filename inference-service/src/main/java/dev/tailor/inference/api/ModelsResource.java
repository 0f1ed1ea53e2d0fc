package dev.tailor.inference.api;

import dev.tailor.common.events.Tenant;
import dev.tailor.inference.domain.ModelRegistry;
import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.inference.service.ModelHost;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * OpenAI {@code GET /v1/models}: base models, tuned models and aliases, each with where it comes from (base model,
 * adapter, dataset and version, the evaluation gate's verdict) and, for an alias, the models it routes to.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private static final String OWNER = "tailor";

    private final ModelHost host;
    private final Tenant tenant;

    public ModelsResource(ModelHost host, Tenant tenant) {
        this.host = host;
        this.tenant = tenant;
    }

    @GET
    public OpenAiDtos.ModelList list() {
        return new OpenAiDtos.ModelList("list", host.registry(tenant.id()).list().stream().map(ModelsResource::model)
                .toList());
    }

    @GET
    @Path("/{id}")
    public OpenAiDtos.Model get(@PathParam("id") String id) {
        return host.registry(tenant.id()).list().stream().filter(e -> e.id().equals(id)).findFirst()
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
