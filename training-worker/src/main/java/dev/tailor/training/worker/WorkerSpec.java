package dev.tailor.training.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.events.Sweep;
import dev.tailor.common.events.TrainingParams;
import java.util.Objects;

/**
 * Everything a worker process needs to run one job, written as JSON next to the job. Carries no credentials:
 * the worker gets the S3 keys through its environment.
 *
 * @param baseModelPrefix object key prefix of the base model (HF layout)
 * @param outputPrefix    object key prefix of {@code models/tuned/{modelId}/}
 * @param workDir         local folder of this job (cache, outputs, logs)
 * @param checkpointEvery optimizer steps between resumable checkpoints
 * @param parentModel     the tuned model training continues from, or null to start from fresh adapters
 * @param parentPrefix    object key prefix of the parent's folder (its PEFT adapter), with parentModel
 * @param sweep           the sweep this job is a candidate of, or null
 * @param evaluation      evaluation settings for the tuned model (passed on to eval with model.trained), or null
 * @param principal       who the job is for (an OIDC subject or apikey:&lt;keyId&gt;, never a credential), carried into
 *                        model.trained and the output's manifest; or null
 */
public record WorkerSpec(String jobId, String modelId, String tenant, String datasetId, String datasetVersion,
                         String baseModel, TrainingParams params, String s3Endpoint, String bucket, String region,
                         String baseModelPrefix, String trainKey, String validationKey, String testKey,
                         String outputPrefix, String workDir, int checkpointEvery, String parentModel,
                         String parentPrefix, Sweep sweep, ObjectNode evaluation,
                         String principal) {

    /** Environment variable carrying the S3 access key to the worker. */
    public static final String ENV_ACCESS_KEY = "TAILOR_STORAGE_ACCESS_KEY";
    /** Environment variable carrying the S3 secret key to the worker. */
    public static final String ENV_SECRET_KEY = "TAILOR_STORAGE_SECRET_KEY";

    public WorkerSpec {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(datasetId, "datasetId");
        Objects.requireNonNull(datasetVersion, "datasetVersion");
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(baseModelPrefix, "baseModelPrefix");
        Objects.requireNonNull(trainKey, "trainKey");
        Objects.requireNonNull(validationKey, "validationKey");
        Objects.requireNonNull(testKey, "testKey");
        Objects.requireNonNull(outputPrefix, "outputPrefix");
        Objects.requireNonNull(workDir, "workDir");
        if ((parentModel == null) != (parentPrefix == null)) {
            throw new IllegalArgumentException("parentModel and parentPrefix go together");
        }
    }

    /** A job that starts from fresh adapters, alone, with eval's default settings. */
    public WorkerSpec(String jobId, String modelId, String tenant, String datasetId, String datasetVersion,
                      String baseModel, TrainingParams params, String s3Endpoint, String bucket, String region,
                      String baseModelPrefix, String trainKey, String validationKey, String testKey,
                      String outputPrefix, String workDir, int checkpointEvery) {
        this(jobId, modelId, tenant, datasetId, datasetVersion, baseModel, params, s3Endpoint, bucket, region,
                baseModelPrefix, trainKey, validationKey, testKey, outputPrefix, workDir, checkpointEvery, null, null,
                null, null, null);
    }

    /** This spec for {@code who} (see principal). */
    public WorkerSpec withPrincipal(String who) {
        return new WorkerSpec(jobId, modelId, tenant, datasetId, datasetVersion, baseModel, params, s3Endpoint, bucket,
                region, baseModelPrefix, trainKey, validationKey, testKey, outputPrefix, workDir, checkpointEvery,
                parentModel, parentPrefix, sweep, evaluation, who);
    }
}
