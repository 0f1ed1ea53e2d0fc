package dev.tailor.common.events;

import dev.tailor.common.Topics;
import java.util.Locale;
import java.util.Map;

/** Which record type travels on which topic, and where its JSON Schema is on the classpath. */
public final class EventTypes {
    private static final Map<String, Class<? extends TailorEvent>> BY_TOPIC = Map.ofEntries(
            Map.entry(Topics.INGEST_REQUESTED, IngestRequested.class),
            Map.entry(Topics.DATASET_INGESTED, DatasetIngested.class),
            Map.entry(Topics.DATASET_CLEANED, DatasetCleaned.class),
            Map.entry(Topics.TRAINING_REQUESTED, TrainingRequested.class),
            Map.entry(Topics.TRAINING_PROGRESS, TrainingProgress.class),
            Map.entry(Topics.MODEL_TRAINED, ModelTrained.class),
            Map.entry(Topics.MODEL_EVALUATED, ModelEvaluated.class),
            Map.entry(Topics.MODEL_DEPLOYMENTS, ModelDeployment.class),
            Map.entry(Topics.COMPLETIONS_LOGGED, CompletionLogged.class),
            Map.entry(Topics.COMPLETIONS_FEEDBACK, CompletionFeedback.class),
            Map.entry(Topics.DATASET_DELETED, DatasetDeleted.class),
            Map.entry(Topics.AUDIT, AuditEvent.class));

    private EventTypes() {
    }

    /** The record type of a main topic ({@code .dlq} topics carry the same type as their topic). */
    public static Class<? extends TailorEvent> typeOf(String topic) {
        String main = topic != null && topic.endsWith(".dlq") ? topic.substring(0, topic.length() - 4) : topic;
        Class<? extends TailorEvent> type = BY_TOPIC.get(main);
        if (type == null) {
            throw new IllegalArgumentException("unknown topic '" + topic + "'; known topics: " + Topics.ALL);
        }
        return type;
    }

    /** The topic a record type is published on. */
    public static String topicOf(Class<? extends TailorEvent> type) {
        return BY_TOPIC.entrySet().stream().filter(e -> e.getValue().equals(type)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no topic carries " + type.getName()));
    }

    /**
     * The CloudEvents type ({@code ce_type}) of a record type: {@code dev.tailor.} and the record's name in dotted
     * lower case, e.g. {@code ModelTrained} → {@code dev.tailor.model.trained}, {@code ModelDeployment} →
     * {@code dev.tailor.model.deployment}.
     */
    public static String cloudEventType(Class<? extends TailorEvent> type) {
        return "dev.tailor." + type.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1.$2").toLowerCase(Locale.ROOT);
    }

    /** Classpath resource of the topic's JSON Schema (draft 2020-12), e.g. {@code schemas/tailor.model.trained.schema.json}. */
    public static String schemaResource(String topic) {
        typeOf(topic);
        return "schemas/" + topic + ".schema.json";
    }
}
