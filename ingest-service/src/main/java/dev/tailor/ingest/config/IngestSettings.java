package dev.tailor.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Ingest limits ({@code tailor.ingest.*}). */
@ConfigMapping(prefix = "tailor.ingest")
public interface IngestSettings {
    /** Largest accepted upload in bytes; a larger one gets 413 and leaves nothing behind. */
    @WithDefault("1073741824")
    long maxUploadBytes();

    /** Longest lifetime of an API key made through the admin API ({@code POST /v1/api-keys}). */
    @WithDefault("P365D")
    java.time.Duration maxApiKeyLifetime();
}
