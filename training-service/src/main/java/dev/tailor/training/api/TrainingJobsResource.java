package dev.tailor.training.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.values.Checks;
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

/** Training jobs: create (validated, with a preflight estimate), watch, cancel. */
@Path("/v1/training-jobs")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingJobsResource {

    private final JobRequests requests;
    private final JobController controller;
    private final TrainingSettings settings;

    public TrainingJobsResource(JobRequests requests, JobController controller, TrainingSettings settings) {
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
    public Response create(String body, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
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
            return Response.ok(render(datasetId, datasetVersion, baseModel, params, context, sweep),
                    "application/yaml").build();
        }
        if (sweep != null && !sweep.isNull()) {
            return sweep(datasetId, datasetVersion, baseModel, params, context, sweep);
        }
        JobController.Submitted submitted = requests.create(datasetId, datasetVersion, baseModel, params, context);
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
    private String render(String datasetId, String datasetVersion, String baseModel, TrainingParams params,
                          JobContext context, JsonNode sweep) {
        if (sweep == null || sweep.isNull()) {
            return requests.render(datasetId, datasetVersion, baseModel, params, context);
        }
        StringBuilder out = new StringBuilder();
        for (TrainingParams candidate : SweepPlan.expand(params, sweep, settings.maxSweepCandidates())) {
            String yaml = requests.render(datasetId, datasetVersion, baseModel, candidate, context);
            out.append(out.length() == 0 || yaml.startsWith("---") ? "" : "---\n").append(yaml);
        }
        return out.toString();
    }

    /** One job per candidate of the sweep, queued in order; 202 when any is new. */
    private Response sweep(String datasetId, String datasetVersion, String baseModel, TrainingParams params,
                           JobContext context, JsonNode sweep) {
        List<TrainingParams> candidates = SweepPlan.expand(params, sweep, settings.maxSweepCandidates());
        String sweepId = "sw-" + JobIdentity.derive("sweep", datasetId, String.valueOf(datasetVersion), baseModel,
                Json.write(params) + "\n" + sweep + "\n" + context.parentModel()).jobId().substring(4);
        List<Created> jobs = new java.util.ArrayList<>();
        boolean any = false;
        for (int i = 0; i < candidates.size(); i++) {
            JobController.Submitted s = requests.create(datasetId, datasetVersion, baseModel, candidates.get(i),
                    context.withSweep(new Sweep(sweepId, i, candidates.size())));
            any |= s.created();
            jobs.add(created(s));
        }
        return Response.status(any ? 202 : 200).entity(new SweepCreated(sweepId, candidates.size(), jobs)).build();
    }

    /** Every job, from the job records in S3 (across restarts), with the live state of running ones. */
    @GET
    public List<JobView> list() {
        return controller.list();
    }

    @GET
    @Path("/{jobId}")
    public JobView get(@PathParam("jobId") String jobId) {
        return controller.find(jobId).orElseThrow(() -> notFound(jobId));
    }

    /** Cancels a queued or running job (the worker process is stopped); 202 with the job. */
    @DELETE
    @Path("/{jobId}")
    public Response cancel(@PathParam("jobId") String jobId) {
        JobView job = controller.cancel(jobId).orElseThrow(() -> notFound(jobId));
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
