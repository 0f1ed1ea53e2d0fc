package dev.tailor.localstack;

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
 * Reads every Tailor topic and its dead-letter topic from the beginning with a throw-away consumer group: how the
 * demo shows each stage as it happens and how the end-to-end test sees what each stage published.
 */
public final class TopicTail implements AutoCloseable {

    /** One record: topic, key, JSON value and the headers as strings. */
    public record Event(String topic, String key, String value, Map<String, String> headers) {
        public Event {
            headers = Map.copyOf(headers);
        }

        /** The reason SmallRye's dead-letter strategy put on a {@code .dlq} record, or null. */
        public String deadLetterReason() {
            return headers.get("dead-letter-reason");
        }
    }

    private final KafkaConsumer<String, String> consumer;

    /** @param clientId names the consumer in broker logs; its group is {@code clientId-<random>} */
    public TopicTail(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, clientId + "-" + UUID.randomUUID());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(topics());
    }

    /** The records that arrived within {@code timeout}, in partition order. */
    public List<Event> poll(Duration timeout) {
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

    /** Every Tailor topic and its dead-letter topic (LocalInfra creates them all up front). */
    public static List<String> topics() {
        List<String> all = new ArrayList<>(Topics.ALL);
        Topics.ALL.forEach(t -> all.add(Topics.dlq(t)));
        return all;
    }
}
