package dev.tailor.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.storage.StorageException;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.SourceSpec;
import dev.tailor.ingest.domain.SourceState;
import dev.tailor.ingest.service.SourceSync;
import dev.tailor.ingest.storage.DatasetObjects;
import dev.tailor.ingest.storage.SourceStore;
import dev.tailor.security.identity.Caller;
import dev.tailor.security.identity.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Sources that stay in sync: an IMAP mailbox, an SQL query, an S3 prefix or a Kafka topic whose new records become
 * new versions of a dataset, on demand ({@code POST /v1/sources/{id}/sync}) or every {@code interval}. A source holds
 * the name of the secret with its credentials ({@code credentialsRef}), never the secret. Everything acts in the
 * caller's tenant; another tenant's sources answer 404.
 */
@Path("/v1/sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {
    private final Callers callers;
    private final SourceSync sync;
    private final SourceStore sources;
    private final DatasetObjects objects;

    public SourceResource(Callers callers, SourceSync sync, SourceStore sources, DatasetObjects objects) {
        this.callers = callers;
        this.sync = sync;
        this.sources = sources;
        this.objects = objects;
    }

    /** A source as shown: its spec (no secret: only the secret's name) and its state. */
    public record SourceView(SourceSpec source, SourceState state) {
    }

    /**
     * Body {@code {"kind": "imap", "name": "support-mail", "connection": {"host": "imap.example.com", "user":
     * "support"}, "credentialsRef": "support-imap", "interval": "PT15M", "cleaning": {…}}}; {@code datasetId}
     * instead of name feeds an existing dataset.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a source (imap, jdbc, s3 or kafka) whose new records become new versions of a"
            + " dataset; credentials by reference only (credentialsRef names a secret)")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "registered (not synced yet: sync it or wait for its interval)"),
            @APIResponse(responseCode = "400", description = "malformed body, unknown kind, missing or secret-looking connection settings, bad interval or cleaning settings", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "422", description = "the dataset or base model it names does not exist", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "503", description = "storage failed; nothing kept, repeat it", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.DATA_EDITOR)
    public Response create(JsonNode body) {
        Caller caller = callers.current();
        if (body == null || !body.isObject()) {
            throw invalid("send a JSON object like {\"kind\":\"imap\",\"name\":\"support-mail\",\"connection\":"
                    + "{\"host\":\"imap.example.com\",\"user\":\"support\"},\"credentialsRef\":\"support-imap\","
                    + "\"interval\":\"PT15M\"}", "body");
        }
        Map<String, String> connection = new LinkedHashMap<>();
        JsonNode conn = body.path("connection");
        if (!conn.isMissingNode() && !conn.isNull() && !conn.isObject()) {
            throw invalid("'connection' must be an object of settings (strings)", "connection");
        }
        conn.fields().forEachRemaining(e -> {
            if (e.getValue().isContainerNode()) {
                throw invalid("connection setting '" + e.getKey() + "' must be a string, number or boolean", "connection."
                        + e.getKey());
            }
            connection.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        });
        JsonNode cleaning = body.path("cleaning");
        if (!cleaning.isMissingNode() && !cleaning.isNull() && !cleaning.isObject()) {
            throw invalid("'cleaning' must be an object of cleaning settings, as an upload's 'cleaning' part", "cleaning");
        }
        String baseModel = text(body, "baseModel");
        if (baseModel != null && !baseModel.isBlank() && !objects.hasBaseModel(caller.tenant(), baseModel)) {
            List<String> known = objects.baseModels(caller.tenant());
            throw new IngestFailure(IngestFailure.Reason.UNPROCESSABLE, "Unknown base model", "base model '" + baseModel
                    + "' is not among the base models of tenant '" + caller.tenant() + "': " + known)
                    .with("baseModel", baseModel).with("validBaseModels", known);
        }
        String id = "src-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        SourceSpec spec = new SourceSpec(id, caller.tenant(), text(body, "kind"), text(body, "name"),
                text(body, "datasetId"), connection, text(body, "credentialsRef"), interval(text(body, "interval")),
                cleaning.isObject() ? cleaning.toString() : null, body.path("autoTrain").asBoolean(false), baseModel,
                Instant.now(), caller.principal());
        requireDatasetId(spec.datasetId());
        return storage(() -> {
            sync.register(spec);
            return Response.created(URI.create("/v1/sources/" + id))
                    .entity(new SourceView(spec, sources.state(caller.tenant(), id))).build();
        });
    }

    @GET
    @Operation(summary = "Every source of the tenant with its state (last sync, cursor, versions made, last error)")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the sources"),
            @APIResponse(responseCode = "503", description = "storage failed; repeat it", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.VIEWER)
    public List<SourceView> list() {
        String tenant = callers.current().tenant();
        return storage(() -> sources.list(tenant).stream().map(s -> new SourceView(s, sources.state(tenant, s.id())))
                .toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A source and its state: NEW, OK or FAILED, last sync, cursor, versions made, last error")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the source"),
            @APIResponse(responseCode = "400", description = "invalid source id", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "404", description = "no such source in the tenant", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "503", description = "storage failed; nothing changed, repeat it", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.VIEWER)
    public SourceView get(@RestPath String id) {
        String tenant = callers.current().tenant();
        return storage(() -> new SourceView(sync.spec(tenant, id), sources.state(tenant, id)));
    }

    @POST
    @Path("/{id}/sync")
    @Operation(summary = "Sync a source now: what is new since its cursor becomes a new version of its dataset"
            + " (announced with dataset.ingested, like an upload); nothing new makes no version")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "synced: versionMade says whether a new version was made"),
            @APIResponse(responseCode = "400", description = "invalid source id or connection settings", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "404", description = "no such source in the tenant, or its dataset was erased", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "413", description = "what is new is larger than tailor.ingest.max-upload-bytes", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "415", description = "what the source holds is in no format the pipeline reads", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "422", description = "the secret named by credentialsRef is missing, or nothing new is usable", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "429", description = "over the tenant's quota", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "502", description = "the source is unreachable or refused the credentials (the source's state is FAILED with the reason)", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "503", description = "a sync of this source is running, or storage or the event bus failed", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.DATA_EDITOR)
    public Map<String, Object> syncNow(@RestPath String id) {
        String tenant = callers.current().tenant();
        SourceSync.Outcome o = storage(() -> sync.sync(tenant, id));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sourceId", id);
        answer.put("versionMade", o.versionMade());
        answer.put("datasetId", o.state().datasetId());
        if (o.version() != null) {
            answer.put("version", o.version());
        }
        if (o.version() == null) {
            answer.put("message", "nothing new since the last sync (or the window is still open): no version made");
        } else if (o.version().duplicate()) {
            answer.put("message", "what was pulled is identical to data ingested before (dataset "
                    + o.version().datasetId() + "): no new version made");
        }
        answer.put("state", o.state());
        return answer;
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove a source (its spec, cursor and state); the datasets and versions it made stay")
    @APIResponses({
            @APIResponse(responseCode = "204", description = "removed"),
            @APIResponse(responseCode = "400", description = "invalid source id", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "404", description = "no such source in the tenant", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "503", description = "storage failed; nothing changed, repeat it", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.DATA_EDITOR)
    public Response delete(@RestPath String id) {
        Caller caller = callers.current();
        return storage(() -> {
            sync.delete(caller.tenant(), id, caller.principal());
            return Response.noContent().build();
        });
    }

    /** Storage that fails under a source operation is a 503 that says so, never a 500. */
    private static <T> T storage(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (StorageException e) {
            throw new IngestFailure(IngestFailure.Reason.UNAVAILABLE, "Storage unavailable", "the sources' storage"
                    + " failed (" + e.getMessage() + "); nothing was changed, repeat the request later");
        }
    }

    private void requireDatasetId(String datasetId) {
        if (datasetId == null) {
            return;
        }
        try {
            callers.current().layout().rawPrefix(datasetId);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage(), "datasetId");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw invalid("'" + field + "' must be a string", field);
        }
        return v.asText();
    }

    private static Duration interval(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid("interval must be an ISO-8601 duration like PT15M, got '" + value + "'", "interval");
        }
    }

    private static IngestFailure invalid(String detail, String field) {
        return new IngestFailure(IngestFailure.Reason.INVALID, "Invalid source", detail).with("field", field);
    }
}
