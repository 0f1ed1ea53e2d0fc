package dev.tailor.common.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where objects live ({@code tailor.storage.*}). Defaults match the MinIO of docker-compose.yml; tests get the
 * values of the testkit's s3proxy. Plain Java callers use {@link ObjectStore}'s constructor instead.
 */
@ConfigMapping(prefix = "tailor.storage")
public interface StorageSettings {
    /** {@code tailor.storage.endpoint}: S3 endpoint URL; path-style requests are used, so any S3 server works. */
    @WithDefault("http://127.0.0.1:9000")
    String endpoint();

    /** {@code tailor.storage.access-key}: S3 access key id. */
    @WithDefault("minioadmin")
    String accessKey();

    /** {@code tailor.storage.secret-key}: S3 secret key. */
    @WithDefault("minioadmin")
    String secretKey();

    /** {@code tailor.storage.bucket}: the one bucket holding every tenant's objects; created when missing. */
    @WithDefault("tailor")
    String bucket();

    /** {@code tailor.storage.region}: region used for request signing. */
    @WithDefault("us-east-1")
    String region();
}
