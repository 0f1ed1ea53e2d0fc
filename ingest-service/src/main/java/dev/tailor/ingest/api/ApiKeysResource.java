package dev.tailor.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.auth.ApiKeyRecord;
import dev.tailor.common.auth.ApiKeyStore;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.ingest.config.IngestSettings;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.service.Audit;
import dev.tailor.security.identity.ApiKeyRecords;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The admin API of API keys: an admin of a tenant makes keys for that tenant (shown once), lists them (never the key,
 * only its id, name, roles, expiry) and revokes them; a revoked key stops working on every service within
 * {@code tailor.auth.api-key-cache-ttl}. Keys of another tenant answer 404.
 */
@Path("/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class ApiKeysResource {
    private final Callers callers;
    private final ApiKeyRecords records;
    private final IngestSettings settings;
    private final Audit audit;

    public ApiKeysResource(Callers callers, ApiKeyRecords records, IngestSettings settings, Audit audit) {
        this.callers = callers;
        this.records = records;
        this.settings = settings;
        this.audit = audit;
    }

    /** A key as listed: everything but the secret. */
    public record KeyView(String keyId, String tenant, String name, List<String> roles, Instant createdAt,
                          String createdBy, Instant expiresAt, Instant revokedAt, String revokedBy, boolean active) {
        static KeyView of(ApiKeyRecord r) {
            return new KeyView(r.keyId(), r.tenant(), r.name(), r.roles().stream().sorted().toList(), r.createdAt(),
                    r.createdBy(), r.expiresAt(), r.revokedAt(), r.revokedBy(), r.activeAt(Instant.now()));
        }
    }

    /**
     * Body {@code {"name": "support-bot", "roles": ["inference-client"], "expiresIn": "P90D"}} ({@code expiresAt}, an
     * instant, instead of expiresIn; default 90 days, at most {@code tailor.ingest.max-api-key-lifetime}). 201 with
     * the key: it is shown this once.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponses({
            @APIResponse(responseCode = "201", description = "created; the key is in this answer only"),
            @APIResponse(responseCode = "400", description = "no name, unknown roles or a bad expiry", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "403", description = "the caller is no admin", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @Operation(summary = "Create an API key of your tenant (admin); the key is in this answer only")
    public Response create(JsonNode body) {
        Caller caller = callers.current();
        if (body == null || !body.isObject()) {
            throw invalid("send a JSON object like {\"name\":\"support-bot\",\"roles\":[\"inference-client\"],"
                    + "\"expiresIn\":\"P90D\"}", "name");
        }
        String name = body.path("name").asText("").strip();
        if (name.isEmpty()) {
            throw invalid("name is required: what the key is for, e.g. \"support-bot\"", "name");
        }
        List<String> roles = new ArrayList<>();
        body.path("roles").forEach(r -> roles.add(r.asText()));
        Instant expiresAt = expiry(body);
        ApiKeyStore.Created created;
        try {
            created = records.store().create(caller.tenant(), name, Roles.require(roles), caller.principal(), expiresAt);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage(), "roles");
        }
        audit.apiKey(AuditEvent.API_KEY_CREATED, created.record(), caller.principal());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("key", created.key().value());
        answer.put("warning", "this is the only time the key is shown: store it now (it is kept only as a SHA-256)");
        answer.put("apiKey", KeyView.of(created.record()));
        return Response.created(URI.create("/v1/api-keys/" + created.record().keyId())).entity(answer).build();
    }

    @GET
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the keys"),
            @APIResponse(responseCode = "403", description = "the caller is no admin", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @Operation(summary = "The API keys of your tenant (admin), newest first; never the keys themselves")
    public List<KeyView> list() {
        return records.store().list(callers.current().tenant()).stream().map(KeyView::of).toList();
    }

    @DELETE
    @Path("/{keyId}")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "revoked"),
            @APIResponse(responseCode = "400", description = "not a key id", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "404", description = "no such key in the tenant", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "403", description = "the caller is no admin", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @Operation(summary = "Revoke an API key of your tenant (admin); every service refuses it within seconds")
    public KeyView revoke(@RestPath String keyId) {
        Caller caller = callers.current();
        if (!keyId.matches("[0-9a-f]{16}")) {
            throw invalid("keyId must be the 16 hex digits after tlr_ (see GET /v1/api-keys), got '" + keyId + "'",
                    "keyId");
        }
        ApiKeyRecord revoked = records.store().revoke(caller.tenant(), keyId, caller.principal())
                .orElseThrow(() -> new IngestFailure(IngestFailure.Reason.NOT_FOUND, "Unknown API key", "tenant '"
                        + caller.tenant() + "' has no API key " + keyId + "; list them with GET /v1/api-keys")
                        .with("keyId", keyId));
        records.forget(keyId);
        audit.apiKey(AuditEvent.API_KEY_REVOKED, revoked, caller.principal());
        return KeyView.of(revoked);
    }

    private Instant expiry(JsonNode body) {
        Instant now = Instant.now();
        Instant at;
        try {
            if (body.hasNonNull("expiresAt")) {
                at = Instant.parse(body.get("expiresAt").asText());
            } else {
                at = now.plus(body.hasNonNull("expiresIn") ? Duration.parse(body.get("expiresIn").asText())
                        : Duration.ofDays(90));
            }
        } catch (DateTimeParseException e) {
            throw invalid("expiresIn must be an ISO-8601 duration like P90D, expiresAt an instant like"
                    + " 2030-01-01T00:00:00Z: " + e.getMessage(), "expiresIn");
        }
        if (!at.isAfter(now)) {
            throw invalid("the key must expire in the future, got " + at, "expiresIn");
        }
        if (at.isAfter(now.plus(settings.maxApiKeyLifetime()))) {
            throw invalid("keys live at most " + settings.maxApiKeyLifetime() + " (tailor.ingest.max-api-key-lifetime),"
                    + " asked until " + at, "expiresIn");
        }
        return at;
    }

    private static IngestFailure invalid(String detail, String field) {
        return new IngestFailure(IngestFailure.Reason.INVALID, "Invalid API key request", detail).with("field", field);
    }
}
