package dev.tailor.ingest.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.json.Json;
import dev.tailor.ingest.storage.StatusStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records every dead-lettered record as an error of its dataset: the stage that failed is the one that
 * consumes the record's original topic, the message is the {@code dead-letter-reason} header.
 */
@ApplicationScoped
public class PipelineErrorsConsumer {
    private static final Logger LOG = Logger.getLogger(PipelineErrorsConsumer.class);
    /** The stage that consumes each topic, i.e. the stage that failed when a record of it is dead-lettered. */
    static final Map<String, String> STAGE_OF_TOPIC = Map.of(
            Topics.INGEST_REQUESTED, "ingested",
            Topics.DATASET_INGESTED, "cleaned",
            Topics.DATASET_CLEANED, "training",
            Topics.TRAINING_REQUESTED, "training",
            Topics.MODEL_TRAINED, "evaluated",
            Topics.MODEL_EVALUATED, "deployed",
            Topics.MODEL_DEPLOYMENTS, "deployed");

    @Inject
    StatusStore statuses;

    @Incoming(Channels.PIPELINE_ERRORS)
    @Blocking
    public void onDeadLetter(ConsumerRecord<String, String> record) {
        String topic = record.topic().endsWith(".dlq") ? record.topic().substring(0, record.topic().length() - 4) : record.topic();
        String reason = header(record, "dead-letter-reason").orElse("processing failed (no reason recorded)");
        JsonNode event;
        try {
            event = Json.read(record.value(), JsonNode.class);
        } catch (RuntimeException e) {
            LOG.warnf("dead letter on %s is not JSON (%s): %s", record.topic(), reason, e.getMessage());
            return;
        }
        String tenant = event.path("tenant").asText("default");
        Optional<String> datasetId = Optional.ofNullable(event.path("datasetId").asText(null));
        if (datasetId.isEmpty() && event.hasNonNull("jobId")) {
            datasetId = statuses.datasetOfJob(tenant, event.get("jobId").asText());
        }
        if (datasetId.isEmpty() && event.hasNonNull("modelId")) {
            datasetId = statuses.datasetOfModel(tenant, event.get("modelId").asText());
        }
        if (datasetId.isEmpty()) {
            LOG.warnf("dead letter on %s names no known dataset: %s", record.topic(), reason);
            return;
        }
        String stage = STAGE_OF_TOPIC.getOrDefault(topic, topic);
        Instant at = Instant.ofEpochMilli(record.timestamp());
        statuses.update(tenant, datasetId.get(), s -> s.fail(stage, record.topic(), reason, at));
    }

    private static Optional<String> header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }
}
