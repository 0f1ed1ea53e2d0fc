package dev.tailor.console.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.json.Json;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline event as the console's browsers receive it: the stage it belongs to ({@link #stage()}, the topic's last
 * names, e.g. {@code training.progress}), the tenant that owns it, and the event's own JSON, unchanged.
 */
public record ConsoleEvent(String stage, String tenant, String json) {
    /** The topics the console follows: every stage of the pipeline, deployments and erasure. */
    public static final List<String> TOPICS = List.of(Topics.DATASET_INGESTED, Topics.DATASET_CLEANED,
            Topics.TRAINING_REQUESTED, Topics.TRAINING_PROGRESS, Topics.MODEL_TRAINED, Topics.MODEL_EVALUATED,
            Topics.MODEL_DEPLOYMENTS, Topics.DATASET_DELETED);
    private static final String PREFIX = "tailor.";

    public ConsoleEvent {
        dev.tailor.common.values.Checks.notBlank("stage", stage);
        dev.tailor.common.values.Checks.tenant(tenant);
        dev.tailor.common.values.Checks.notBlank("json", json);
    }

    /**
     * The console event of a record read from {@code topic}; empty for a record that is not an event of a tenant
     * (a tombstone of the compacted deployments topic, or a malformed record: those go to the dead-letter topics of
     * the services that consume them, the console just skips them).
     */
    public static Optional<ConsoleEvent> of(String topic, String value) {
        if (value == null || value.isBlank() || !topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            JsonNode tree = Json.mapper().readTree(value);
            String tenant = tree.path("tenant").asText("");
            dev.tailor.common.values.Checks.tenant(tenant);
            return Optional.of(new ConsoleEvent(topic.substring(PREFIX.length()), tenant, value));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
