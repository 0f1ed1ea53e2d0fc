package dev.tailor.e2e;

import dev.tailor.common.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Every record of every Tailor topic (and dead-letter topic) since the broker started, read by a throw-away group. */
final class TopicLog implements AutoCloseable {

    record Entry(String topic, String key, String value, String deadLetterReason) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Entry> entries = new ArrayList<>();

    TopicLog(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(topics());
    }

    /** Polls until an entry matches or the timeout passes; returns the match or fails with what was seen. */
    Entry await(Predicate<Entry> match, Duration timeout, Predicate<Entry> failFast) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (System.nanoTime() < deadline) {
            drain(Duration.ofMillis(500));
            for (; checked < entries.size(); checked++) {
                Entry e = entries.get(checked);
                if (failFast.test(e)) {
                    throw new AssertionError("pipeline failed: " + e.topic() + (e.deadLetterReason() == null ? ""
                            : " (" + e.deadLetterReason() + ")") + " " + e.value());
                }
                if (match.test(e)) {
                    return e;
                }
            }
        }
        throw new AssertionError("no matching event within " + timeout + "; events seen:\n" + summary());
    }

    /** Keeps reading for {@code quiet}, so late duplicates (a redelivery) would show up in counts. */
    void settle(Duration quiet) {
        long end = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < end) {
            drain(Duration.ofMillis(250));
        }
    }

    List<Entry> on(String topic) {
        return entries.stream().filter(e -> e.topic().equals(topic)).toList();
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            String v = e.value() == null ? "null" : e.value();
            sb.append("  ").append(e.topic()).append(' ').append(v, 0, Math.min(v.length(), 300)).append('\n');
        }
        return sb.toString();
    }

    private void drain(Duration timeout) {
        for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
            Header reason = r.headers().lastHeader("dead-letter-reason");
            entries.add(new Entry(r.topic(), r.key(), r.value(),
                    reason == null ? null : new String(reason.value(), StandardCharsets.UTF_8)));
        }
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
