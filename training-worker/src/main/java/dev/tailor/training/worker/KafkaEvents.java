package dev.tailor.training.worker;

import dev.tailor.common.Topics;
import dev.tailor.common.events.EventTypes;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A cluster worker's own events (there is no stdout pipe to a controller): the same records, keys, JSON and
 * CloudEvents binary headers as common's {@code EventPublisher} gives the services' events ({@code ce_id} = eventId,
 * {@code ce_type}, {@code ce_source} = {@code urn:tailor:training-worker}, {@code ce_subject} = key, {@code ce_time}),
 * with plain kafka-clients (the worker has no Quarkus). Progress is sent without waiting; {@code model.trained} waits
 * for the broker's acknowledgement.
 */
final class KafkaEvents implements AutoCloseable {
    static final String SOURCE = "urn:tailor:training-worker";
    private final KafkaProducer<String, byte[]> producer;

    /** @param saslJaasConfig SASL/PLAIN or SCRAM credentials from the worker's Secret, or null for none */
    KafkaEvents(String bootstrapServers, String saslJaasConfig) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tailor-training-worker");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        if (saslJaasConfig != null && !saslJaasConfig.isBlank()) {
            p.put("security.protocol", System.getenv().getOrDefault("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));
            p.put("sasl.mechanism", System.getenv().getOrDefault("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"));
            p.put("sasl.jaas.config", saslJaasConfig);
        }
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends without waiting (a step's progress must not slow training). */
    void send(String topic, TailorEvent event) {
        producer.send(record(topic, event));
    }

    /** Sends and waits for the broker (the output is announced only once it is durable). */
    void publish(String topic, TailorEvent event) {
        try {
            producer.send(record(topic, event)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publishing " + EventTypes.cloudEventType(event.getClass()) + " for "
                    + event.key() + " failed: " + e.getMessage(), e);
        }
    }

    private static ProducerRecord<String, byte[]> record(String topic, TailorEvent event) {
        if (!Topics.ALL.contains(topic)) {
            throw new IllegalArgumentException("unknown topic " + topic);
        }
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, event.key(), Json.write(event)
                .getBytes(StandardCharsets.UTF_8));
        header(r, "ce_specversion", "1.0");
        header(r, "ce_id", event.eventId());
        header(r, "ce_type", EventTypes.cloudEventType(event.getClass()));
        header(r, "ce_source", SOURCE);
        header(r, "ce_subject", event.key());
        header(r, "ce_time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(event.occurredAt().atOffset(ZoneOffset.UTC)));
        header(r, "content-type", "application/json");
        return r;
    }

    private static void header(ProducerRecord<String, byte[]> r, String name, String value) {
        r.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(30));
    }
}
