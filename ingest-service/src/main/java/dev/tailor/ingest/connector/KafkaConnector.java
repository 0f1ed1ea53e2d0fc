package dev.tailor.ingest.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.json.Json;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.SourceSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Records of a Kafka topic, windowed into versions: a pull makes a version when {@code windowRecords} records wait
 * (default 1000) or the oldest waiting record is older than {@code windowTime} (ISO-8601, default PT15M), whichever
 * comes first; otherwise it leaves them waiting. Each record becomes a JSONL line: a JSON object value as it is,
 * anything else as {@code {"key": …, "value": …}}. Connection settings: {@code bootstrapServers}, {@code topic},
 * {@code windowRecords}, {@code windowTime}, {@code user} (SASL PLAIN with the secret as password, over
 * {@code securityProtocol}, default SASL_SSL). No consumer group: the next offset of each partition is the cursor
 * ({@code "kafka:" + partition → offset}), stored with the version, so a record is never lost nor put in two
 * versions.
 */
public final class KafkaConnector implements Connector {
    private static final String KEY = "kafka:";

    @Override
    public Pull pull(SourceSpec spec, Map<String, String> cursor, Optional<String> secret, Limits limits) {
        String topic = spec.setting("topic", null);
        check(spec);
        int window = (int) Math.min(limits.maxRecords(), spec.number("windowRecords", 1000));
        Duration windowTime = windowTime(spec);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props(spec, secret, limits))) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, limits.timeout());
            if (infos == null || infos.isEmpty()) {
                throw new IngestFailure(IngestFailure.Reason.UPSTREAM, "Topic not found", "topic '" + topic + "' does"
                        + " not exist at " + spec.setting("bootstrapServers", null)).with("sourceId", spec.id());
            }
            List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            consumer.assign(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, limits.timeout());
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, limits.timeout());
            Map<TopicPartition, Long> from = new HashMap<>();
            for (TopicPartition tp : parts) {
                String seen = cursor.get(KEY + tp.partition());
                long offset = Math.max(seen == null ? 0 : Long.parseLong(seen), begin.get(tp));
                from.put(tp, offset);
                consumer.seek(tp, offset);
            }
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> read = new TreeMap<>();
            long deadline = System.nanoTime() + limits.timeout().toNanos();
            int total = 0;
            while (!reached(consumer, parts, end) && total < limits.maxRecords() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(topic, r.partition()))) {
                        read.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
                        total++;
                    }
                }
            }
            List<ConsumerRecord<byte[], byte[]>> taken = new ArrayList<>();
            Map<String, String> next = new HashMap<>(cursor);
            from.forEach((tp, o) -> next.put(KEY + tp.partition(), String.valueOf(o)));
            for (List<ConsumerRecord<byte[], byte[]>> records : read.values()) { // partition order: same bytes again
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (taken.size() >= window) {
                        break;
                    }
                    taken.add(r);
                    next.put(KEY + r.partition(), String.valueOf(r.offset() + 1));
                }
            }
            if (taken.isEmpty()) {
                return Pull.nothing(next);
            }
            long oldest = taken.stream().mapToLong(ConsumerRecord::timestamp).min().orElse(Long.MAX_VALUE);
            boolean due = taken.size() >= window || !Instant.ofEpochMilli(oldest).plus(windowTime).isAfter(Instant.now());
            if (!due) {
                return Pull.nothing(cursor); // the window is still open: the records wait for the next sync
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (ConsumerRecord<byte[], byte[]> r : taken) {
                out.writeBytes(line(r));
                out.write('\n');
            }
            return new Pull(out.toByteArray(), topic.replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl",
                    "application/x-ndjson", taken.size(), next);
        } catch (KafkaException e) {
            throw new IngestFailure(IngestFailure.Reason.UPSTREAM, "Source unreachable", "Kafka at "
                    + spec.setting("bootstrapServers", null) + " could not be read: " + Connectors.cause(e)
                    + "; check bootstrapServers, topic and credentials, then sync again").with("sourceId", spec.id());
        }
    }

    @Override
    public void check(SourceSpec spec) {
        if (spec.number("windowRecords", 1000) < 1) {
            throw new IngestFailure(IngestFailure.Reason.INVALID, "Invalid connection setting", "windowRecords must be"
                    + " at least 1").with("field", "connection.windowRecords");
        }
        windowTime(spec);
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts,
                                   Map<TopicPartition, Long> end) {
        for (TopicPartition tp : parts) {
            if (consumer.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] line(ConsumerRecord<byte[], byte[]> r) {
        String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
        try {
            JsonNode node = Json.mapper().readTree(value);
            if (node != null && node.isObject()) {
                return Json.mapper().writeValueAsBytes(node);
            }
        } catch (java.io.IOException ignored) {
            // not JSON: kept as text
        }
        ObjectNode wrapped = Json.mapper().createObjectNode();
        wrapped.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
        wrapped.put("value", value);
        try {
            return Json.mapper().writeValueAsBytes(wrapped);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Properties props(SourceSpec spec, Optional<String> secret, Connector.Limits limits) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.setting("bootstrapServers", null));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tailor-source-" + spec.id());
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(limits.timeout().toMillis()));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(limits.timeout().toMillis(), 30000)));
        p.put("socket.connection.setup.timeout.max.ms", "5000");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        String user = spec.setting("user", null);
        if (user != null && secret.isPresent()) {
            p.put("security.protocol", spec.setting("securityProtocol", "SASL_SSL"));
            p.put("sasl.mechanism", "PLAIN");
            p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                    + user.replace("\"", "") + "\" password=\"" + secret.get().replace("\\", "\\\\").replace("\"", "\\\"")
                    + "\";");
        }
        return p;
    }

    private static Duration windowTime(SourceSpec spec) {
        String v = spec.setting("windowTime", "PT15M");
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative()) {
                throw new DateTimeParseException("negative", v, 0);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IngestFailure(IngestFailure.Reason.INVALID, "Invalid connection setting", "windowTime must be an"
                    + " ISO-8601 duration like PT15M, got '" + v + "'").with("field", "connection.windowTime");
        }
    }
}
