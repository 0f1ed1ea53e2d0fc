package dev.tailor.common.events;

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
 */
public record ModelEvaluated(String eventId, int schemaVersion, Instant occurredAt, String tenant,
                             String modelId, String datasetId, String baseModel, String adapter, String report,
                             double baseLoss, double tunedLoss, String verdict, String reason)
        implements TailorEvent {
    public static final String PROMOTE = "PROMOTE";
    public static final String REJECT = "REJECT";

    public ModelEvaluated {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.id("modelId", modelId);
        Checks.id("datasetId", datasetId);
        Checks.notBlank("baseModel", baseModel);
        Checks.s3Uri("adapter", adapter);
        Checks.s3Uri("report", report);
        Checks.between("baseLoss", baseLoss, 0, Double.MAX_VALUE, "");
        Checks.between("tunedLoss", tunedLoss, 0, Double.MAX_VALUE, "");
        Checks.oneOf("verdict", verdict, List.of(PROMOTE, REJECT));
        Checks.notBlank("reason", reason);
    }

    public static ModelEvaluated create(String tenant, String modelId, String datasetId, String baseModel,
                                        String adapter, String report, double baseLoss, double tunedLoss,
                                        String verdict, String reason) {
        return new ModelEvaluated(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, modelId,
                datasetId, baseModel, adapter, report, baseLoss, tunedLoss, verdict, reason);
    }

    public boolean promoted() {
        return PROMOTE.equals(verdict);
    }

    @Override
    public String key() {
        return modelId;
    }
}
