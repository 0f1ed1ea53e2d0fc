package dev.tailor.common.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.events.EventTypes;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.json.Json;
import dev.tailor.common.values.Checks;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One fact about a dataset that its status is folded from: an event of the pipeline (with what its producer adds,
 * e.g. ingest's byte count and the upload's training options), or a record of it that went to a dead-letter topic.
 *
 * @param topic    the topic the event was read from; a {@code .dlq} topic for a dead letter
 * @param at       when it happened (the event's occurredAt, the dead letter's timestamp)
 * @param event    the event, or null for a dead letter whose record could not be read
 * @param error    the dead-letter reason, or null
 * @param details  extra details for the stage (ingest: bytes, rejectedRecords, source)
 * @param training the upload's training options (ingest), or null
 */
public record StatusEntry(String topic, Instant at, TailorEvent event, String error, Map<String, Object> details,
                          TrainingOptions training) {
    public StatusEntry {
        Checks.notBlank("topic", topic);
        Objects.requireNonNull(at, "at");
        details = details == null ? Map.of() : Map.copyOf(details);
        if (event == null && error == null) {
            throw new IllegalArgumentException("a status entry is an event or a dead letter");
        }
    }

    /** An event read from its topic. */
    public static StatusEntry of(TailorEvent event) {
        return new StatusEntry(EventTypes.topicOf(event.getClass()), event.occurredAt(), event, null, Map.of(), null);
    }

    /** The event ingest published, with the upload's details and training options. */
    public static StatusEntry ingested(TailorEvent event, Map<String, Object> details, TrainingOptions training) {
        return new StatusEntry(EventTypes.topicOf(event.getClass()), event.occurredAt(), event, null, details, training);
    }

    /** A record of {@code dlqTopic}, with its reason; {@code event} is the record when it could be read. */
    public static StatusEntry deadLetter(String dlqTopic, TailorEvent event, String reason, Instant at) {
        if (!dlqTopic.endsWith(".dlq")) {
            throw new IllegalArgumentException("not a dead-letter topic: " + dlqTopic);
        }
        return new StatusEntry(dlqTopic, at, event, Checks.notBlank("reason", reason), Map.of(), null);
    }

    /** Whether this is a dead letter. */
    public boolean deadLetter() {
        return error != null;
    }

    /** The main topic (without {@code .dlq}). */
    public String mainTopic() {
        return topic.endsWith(".dlq") ? topic.substring(0, topic.length() - 4) : topic;
    }

    /**
     * A stable name for this entry: one object per event (or dead letter) in the store, except that the running
     * progress of a job is one entry per job, replaced by its next report (the reducer needs only the latest; a
     * job's end state is an entry of its own).
     */
    public String id() {
        String kind = mainTopic().substring(mainTopic().lastIndexOf('.', mainTopic().lastIndexOf('.') - 1) + 1)
                .replace('.', '-');
        if (!deadLetter() && event instanceof dev.tailor.common.events.TrainingProgress p && !p.terminal()) {
            return kind + "-" + p.jobId() + "-latest";
        }
        String eventId = event == null ? Long.toString(at.toEpochMilli()) : event.eventId();
        return (deadLetter() ? "dlq-" : "") + kind + "-" + eventId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @JsonCreator
    static StatusEntry fromJson(@JsonProperty("topic") String topic, @JsonProperty("at") Instant at,
                                @JsonProperty("event") JsonNode event, @JsonProperty("error") String error,
                                @JsonProperty("details") Map<String, Object> details,
                                @JsonProperty("training") TrainingOptions training) {
        Checks.notBlank("topic", topic);
        TailorEvent e = event == null || event.isNull() ? null
                : Json.mapper().convertValue(event, EventTypes.typeOf(topic));
        return new StatusEntry(topic, at, e, error, details, training);
    }

    /** Position of the topic in the pipeline, to order entries of the same instant. */
    int order() {
        int i = Topics.ALL.indexOf(mainTopic());
        return i < 0 ? Topics.ALL.size() : i;
    }
}
