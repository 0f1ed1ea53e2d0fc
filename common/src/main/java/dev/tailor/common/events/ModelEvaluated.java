package dev.tailor.common.events;

import dev.tailor.common.values.Checks;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import dev.tailor.common.values.AllowedValues;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Base-vs-tuned evaluation result and promotion verdict. Topic {@code tailor.model.evaluated}, key modelId.
 *
 * @param report   s3 URI of evals/{modelId}/report.json
 * @param baseLoss mean answer-token loss of the base model on the test split; {@code tunedLoss} likewise
 * @param verdict  {@link #PROMOTE} or {@link #REJECT}
 * @param reason   why, in words a user understands
 * @param evaluationId the evaluation's id at the eval service (GET /v1/evaluations/{id}); optional
 * @param reportUrl    where people read the report (the eval service's report.html), when it has a public URL;
 *                     optional
 */
@JsonClassDescription("Base-vs-tuned evaluation result and promotion verdict. Key: modelId. "
        + TailorEvent.NEW_FIELDS)
public record ModelEvaluated(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the data; first segment of every object key") String tenant,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String modelId,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String datasetId, @NotBlank String baseModel,
        @NotNull @Pattern(regexp = Checks.S3_URI_PATTERN) String adapter,
        @NotNull @Pattern(regexp = Checks.S3_URI_PATTERN) String report,
        @NotNull @DecimalMin("0") double baseLoss, @NotNull @DecimalMin("0") double tunedLoss,
        @NotNull @AllowedValues({ModelEvaluated.PROMOTE, ModelEvaluated.REJECT}) String verdict,
        @NotBlank String reason,
        @Pattern(regexp = Checks.ID_PATTERN)
        @JsonPropertyDescription("the evaluation's id at the eval service") String evaluationId,
        @JsonPropertyDescription("http(s) URL of the HTML report") String reportUrl,
        @JsonPropertyDescription("the identity this work is done for (an OIDC subject or apikey:<keyId>): who uploaded,"
                + " requested or caused it; left out by producers that do not know it") String principal) implements TailorEvent {
    public static final String PROMOTE = "PROMOTE";
    public static final String REJECT = "REJECT";

    public ModelEvaluated {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.optionalPrincipal(principal);
        Checks.id("modelId", modelId);
        Checks.id("datasetId", datasetId);
        Checks.notBlank("baseModel", baseModel);
        Checks.s3Uri("adapter", adapter);
        Checks.s3Uri("report", report);
        Checks.between("baseLoss", baseLoss, 0, Double.MAX_VALUE, "");
        Checks.between("tunedLoss", tunedLoss, 0, Double.MAX_VALUE, "");
        Checks.oneOf("verdict", verdict, List.of(PROMOTE, REJECT));
        Checks.notBlank("reason", reason);
        Checks.optionalId("evaluationId", evaluationId);
        if (reportUrl != null && !reportUrl.matches("^https?://\\S+$")) {
            throw new IllegalArgumentException("reportUrl must be an http(s) URL, got '" + reportUrl + "'");
        }
    }

    public static ModelEvaluated create(String tenant, String modelId, String datasetId, String baseModel,
                                        String adapter, String report, double baseLoss, double tunedLoss,
                                        String verdict, String reason) {
        return create(tenant, modelId, datasetId, baseModel, adapter, report, baseLoss, tunedLoss, verdict, reason,
                null, null);
    }

    /** With the evaluation's id and the URL of its HTML report (null when unknown). */
    public static ModelEvaluated create(String tenant, String modelId, String datasetId, String baseModel,
                                        String adapter, String report, double baseLoss, double tunedLoss,
                                        String verdict, String reason, String evaluationId, String reportUrl) {
        return new ModelEvaluated(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, modelId,
                datasetId, baseModel, adapter, report, baseLoss, tunedLoss, verdict, reason, evaluationId, reportUrl, null);
    }

    public boolean promoted() {
        return PROMOTE.equals(verdict);
    }

    /** This event done for {@code principal} (see the field). */
    public ModelEvaluated withPrincipal(String principal) {
        return new ModelEvaluated(eventId, schemaVersion, occurredAt, tenant, modelId, datasetId, baseModel, adapter, report, baseLoss, tunedLoss, verdict, reason, evaluationId, reportUrl, principal);
    }

    @Override
    public String key() {
        return modelId;
    }
}
