package dev.tailor.training.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.values.Checks;
import dev.tailor.training.config.TrainingSettings;
import dev.tailor.training.domain.JobRejected;
import dev.tailor.training.domain.ParamsParser;
import dev.tailor.training.service.JobController;
import dev.tailor.training.service.JobRequests;
import dev.tailor.training.service.JobView;
import dev.tailor.security.identity.Caller;
import dev.tailor.security.identity.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

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

    /**
     * Body: {@code {"datasetId", "datasetVersion"?, "baseModel"?, "params"?}}; params is a partial TrainingParams
     * object merged over the defaults. 202 for a new job, 200 when the same job (same dataset version, base model
     * and parameters) already exists.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.TRAINER)
    public Response create(String body) {
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
        JobController.Submitted submitted = requests.create(caller.tenant(), caller.principal(), datasetId,
                datasetVersion, baseModel, params);
        JobView job = submitted.job();
        URI location = URI.create("/v1/training-jobs/" + job.jobId());
        return Response.status(submitted.created() ? 202 : 200).location(location)
                .entity(new Created(job.jobId(), job.modelId(), job.state(), location.toString(), submitted.created(),
                        job))
                .build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public List<JobView> list() {
        return controller.list(callers.current().tenant());
    }

    @GET
    @Path("/{jobId}")
    @RolesAllowed(Roles.VIEWER)
    public JobView get(@PathParam("jobId") String jobId) {
        return controller.find(callers.current().tenant(), jobId).orElseThrow(() -> notFound(jobId));
    }

    /** Cancels a queued or running job (the worker process is stopped); 202 with the job. */
    @DELETE
    @Path("/{jobId}")
    @RolesAllowed(Roles.TRAINER)
    public Response cancel(@PathParam("jobId") String jobId) {
        Caller caller = callers.current();
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
