package dev.tailor.training.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic job and model ids: the same dataset version, base model and parameters always give the same ids,
 * so a redelivered request finds the job (or its finished output) instead of starting a second one.
 */
public record JobIdentity(String jobId, String modelId) {

    private static final int HASH_CHARS = 16;

    public JobIdentity {
        if (jobId == null || jobId.isBlank() || modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("jobId and modelId must not be blank");
        }
    }

    /**
     * Ids from the canonical JSON of everything that decides the output.
     *
     * @param canonicalParamsJson the resolved (defaults merged) parameters as canonical JSON
     */
    public static JobIdentity derive(String tenant, String datasetId, String datasetVersion, String baseModel,
                                     String canonicalParamsJson) {
        String material = String.join("\n", tenant, datasetId, datasetVersion, baseModel, canonicalParamsJson);
        String hash = sha256(material).substring(0, HASH_CHARS);
        return new JobIdentity("job-" + hash, "ft-" + hash);
    }

    /** The model id belonging to a job id derived here ({@code job-<hash>} → {@code ft-<hash>}), if it is one. */
    public static java.util.Optional<String> modelIdOf(String jobId) {
        if (jobId != null && jobId.matches("job-[0-9a-f]{" + HASH_CHARS + "}")) {
            return java.util.Optional.of("ft-" + jobId.substring(4));
        }
        return java.util.Optional.empty();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
