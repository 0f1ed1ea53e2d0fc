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

    /**
     * How long an upload waits for the broker to take its {@code dataset.ingested} before answering anyway: the event
     * is stored with the upload (the outbox) and published as soon as the broker answers.
     */
    @WithDefault("PT5S")
    java.time.Duration publishWait();

    /** How often the outbox relay looks for stored events whose first send failed (or whose process ended). */
    @WithDefault("PT10S")
    java.time.Duration outboxRelayEvery();

    /**
     * Raw-body uploads streamed at once (each holds a part buffer that grows with what its client sent, at most
     * 16 MiB); one more is answered 503 with Retry-After. Multipart bodies are spooled to disk before they count.
     */
    @WithDefault("32")
    int maxConcurrentUploads();
}
