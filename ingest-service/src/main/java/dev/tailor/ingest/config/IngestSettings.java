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

    /**
     * Folder of secrets for sources' {@code credentialsRef}: one file per secret, named after it (as a Kubernetes
     * Secret volume mounts them). A secret not found there is read from the environment variable
     * {@code TAILOR_SECRET_{NAME}} (upper case, other characters as '_').
     */
    java.util.Optional<java.nio.file.Path> secretsDir();

    /** How often this replica looks for sources whose periodic sync is due (0: never; syncs on demand still work). */
    @WithDefault("PT30S")
    java.time.Duration sourcesTick();

    /** Most records (messages, rows, objects, Kafka records) one sync puts into one version; the rest waits. */
    @WithDefault("10000")
    int sourcesMaxRecords();

    /** How long connecting to and reading from a source may take before the sync fails. */
    @WithDefault("PT30S")
    java.time.Duration sourcesTimeout();

    /** How long a replica's claim on a source lasts (renewed by nothing: a sync must end before it). */
    @WithDefault("PT10M")
    java.time.Duration sourcesLease();
}
