package dev.tailor.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A cleaned, split dataset version is in S3. Topic {@code tailor.dataset.cleaned}, key datasetId.
 *
 * @param version  dataset version (derived from the input and the cleaning configuration)
 * @param train    s3 URI of train.jsonl; {@code validation}, {@code test} likewise
 * @param report   s3 URI of the cleaning report (report.json)
 */
public record DatasetCleaned(String eventId, int schemaVersion, Instant occurredAt, String tenant,
                             String datasetId, String version, String train, String validation, String test,
                             String report, long trainCount, long validationCount, long testCount,
                             boolean autoTrain, String baseModel) implements TailorEvent {
    public DatasetCleaned {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.id("datasetId", datasetId);
        Checks.id("version", version);
        Checks.s3Uri("train", train);
        Checks.s3Uri("validation", validation);
        Checks.s3Uri("test", test);
        Checks.s3Uri("report", report);
        Checks.nonNegative("trainCount", trainCount);
        Checks.nonNegative("validationCount", validationCount);
        Checks.nonNegative("testCount", testCount);
        Checks.optionalNotBlank("baseModel", baseModel);
    }

    public static DatasetCleaned create(String tenant, String datasetId, String version, String train,
                                        String validation, String test, String report, long trainCount,
                                        long validationCount, long testCount, boolean autoTrain, String baseModel) {
        return new DatasetCleaned(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, datasetId,
                version, train, validation, test, report, trainCount, validationCount, testCount, autoTrain, baseModel);
    }

    @Override
    public String key() {
        return datasetId;
    }
}
