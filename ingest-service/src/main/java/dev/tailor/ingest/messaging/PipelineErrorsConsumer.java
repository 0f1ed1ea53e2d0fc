package dev.tailor.ingest.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.EventTypes;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.json.Json;
import dev.tailor.common.status.StatusEntry;
import dev.tailor.ingest.storage.StatusStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records every dead-lettered record as an error of its dataset (the status reducer names the stage that failed:
 * the one that consumes the record's original topic); the message is the {@code dead-letter-reason} header. The
 * records are read as text: a dead letter need not be a valid event.
 */
@ApplicationScoped
public class PipelineErrorsConsumer {
    private static final Logger LOG = Logger.getLogger(PipelineErrorsConsumer.class);

    @Inject
    StatusStore statuses;

    @Incoming(Channels.PIPELINE_ERRORS)
    @Blocking
    public void onDeadLetter(ConsumerRecord<String, String> record) {
        String reason = header(record, "dead-letter-reason").orElse("processing failed (no reason recorded)");
        JsonNode json;
        try {
            json = Json.read(record.value(), JsonNode.class);
        } catch (RuntimeException e) {
            LOG.warnf("dead letter on %s is not JSON (%s): %s", record.topic(), reason, e.getMessage());
            return;
        }
        String tenant = json.path("tenant").asText("default");
        Optional<String> datasetId = Optional.ofNullable(json.path("datasetId").asText(null));
        if (datasetId.isEmpty() && json.hasNonNull("modelId")) {
            datasetId = statuses.datasetOfModel(tenant, json.get("modelId").asText());
        }
        if (datasetId.isEmpty()) {
            LOG.warnf("dead letter on %s names no known dataset: %s", record.topic(), reason);
            return;
        }
        statuses.recordIfKnown(tenant, datasetId.get(), StatusEntry.deadLetter(record.topic(), event(record.topic(), json),
                reason, Instant.ofEpochMilli(record.timestamp())));
    }

    /** The dead letter as its event, when it is a valid one. */
    private static TailorEvent event(String topic, JsonNode json) {
        try {
            return Json.mapper().treeToValue(json, EventTypes.typeOf(topic));
        } catch (Exception e) {
            return null;
        }
    }

    private static Optional<String> header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }
}
