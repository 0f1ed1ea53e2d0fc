package dev.tailor.training.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.values.Checks;
import dev.tailor.security.api.Problem;
import dev.tailor.training.config.TrainingSettings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.events.Sweep;
import dev.tailor.training.domain.JobContext;
import dev.tailor.training.domain.JobIdentity;
import dev.tailor.training.domain.JobRejected;
import dev.tailor.training.domain.SweepPlan;
import dev.tailor.training.domain.ParamsParser;
import dev.tailor.training.service.JobController;
import dev.tailor.training.service.JobRequests;
import dev.tailor.training.service.JobView;
import dev.tailor.security.identity.Caller;
import dev.tailor.security.identity.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;

/**
 * Training jobs of the caller's tenant: create (validated, with a preflight estimate), watch, cancel. Another
 * tenant's job ids answer 404.
 */
@Path("/v1/training-jobs")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingJobsResource {

    private final JobRequests requests;
    private final JobController controller;
    private final TrainingSettings settings;
    private final Callers callers;

    public TrainingJobsResource(JobRequests requests, JobController controller, TrainingSettings settings,
                                Callers callers) {
        this.callers = callers;
        this.requests = requests;
        this.controller = controller;
        this.settings = settings;
    }

    /** Answer to a create request. */
    public record Created(String jobId, String modelId, String state, String statusUrl, boolean created,
                          JobView job) {
    }

    /** Answer to a sweep request: the sweep's id and one job per candidate, to be run one after another. */
    public record SweepCreated(String sweepId, int candidates, List<Created> jobs) {
    }

    /**
     * Body: {@code {"datasetId", "datasetVersion"?, "baseModel"?, "params"?, "parentModel"?, "sweep"?,
     * "evaluation"?}}; params is a partial TrainingParams object merged over the defaults; parentModel a tuned model
     * to train further (its adapter is the starting point); sweep an object of parameter → values (every
     * combination is a candidate job; each is evaluated and only the best by the gate's metric promoted);
     * evaluation the eval service's settings for the tuned model(s). 202 for a new job, 200 when the same job (same
     * dataset version, base model, parent and parameters) already exists.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, "application/yaml"})
    @RolesAllowed(Roles.TRAINER)
    @Operation(summary = "Start a training job (or a sweep of jobs) on a cleaned dataset; dryRun=true answers the"
            + " objects it would create, as YAML, and creates nothing")
    @APIResponses({
            @APIResponse(responseCode = "202", description = "a new job (or sweep) was created"),
            @APIResponse(responseCode = "200", description = "the same job exists already (or dryRun: its objects)"),
            @APIResponse(responseCode = "400", description = "malformed body, an unknown parameter or a value out of"
                    + " range (the problem names the field and the valid names)", content = @Content(mediaType = Problem.MEDIA_TYPE)),
            @APIResponse(responseCode = "404", description = "unknown dataset, version or parent model", content = @Content(mediaType = Problem.MEDIA_TYPE)),
            @APIResponse(responseCode = "422", description = "unknown or unusable base model, or a job too large", content = @Content(mediaType = Problem.MEDIA_TYPE)),
            @APIResponse(responseCode = "429", description = "the tenant's training-jobs quota or the queue is full", content = @Content(mediaType = Problem.MEDIA_TYPE))})
    public Response create(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT, requiredProperties = "datasetId", properties = {
                    @SchemaProperty(name = "datasetId", type = SchemaType.STRING, description = "the dataset's id"),
                    @SchemaProperty(name = "datasetVersion", type = SchemaType.STRING,
                            description = "a cleaned version (default: the newest)"),
                    @SchemaProperty(name = "baseModel", type = SchemaType.STRING,
                            description = "a base model in S3 (default: tailor.training.default-base-model)"),
                    @SchemaProperty(name = "params", implementation = TrainingParams.class,
                            description = "parameters merged over the defaults; nested or flat names"),
                    @SchemaProperty(name = "parentModel", type = SchemaType.STRING,
                            description = "a tuned model to train further"),
                    @SchemaProperty(name = "sweep", type = SchemaType.OBJECT,
                            description = "parameter -> list of values; every combination is a job"),
                    @SchemaProperty(name = "evaluation", type = SchemaType.OBJECT,
                            description = "the eval service's settings for the tuned model(s)")}))) String body, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
        Caller caller = callers.current();
        JsonNode request;
        try {
            request = Json.mapper().readTree(body == null ? "" : body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new JobRejected(JobRejected.Reason.INVALID, "Malformed JSON", "the body is not valid JSON: " + e.getOriginalMessage(), null);
        }
        if (request == null || !request.isObject()) {
            throw new JobRejected(JobRejected.Reason.INVALID, "Malformed request", "send a JSON object like {\"datasetId\": \"…\", "
                    + "\"baseModel\": \"tiny-llama\", \"params\": {\"epochs\": 1}}", null);
        }
        String datasetId = text(request, "datasetId");
        if (datasetId == null) {
            throw new JobRejected(JobRejected.Reason.INVALID, "Missing datasetId", "datasetId is required: the id ingest gave the dataset",
                    "datasetId");
        }
        requireId(datasetId, "datasetId");
        String datasetVersion = text(request, "datasetVersion");
        if (datasetVersion != null) {
            requireId(datasetVersion, "datasetVersion");
        }
        String baseModel = text(request, "baseModel");
        if (baseModel == null) {
            baseModel = settings.defaultBaseModel();
        }
        requireId(baseModel, "baseModel");
        TrainingParams params = ParamsParser.parse(request.get("params"));
        String parentModel = text(request, "parentModel");
        if (parentModel != null) {
            requireId(parentModel, "parentModel");
        }
        JsonNode evaluation = request.get("evaluation");
        if (evaluation != null && !evaluation.isNull() && !evaluation.isObject()) {
            throw new JobRejected(JobRejected.Reason.INVALID, "Invalid evaluation", "evaluation must be an object of "
                    + "the eval service's settings, e.g. {\"gate\": {\"loss\": {}}}", "evaluation");
        }
        JobContext context = new JobContext(parentModel, null, evaluation == null || evaluation.isNull() ? null
                : (ObjectNode) evaluation);
        JsonNode sweep = request.get("sweep");
        if (dryRun) {
            // the same checks and placement, nothing created: the exact objects, for review and `kubectl diff`
            return Response.ok(render(caller, datasetId, datasetVersion, baseModel, params, context, sweep),
                    "application/yaml").build();
        }
        if (sweep != null && !sweep.isNull()) {
            return sweep(caller, datasetId, datasetVersion, baseModel, params, context, sweep);
        }
        JobController.Submitted submitted = requests.create(caller.tenant(), caller.principal(), datasetId,
                datasetVersion, baseModel, params, context);
        Created created = created(submitted);
        return Response.status(submitted.created() ? 202 : 200).location(URI.create(created.statusUrl()))
                .entity(created).build();
    }

    private static Created created(JobController.Submitted submitted) {
        JobView job = submitted.job();
        String location = "/v1/training-jobs/" + job.jobId();
        return new Created(job.jobId(), job.modelId(), job.state(), location, submitted.created(), job);
    }

    /** The objects of the job, or of every candidate of a sweep (YAML documents one after another). */
    private String render(Caller caller, String datasetId, String datasetVersion, String baseModel,
                          TrainingParams params, JobContext context, JsonNode sweep) {
        if (sweep == null || sweep.isNull()) {
            return requests.render(caller.tenant(), datasetId, datasetVersion, baseModel, params, context);
        }
        StringBuilder out = new StringBuilder();
        for (TrainingParams candidate : SweepPlan.expand(params, sweep, settings.maxSweepCandidates())) {
            String yaml = requests.render(caller.tenant(), datasetId, datasetVersion, baseModel, candidate, context);
            out.append(out.length() == 0 || yaml.startsWith("---") ? "" : "---\n").append(yaml);
        }
        return out.toString();
    }

    /**
     * One job per candidate of the sweep, queued in order; 202 when any is new. The tenant's training-jobs quota is
     * checked once, for the sweep: candidates over it wait in the tenant's line.
     */
    private Response sweep(Caller caller, String datasetId, String datasetVersion, String baseModel,
                           TrainingParams params, JobContext context, JsonNode sweep) {
        List<TrainingParams> candidates = SweepPlan.expand(params, sweep, settings.maxSweepCandidates());
        String sweepId = "sw-" + JobIdentity.derive(caller.tenant(), datasetId, String.valueOf(datasetVersion),
                baseModel, Json.write(params) + "\n" + sweep + "\n" + context.parentModel()).jobId().substring(4);
        requests.requireRoom(caller.tenant());
        List<Created> jobs = new java.util.ArrayList<>();
        boolean any = false;
        for (int i = 0; i < candidates.size(); i++) {
            JobController.Submitted s = requests.submit(caller.tenant(), caller.principal(), datasetId,
                    datasetVersion, baseModel, candidates.get(i), context.withSweep(new Sweep(sweepId, i,
                            candidates.size())));
            any |= s.created();
            jobs.add(created(s));
        }
        return Response.status(any ? 202 : 200).entity(new SweepCreated(sweepId, candidates.size(), jobs)).build();
    }

    /** The tenant's jobs, from the job records in S3 (across restarts), with the live state of running ones. */
    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Every training job of the tenant (durable across restarts), newest first")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the jobs")})
    public List<JobView> list() {
        return controller.list(callers.current().tenant());
    }

    @GET
    @Path("/{jobId}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One job: state, progress, parameters, placement")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the job"),
            @APIResponse(responseCode = "404", description = "no such job in the tenant", content = @Content(mediaType = Problem.MEDIA_TYPE))})
    public JobView get(@PathParam("jobId") String jobId) {
        return controller.find(callers.current().tenant(), jobId).orElseThrow(() -> notFound(jobId));
    }

    /**
     * Cancels a queued or running job (the worker process is stopped); 202 with the job. A job that already ended
     * answers 409 (nothing to cancel), naming its state.
     */
    @DELETE
    @Path("/{jobId}")
    @RolesAllowed(Roles.TRAINER)
    @Operation(summary = "Cancel a queued or running job")
    @APIResponses({
            @APIResponse(responseCode = "202", description = "cancelling: the job, whose state follows"),
            @APIResponse(responseCode = "404", description = "no such job in the tenant", content = @Content(mediaType = Problem.MEDIA_TYPE)),
            @APIResponse(responseCode = "409", description = "the job already ended: nothing to cancel", content = @Content(mediaType = Problem.MEDIA_TYPE))})
    public Response cancel(@PathParam("jobId") String jobId) {
        Caller caller = callers.current();
        JobView known = controller.find(caller.tenant(), jobId).orElseThrow(() -> notFound(jobId));
        if (dev.tailor.training.domain.JobState.valueOf(known.state()).terminal()) {
            throw new JobRejected(JobRejected.Reason.CONFLICT, "Job already finished", "training job '" + jobId
                    + "' already ended in state " + known.state() + "; there is nothing to cancel", "jobId");
        }
        JobView job = controller.cancel(caller.tenant(), jobId, caller.principal()).orElseThrow(() -> notFound(jobId));
        return Response.accepted(job).build();
    }

    private static JobRejected notFound(String jobId) {
        return new JobRejected(JobRejected.Reason.NOT_FOUND, "Unknown job", "no training job '" + jobId + "' is known; list them with "
                + "GET /v1/training-jobs", "jobId");
    }

    /** Ids become parts of object keys: letters, digits, '.', '_', '-', starting with a letter or digit. */
    private static void requireId(String value, String field) {
        if (!value.matches(Checks.ID_PATTERN)) {
            throw new JobRejected(JobRejected.Reason.INVALID, "Invalid " + field, field + " must be 1-128 letters, digits, '.', '_' or "
                    + "'-', starting with a letter or digit, got '" + value + "'", field);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new JobRejected(JobRejected.Reason.INVALID, "Invalid " + field, field + " must be a non-empty string", field);
        }
        return v.asText();
    }
}
