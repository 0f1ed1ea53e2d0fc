package dev.tailor.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Ingest limits ({@code tailor.ingest.*}). */
@ConfigMapping(prefix = "tailor.ingest")
public interface IngestSettings {
    /** Largest accepted upload in bytes; a larger one gets 413 and leaves nothing behind. */
    @WithDefault("1073741824")
    long maxUploadBytes();

    /** Tenant request header; without it the tenant is {@code tailor.tenant}. */
    @WithDefault("X-Tailor-Tenant")
    String tenantHeader();
}
