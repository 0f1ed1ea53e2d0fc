package dev.tailor.eval.domain.request;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where the tuned model and the test set came from.
 *
 * @param datasetId      the dataset, or null for an uploaded eval set
 * @param datasetVersion its cleaned version
 * @param jobId          the training job that made the tuned model, when known
 * @param parentModel    the tuned model training continued from, when any
 * @param params         the training parameters, when known
 * @param testSet        s3 URI of the examples scored (a test split or an eval set)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lineage(String datasetId, String datasetVersion, String jobId, String parentModel, JsonNode params,
                      String testSet) {
    public Lineage {
        if (testSet == null || testSet.isBlank()) {
            throw new IllegalArgumentException("the lineage names the test set");
        }
    }
}
