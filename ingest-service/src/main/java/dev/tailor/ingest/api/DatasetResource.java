package dev.tailor.ingest.api;

import dev.tailor.common.auth.Roles;
import dev.tailor.common.status.PipelineStatus;
import dev.tailor.ingest.config.IngestSettings;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.UploadRequest;
import dev.tailor.ingest.service.Erasure;
import dev.tailor.ingest.service.Ingestor;
import dev.tailor.ingest.storage.DatasetObjects;
import dev.tailor.ingest.storage.StatusStore;
import dev.tailor.security.identity.Caller;
import dev.tailor.security.identity.Callers;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Datasets: upload (raw body or multipart), upload a new version, status of one dataset in the pipeline, list,
 * delete. Everything acts in the caller's tenant (from the token or API key, never from a header); another tenant's
 * dataset ids answer 404, as if they did not exist.
 */
@Path("/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {
    @Inject
    Ingestor ingestor;

    @Inject
    StatusStore statuses;

    @Inject
    IngestSettings settings;

    @Inject
    Callers callers;

    @Inject
    Erasure erasure;

    @Inject
    UploadSlots slots;

    @Inject
    DatasetObjects objects;

    @Context
    HttpHeaders headers;

    @POST
    @Consumes({"application/x-ndjson", "application/jsonl", "application/json", "text/plain", "application/octet-stream",
            "text/csv", "text/tab-separated-values", "text/markdown", "text/html", "message/rfc822", "application/mbox",
            "application/zip", "application/gzip", "application/x-gzip", "application/x-tar",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/pdf"})
    @Operation(summary = "Upload a dataset as the request body (streamed to S3)")
    @APIResponses({
            @APIResponse(responseCode = "202", description = "accepted: stored and announced for cleaning"),
            @APIResponse(responseCode = "200", description = "the same content was uploaded before: that dataset"),
            @APIResponse(responseCode = "400", description = "malformed request or data", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "413", description = "larger than tailor.ingest.max-upload-bytes", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "415", description = "unsupported content type or format", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "422", description = "nothing usable in it, or an unknown baseModel (validBaseModels lists the valid ones)", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "429", description = "over the tenant's quota", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "503", description = "storage or the event bus failed; nothing kept, repeat it", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.DATA_EDITOR)
    public Response upload(InputStream body, @RestQuery String name, @RestQuery String filename,
                           @RestQuery boolean autoTrain, @RestQuery String baseModel) {
        return uploadBody(null, body, name, filename, autoTrain, baseModel);
    }

    @POST
    @Path("/{id}/versions")
    @Consumes({"application/x-ndjson", "application/jsonl", "application/json", "text/plain", "application/octet-stream",
            "text/csv", "text/tab-separated-values", "text/markdown", "text/html", "message/rfc822", "application/mbox",
            "application/zip", "application/gzip", "application/x-gzip", "application/x-tar",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/pdf"})
    @Operation(summary = "Upload a new version of a dataset as the request body: cleaned on its own, its examples that"
            + " were in the previous version keep their split, and its cleaning report diffs against that version")
    @APIResponses({
            @APIResponse(responseCode = "202", description = "accepted: stored and announced for cleaning"),
            @APIResponse(responseCode = "200", description = "the same content was uploaded before: that dataset"),
            @APIResponse(responseCode = "400", description = "malformed request or data", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "413", description = "larger than tailor.ingest.max-upload-bytes", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "415", description = "unsupported content type or format", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "422", description = "nothing usable in it, or an unknown baseModel (validBaseModels lists the valid ones)", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "429", description = "over the tenant's quota", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "503", description = "storage or the event bus failed; nothing kept, repeat it", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "404", description = "no such dataset to add a version to", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.DATA_EDITOR)
    public Response uploadVersion(@RestPath String id, InputStream body, @RestQuery String name, @RestQuery String filename,
                                  @RestQuery boolean autoTrain, @RestQuery String baseModel) {
        return uploadBody(id, body, name, filename, autoTrain, baseModel);
    }

    private Response uploadBody(String versionOf, InputStream body, String name, String filename, boolean autoTrain,
                                String baseModel) {
        String type = headers.getMediaType() == null ? null : headers.getMediaType().toString();
        Caller caller = callers.current();
        requireBaseModel(caller.tenant(), baseModel);
        UploadRequest req = new UploadRequest(caller.tenant(), name, filename == null ? name : filename, type,
                autoTrain, baseModel, null, "upload", caller.principal());
        try (UploadSlots.Slot slot = slots.take()) {
            return answer(ingestor.upload(req, body, java.util.Map.of(), versionOf));
        }
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a dataset as the multipart part 'file' (optional parts: name, autoTrain, baseModel,"
            + " cleaning (JSON settings), ref (reference tables for field lookups, repeatable))")
    @APIResponses({
            @APIResponse(responseCode = "202", description = "accepted: stored and announced for cleaning"),
            @APIResponse(responseCode = "200", description = "the same content was uploaded before: that dataset"),
            @APIResponse(responseCode = "400", description = "malformed request or data", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "413", description = "larger than tailor.ingest.max-upload-bytes", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "415", description = "unsupported content type or format", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "422", description = "nothing usable in it, or an unknown baseModel (validBaseModels lists the valid ones)", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "429", description = "over the tenant's quota", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "503", description = "storage or the event bus failed; nothing kept, repeat it", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.DATA_EDITOR)
    public Response uploadMultipart(@RestForm("file") FileUpload file, @RestForm("name") String formName,
                                    @RestForm("autoTrain") String formAutoTrain, @RestForm("baseModel") String formBaseModel,
                                    @RestForm("cleaning") String cleaning, @RestForm("ref") List<FileUpload> refs,
                                    @RestQuery String name,
                                    @RestQuery boolean autoTrain, @RestQuery String baseModel) {
        return uploadParts(null, file, formName, formAutoTrain, formBaseModel, cleaning, refs, name, autoTrain, baseModel);
    }

    @POST
    @Path("/{id}/versions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a new version of a dataset as the multipart part 'file' (same parts as a new dataset;"
            + " without 'cleaning' or 'ref' parts it keeps those of the dataset's newest upload)")
    @APIResponses({
            @APIResponse(responseCode = "202", description = "accepted: stored and announced for cleaning"),
            @APIResponse(responseCode = "200", description = "the same content was uploaded before: that dataset"),
            @APIResponse(responseCode = "400", description = "malformed request or data", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "413", description = "larger than tailor.ingest.max-upload-bytes", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "415", description = "unsupported content type or format", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "422", description = "nothing usable in it, or an unknown baseModel (validBaseModels lists the valid ones)", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "429", description = "over the tenant's quota", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "503", description = "storage or the event bus failed; nothing kept, repeat it", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "404", description = "no such dataset to add a version to", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.DATA_EDITOR)
    public Response uploadVersionMultipart(@RestPath String id, @RestForm("file") FileUpload file,
                                           @RestForm("name") String formName, @RestForm("autoTrain") String formAutoTrain,
                                           @RestForm("baseModel") String formBaseModel, @RestForm("cleaning") String cleaning,
                                           @RestForm("ref") List<FileUpload> refs, @RestQuery String name,
                                           @RestQuery boolean autoTrain, @RestQuery String baseModel) {
        return uploadParts(id, file, formName, formAutoTrain, formBaseModel, cleaning, refs, name, autoTrain, baseModel);
    }

    private Response uploadParts(String versionOf, FileUpload file, String formName, String formAutoTrain,
                                 String formBaseModel, String cleaning, List<FileUpload> refs, String name,
                                 boolean autoTrain, String baseModel) {
        if (file == null) {
            throw new IngestFailure(IngestFailure.Reason.INVALID, "Missing file", "multipart upload has no part named 'file'; send the dataset as"
                    + " -F file=@data.jsonl").with("part", "file");
        }
        if (file.size() > settings.maxUploadBytes()) {
            throw new IngestFailure(IngestFailure.Reason.TOO_LARGE, "Upload too large", "'" + file.fileName() + "' has " + file.size()
                    + " bytes, more than the limit of " + settings.maxUploadBytes() + " (tailor.ingest.max-upload-bytes);"
                    + " split it into several datasets").with("file", file.fileName()).with("limit", settings.maxUploadBytes());
        }
        Caller caller = callers.current();
        requireBaseModel(caller.tenant(), formBaseModel != null ? formBaseModel : baseModel);
        UploadRequest req = new UploadRequest(caller.tenant(), formName != null ? formName : name, file.fileName(),
                file.contentType(), autoTrain || Boolean.parseBoolean(formAutoTrain),
                formBaseModel != null ? formBaseModel : baseModel, cleaning, "multipart", caller.principal());
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            java.util.Map<String, java.nio.file.Path> tables = new java.util.LinkedHashMap<>();
            if (refs != null) {
                refs.forEach(r -> tables.put(r.fileName(), r.uploadedFile()));
            }
            return answer(ingestor.upload(req, in, tables, versionOf));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Where a dataset is in the pipeline: each stage's state (of the latest run), errors and links"
            + " to outputs, every cleaned version and every training run (auto-trained or started by hand) with its"
            + " own state, model, verdict and reason")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the status"),
            @APIResponse(responseCode = "404", description = "no such dataset in the tenant", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.VIEWER)
    public PipelineStatus status(@RestPath String id) {
        String tenant = callers.current().tenant();
        return statuses.get(tenant, id).orElseThrow(() -> unknownDataset(tenant, id));
    }

    @GET
    @Path("/{id}/versions")
    @Operation(summary = "Every cleaned version of a dataset, oldest first: split sizes and links to the splits,"
            + " report and profile")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the versions"),
            @APIResponse(responseCode = "404", description = "no such dataset in the tenant", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.VIEWER)
    public List<PipelineStatus.Version> versions(@RestPath String id) {
        return status(id).versions;
    }

    @GET
    @Path("/{id}/versions/{version}/report")
    @Operation(summary = "The cleaning report of a version: records read and kept, a count per rule with samples,"
            + " every dropped record with its reason, the diff against the previous version")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the report"),
            @APIResponse(responseCode = "400", description = "invalid dataset id or version", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "404", description = "no such dataset or version (versions lists the known ones)", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.VIEWER)
    public JsonNode report(@RestPath String id, @RestPath String version) {
        String tenant = callers.current().tenant();
        requireIds(id, version);
        return objects.report(tenant, id, version).orElseThrow(() -> unknownVersion(tenant, id, version));
    }

    @GET
    @Path("/{id}/versions/{version}/profile")
    @Operation(summary = "The profile of a version: records, drops per rule, duplicates, personal data found, language"
            + " mix and lengths, overall and per source, with notes on whether the data is enough")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the profile"),
            @APIResponse(responseCode = "400", description = "invalid dataset id or version", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "404", description = "no such dataset, version or profile", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.VIEWER)
    public JsonNode profile(@RestPath String id, @RestPath String version) {
        String tenant = callers.current().tenant();
        requireIds(id, version);
        return objects.profile(tenant, id, version).orElseThrow(() -> new IngestFailure(IngestFailure.Reason.NOT_FOUND,
                "No profile", "version '" + version + "' of dataset '" + id + "' has no profile (cleaned before"
                + " profiles were written, or not cleaned yet); its report is at GET /v1/datasets/" + id
                + "/versions/" + version + "/report").with("datasetId", id).with("version", version));
    }

    private void requireIds(String id, String version) {
        try {
            callers.current().layout().datasetPrefix(id, version);
        } catch (IllegalArgumentException e) {
            throw new IngestFailure(IngestFailure.Reason.INVALID, "Invalid id", e.getMessage()).with("datasetId", id)
                    .with("version", version);
        }
    }

    private IngestFailure unknownVersion(String tenant, String id, String version) {
        List<String> known = statuses.get(tenant, id).orElseThrow(() -> unknownDataset(tenant, id)).versions.stream()
                .map(v -> v.version).toList();
        return new IngestFailure(IngestFailure.Reason.NOT_FOUND, "Unknown version", "dataset '" + id
                + "' has no cleaned version '" + version + "'; its versions are " + known).with("datasetId", id)
                .with("version", version).with("versions", known);
    }

    private static IngestFailure unknownDataset(String tenant, String id) {
        return new IngestFailure(IngestFailure.Reason.NOT_FOUND, "Unknown dataset",
                "no dataset '" + id + "' for tenant '" + tenant + "'; list datasets with GET /v1/datasets")
                .with("datasetId", id);
    }

    /** An upload naming a base model that is not in the tenant's S3 folder is refused before anything is stored. */
    private void requireBaseModel(String tenant, String baseModel) {
        if (baseModel == null || baseModel.isBlank() || objects.hasBaseModel(tenant, baseModel)) {
            return;
        }
        List<String> known = objects.baseModels(tenant);
        throw new IngestFailure(IngestFailure.Reason.UNPROCESSABLE, "Unknown base model", "base model '" + baseModel
                + "' is not among the base models of tenant '" + tenant + "': " + known + "; name one of them, leave"
                + " baseModel out for the training service's default, or import the model first")
                .with("baseModel", baseModel).with("validBaseModels", known);
    }

    @GET
    @Operation(summary = "Every dataset of the tenant with its pipeline status, newest first")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the datasets")})
    @RolesAllowed(Roles.VIEWER)
    public List<PipelineStatus> list() {
        return statuses.list(callers.current().tenant());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Erase a dataset: its raw and cleaned objects and status in S3, and every local copy the"
            + " services keep (tailor.dataset.deleted); lists the models trained on it, for the operator to retire")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "erased: objects deleted and the models trained on it, marked for retirement"),
            @APIResponse(responseCode = "400", description = "invalid dataset id", content = @Content(mediaType = Problems.PROBLEM_JSON)),
            @APIResponse(responseCode = "404", description = "no such dataset in the tenant", content = @Content(mediaType = Problems.PROBLEM_JSON))})
    @RolesAllowed(Roles.DATA_EDITOR)
    public Erasure.Erased delete(@RestPath String id) {
        Caller caller = callers.current();
        try {
            caller.layout().rawPrefix(id);
        } catch (IllegalArgumentException e) {
            throw new IngestFailure(IngestFailure.Reason.INVALID, "Invalid dataset id", e.getMessage()).with("datasetId", id);
        }
        return erasure.erase(caller.tenant(), id, caller.principal());
    }

    private Response answer(Ingestor.Result r) {
        URI location = URI.create("/v1/datasets/" + r.datasetId());
        return Response.status(r.duplicate() ? 200 : 202).location(location).type(MediaType.APPLICATION_JSON)
                .entity(r.body()).build();
    }
}
