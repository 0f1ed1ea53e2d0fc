package dev.tailor.cli.demo;

import dev.tailor.common.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every Tailor topic (dead-letter topics included) from the beginning, with a throw-away
 * consumer group, so the demo sees each stage's events as they are published.
 */
final class EventStream implements AutoCloseable {

    /** One record: topic, key, JSON value and the headers as strings. */
    record Event(String topic, String key, String value, Map<String, String> headers) {
    }

    private final KafkaConsumer<String, String> consumer;

    EventStream(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "tailor-cli-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tailor-cli");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(topics());
    }

    /** The records that arrived within {@code timeout}, in partition order. */
    List<Event> poll(Duration timeout) {
        List<Event> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
            Map<String, String> headers = new HashMap<>();
            for (Header h : r.headers()) {
                if (h.value() != null) {
                    headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                }
            }
            events.add(new Event(r.topic(), r.key(), r.value(), headers));
        }
        return events;
    }

    @Override
    public void close() {
        consumer.close();
    }
    /** Every Tailor topic and its dead-letter topic (testkit's LocalInfra creates them all up front). */
    static List<String> topics() {
        List<String> all = new ArrayList<>(Topics.ALL);
        Topics.ALL.forEach(t -> all.add(Topics.dlq(t)));
        return all;
    }
}
