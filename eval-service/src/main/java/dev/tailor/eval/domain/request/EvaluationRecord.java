package dev.tailor.eval.domain.request;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * {@code evals/{evaluationId}/evaluation.json}: an evaluation as asked and where it stands.
 *
 * @param evaluationId  its id
 * @param state         QUEUED, RUNNING, SUCCEEDED or FAILED
 * @param trigger       {@code training} or {@code api}
 * @param modelId       the model under test
 * @param baselineId    what it is compared with (a base model's name or a model id)
 * @param datasetId     the dataset of the test split, or null for an eval set
 * @param datasetVersion its version
 * @param testSet       s3 URI of the examples
 * @param settings      the settings (judge key removed)
 * @param message       why it failed, or what it is doing
 * @param verdict       PROMOTE or REJECT once done
 * @param reason        the gate's sentence once done
 * @param requestedBy   who asked for it (the caller of POST /v1/evaluations, or whoever caused the training), or
 *                      null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationRecord(String evaluationId, String state, String trigger, String modelId, String baselineId,
                               String datasetId, String datasetVersion, String testSet, JsonNode settings,
                               String message, String verdict, String reason, Instant createdAt, Instant updatedAt,
                               String requestedBy) {
    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    private static final List<String> STATES = List.of(QUEUED, RUNNING, SUCCEEDED, FAILED);

    public EvaluationRecord {
        if (evaluationId == null || !STATES.contains(state) || modelId == null || baselineId == null
                || testSet == null || createdAt == null) {
            throw new IllegalArgumentException("an evaluation record needs its id, a state of " + STATES
                    + ", the models, the test set and its creation time");
        }
        updatedAt = updatedAt == null ? createdAt : updatedAt;
    }

    public boolean finished() {
        return SUCCEEDED.equals(state) || FAILED.equals(state);
    }

    public EvaluationRecord with(String newState, String newMessage, String newVerdict, String newReason) {
        return new EvaluationRecord(evaluationId, newState, trigger, modelId, baselineId, datasetId, datasetVersion,
                testSet, settings, newMessage, newVerdict, newReason, createdAt, Instant.now(), requestedBy);
    }
}
