package dev.tailor.eval.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.json.Json;
import dev.tailor.eval.domain.report.EvalReport;
import dev.tailor.eval.domain.report.MetricRow;
import dev.tailor.eval.domain.request.EvalRejected;
import dev.tailor.common.values.RequestRejected.Reason;
import dev.tailor.eval.domain.request.EvaluationRecord;
import dev.tailor.eval.domain.request.EvaluationRequest;
import dev.tailor.eval.service.ApiEvaluations;
import dev.tailor.eval.storage.EvalStore;
import dev.tailor.eval.storage.EvalStores;
import dev.tailor.security.api.Problem;
import dev.tailor.security.identity.Caller;
import dev.tailor.security.identity.Callers;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * Evaluations: ask for one (a model against its base or another model, on a dataset version's test split or an
 * uploaded eval set), follow it, read its report as JSON or as a page; list them by model or dataset. Everything
 * acts in the caller's tenant: another tenant's evaluations, models and sets answer 404. Reading needs
 * {@code viewer}; asking for an evaluation or storing an eval set needs {@code trainer}.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationsResource {

    private final ApiEvaluations api;
    private final EvalStores stores;
    private final Callers callers;

    public EvaluationsResource(ApiEvaluations api, EvalStores stores, Callers callers) {
        this.api = api;
        this.stores = stores;
        this.callers = callers;
    }

    /** The caller's tenant's evaluations. */
    private EvalStore store() {
        return stores.of(callers.current().tenant());
    }

    /** An evaluation: its record, links, and once done the verdict with its numbers. */
    public record View(String evaluationId, String state, String trigger, String modelId, String baselineId,
                       String datasetId, String datasetVersion, String testSet, String message, String verdict,
                       String reason, List<MetricRow> metrics, String statusUrl, String reportUrl,
                       String reportJsonUrl, JsonNode settings, String createdAt, String updatedAt) {
        static View of(EvaluationRecord r, EvalReport report) {
            String base = "/v1/evaluations/" + r.evaluationId();
            return new View(r.evaluationId(), r.state(), r.trigger(), r.modelId(), r.baselineId(), r.datasetId(),
                    r.datasetVersion(), r.testSet(), r.message(), r.verdict(), r.reason(),
                    report == null ? null : report.metrics(), base, report == null ? null : base + "/report.html",
                    report == null ? null : base + "/report.json", r.settings(), String.valueOf(r.createdAt()),
                    String.valueOf(r.updatedAt()));
        }
    }

    /** 202 with the new evaluation's id; 200 when the same evaluation was asked for before. */
    @POST
    @Path("/evaluations")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponses({
            @APIResponse(responseCode = "202", description = "a new evaluation"),
            @APIResponse(responseCode = "200", description = "the same evaluation was asked for before"),
            @APIResponse(responseCode = "400", description = "malformed body or settings", content = @Content(mediaType = Problem.MEDIA_TYPE)),
            @APIResponse(responseCode = "404", description = "unknown model, baseline or test set", content = @Content(mediaType = Problem.MEDIA_TYPE)),
            @APIResponse(responseCode = "422", description = "the models cannot be compared", content = @Content(mediaType = Problem.MEDIA_TYPE)),
            @APIResponse(responseCode = "429", description = "too many evaluations queued", content = @Content(mediaType = Problem.MEDIA_TYPE))})
    @RolesAllowed(Roles.TRAINER)
    public Response create(String body) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(body == null ? "" : body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new EvalRejected(Reason.INVALID, "Malformed JSON", "the body is not valid JSON: "
                    + e.getOriginalMessage(), "body");
        }
        EvaluationRequest request;
        try {
            request = EvaluationRequest.of(json);
        } catch (EvaluationRequest.Invalid e) {
            throw new EvalRejected(Reason.INVALID, "Invalid request", e.getMessage(), e.field());
        }
        Caller caller = callers.current();
        ApiEvaluations.Submitted s = api.submit(caller.tenant(), caller.principal(), request);
        View view = View.of(s.record(), null);
        return Response.status(s.created() ? 202 : 200).location(URI.create(view.statusUrl())).entity(view).build();
    }

    @GET
    @Path("/evaluations/{id}")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the evaluation"),
            @APIResponse(responseCode = "400", description = "not an evaluation id", content = @Content(mediaType = Problem.MEDIA_TYPE)),
            @APIResponse(responseCode = "404", description = "no such evaluation in the tenant", content = @Content(mediaType = Problem.MEDIA_TYPE))})
    @RolesAllowed(Roles.VIEWER)
    public View get(@PathParam("id") String id) {
        EvalStore store = store();
        EvaluationRecord r = record(store, id);
        return View.of(r, r.finished() ? store.report(id).orElse(null) : null);
    }

    /** Evaluations of a model ({@code ?model=}) or of a dataset ({@code ?dataset=}), newest first. */
    @GET
    @Path("/evaluations")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the evaluations"),
            @APIResponse(responseCode = "400", description = "neither ?model= nor ?dataset=, or not an id", content = @Content(mediaType = Problem.MEDIA_TYPE))})
    @RolesAllowed(Roles.VIEWER)
    public List<View> list(@QueryParam("model") String model, @QueryParam("dataset") String dataset) {
        if ((model == null) == (dataset == null)) {
            throw new EvalRejected(Reason.INVALID, "Missing filter", "list evaluations of one model (?model=ft-…) "
                    + "or one dataset (?dataset=ds-…)", model == null ? "model" : "dataset");
        }
        String by = model != null ? "model" : "dataset";
        String id = model != null ? model : dataset;
        if (!id.matches(dev.tailor.common.values.Checks.ID_PATTERN)) {
            throw new EvalRejected(Reason.INVALID, "Invalid " + by, by + " must be an id, got '" + id + "'", by);
        }
        return store().records(by, id).stream().map(r -> View.of(r, null)).toList();
    }

    @GET
    @Path("/evaluations/{id}/report.json")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the report"),
            @APIResponse(responseCode = "400", description = "not an evaluation id", content = @Content(mediaType = Problem.MEDIA_TYPE)),
            @APIResponse(responseCode = "404", description = "no such evaluation, or no report yet", content = @Content(mediaType = Problem.MEDIA_TYPE))})
    @RolesAllowed(Roles.VIEWER)
    public EvalReport reportJson(@PathParam("id") String id) {
        EvalStore store = store();
        return store.report(requireId(id)).orElseThrow(() -> noReport(store, id));
    }

    @GET
    @Path("/evaluations/{id}/report.html")
    @Produces(MediaType.TEXT_HTML)
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the report for people"),
            @APIResponse(responseCode = "400", description = "not an evaluation id", content = @Content(mediaType = Problem.MEDIA_TYPE)),
            @APIResponse(responseCode = "404", description = "no such evaluation, or no report yet", content = @Content(mediaType = Problem.MEDIA_TYPE))})
    @RolesAllowed(Roles.VIEWER)
    public Response reportHtml(@PathParam("id") String id) {
        EvalStore store = store();
        String html = store.reportHtml(requireId(id)).orElseThrow(() -> noReport(store, id));
        return Response.ok(html, "text/html; charset=utf-8")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
                .build();
    }

    /** Stores a JSONL eval set for later evaluations; 201 with its id and URI. */
    @POST
    @Path("/eval-sets")
    @Consumes({"application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @APIResponses({
            @APIResponse(responseCode = "201", description = "the test set was stored"),
            @APIResponse(responseCode = "400", description = "no usable test cases", content = @Content(mediaType = Problem.MEDIA_TYPE)),
            @APIResponse(responseCode = "415", description = "another content type than JSONL or text", content = @Content(mediaType = Problem.MEDIA_TYPE))})
    @RolesAllowed(Roles.TRAINER)
    public Response createEvalSet(byte[] body) {
        ApiEvaluations.EvalSet set = api.putEvalSet(callers.current().tenant(), body == null ? new byte[0] : body);
        return Response.status(201).entity(set).build();
    }

    /** {@code id} if it can be an evaluation id; a 400 problem naming the rule otherwise. */
    private static String requireId(String id) {
        if (!id.matches(dev.tailor.common.values.Checks.ID_PATTERN)) {
            throw new EvalRejected(Reason.INVALID, "Invalid id", "an evaluation id is 1-128 letters, digits, '.', "
                    + "'_' or '-', got '" + id + "'", "id");
        }
        return id;
    }

    private static EvaluationRecord record(EvalStore store, String id) {
        return store.record(requireId(id)).orElseThrow(() -> new EvalRejected(Reason.NOT_FOUND, "Unknown evaluation",
                "no evaluation '" + id + "'; list them with GET /v1/evaluations?model=…", "id"));
    }

    private static EvalRejected noReport(EvalStore store, String id) {
        EvaluationRecord r = record(store, id);
        return new EvalRejected(Reason.NOT_FOUND, "No report yet", "evaluation '" + id + "' is " + r.state()
                + (r.message() == null ? "" : ": " + r.message()) + "; its report is written when it succeeds", "id");
    }
}
