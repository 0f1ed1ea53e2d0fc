package dev.tailor.testkit;

import dev.tailor.common.events.EventTypes;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka for tests: produce JSON string records, and wait for records of a topic. Every wait reads the topic from
 * the beginning with a consumer group of its own, so records produced before the wait are seen too and no service
 * group is disturbed.
 */
public final class KafkaTestClient implements AutoCloseable {
    private final String bootstrap;
    private final KafkaProducer<String, String> producer;

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrap = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000),
                new StringSerializer(), new StringSerializer());
    }

    /** Sends one record and waits until the broker has it. */
    public RecordMetadata send(String topic, String key, String json) {
        return send(new ProducerRecord<>(topic, key, json));
    }

    /** Sends a record with headers of your own. */
    public RecordMetadata send(ProducerRecord<String, String> record) {
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + record.topic(), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot send to " + record.topic() + " at " + bootstrap + ": " + e, e);
        }
    }

    /**
     * Sends an event to its topic (see {@link EventTypes}), keyed by {@link TailorEvent#key()}, with CloudEvents
     * binary-mode headers ({@code ce_specversion}, {@code ce_id}, {@code ce_type} = record name,
     * {@code ce_source} = tailor-testkit, {@code content-type}).
     */
    public RecordMetadata sendEvent(TailorEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(EventTypes.topicOf(event.getClass()),
                event.key(), Json.write(event));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", event.eventId());
        header(record, "ce_type", event.getClass().getSimpleName());
        header(record, "ce_source", "tailor-testkit");
        header(record, "ce_time", event.occurredAt().toString());
        header(record, "content-type", "application/json");
        return send(record);
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The first record of {@code topic} matching {@code match}; fails after {@code timeout}. */
    public ConsumerRecord<String, String> await(String topic, Predicate<ConsumerRecord<String, String>> match,
                                               Duration timeout) {
        List<ConsumerRecord<String, String>> found = collect(topic, match, 1, timeout);
        if (found.isEmpty()) {
            throw new AssertionError("no matching record on " + topic + " within " + timeout);
        }
        return found.get(0);
    }

    /** The first event of {@code topic} read as {@code type} and matching {@code match}. */
    public <T> T awaitEvent(String topic, Class<T> type, Predicate<T> match, Duration timeout) {
        return Json.read(await(topic, r -> match.test(Json.read(r.value(), type)), timeout).value(), type);
    }

    /** The first {@code count} records of {@code topic}; fails when fewer arrive within {@code timeout}. */
    public List<ConsumerRecord<String, String>> awaitCount(String topic, int count, Duration timeout) {
        List<ConsumerRecord<String, String>> found = collect(topic, r -> true, count, timeout);
        if (found.size() < count) {
            throw new AssertionError("only " + found.size() + " of " + count + " records on " + topic + " within "
                    + timeout);
        }
        return found;
    }

    /** Every record of {@code topic} that arrives within {@code duration} (waits the whole duration). */
    public List<ConsumerRecord<String, String>> readAll(String topic, Duration duration) {
        return collect(topic, r -> true, Integer.MAX_VALUE, duration);
    }

    private List<ConsumerRecord<String, String>> collect(String topic, Predicate<ConsumerRecord<String, String>> match,
                                                         int count, Duration timeout) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "tailor-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (found.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofNanos(Math.min(left,
                        Duration.ofMillis(200).toNanos())))) {
                    if (found.size() < count && match.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
