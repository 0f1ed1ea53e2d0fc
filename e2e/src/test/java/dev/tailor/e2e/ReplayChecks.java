package dev.tailor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.Topics;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.localstack.LocalStack;
import dev.tailor.localstack.TailorService;
import dev.tailor.localstack.TopicTail;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replaying history changes nothing (issue 16): with the pipeline done, a copy of every record of every Tailor topic
 * (key, value, headers and timestamp as they were; dead-letter topics left out) is published again, in each topic's
 * order and onto its partition. Once every running consumer group has read them, the object store holds the same
 * keys with the same ETags and sizes, inference serves the same deployments and models to each tenant, and no topic
 * got a record beyond the copies: no second cleaning, training, evaluation or deployment, no dead letter.
 */
final class ReplayChecks {
    private static final Duration CONSUMED_WITHIN = Duration.ofMinutes(3);

    private final LocalStack stack;
    private final ObjectStore store;
    private final HttpClient http;
    private final String bootstrap;

    ReplayChecks(LocalStack stack, ObjectStore store, HttpClient http) {
        this.stack = stack;
        this.store = store;
        this.http = http;
        this.bootstrap = stack.infra().kafkaBootstrap();
    }

    /** @param credentials a credential of each tenant whose served state is compared (by tenant, for messages) */
    void replayingEveryTopicChangesNothing(Map<String, String> credentials) throws Exception {
        long started = System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            awaitConsumed(admin); // the flow's own late work (e.g. the last status entries) is not counted as replay
            Map<String, ObjectInfo> objects = objects();
            Map<String, String> served = served(credentials);
            Map<TopicPartition, Long> ends = endOffsets(admin);

            Map<String, List<String>> copies = republish(ends);
            awaitConsumed(admin);

            Map<String, List<String>> after = recordsSince(ends);
            assertTrue(after.keySet().stream().noneMatch(t -> t.endsWith(".dlq")),
                    () -> "replayed copies were dead-lettered: " + after);
            for (String topic : Topics.ALL) {
                List<String> extra = new ArrayList<>(after.getOrDefault(topic, List.of()));
                copies.getOrDefault(topic, List.of()).forEach(extra::remove);
                assertEquals(List.of(), extra, "records on " + topic + " beyond the " + copies.getOrDefault(topic,
                        List.of()).size() + " replayed copies");
                assertEquals(copies.getOrDefault(topic, List.of()).size(), after.getOrDefault(topic, List.of()).size(),
                        "copies on " + topic);
            }
            assertEquals(describe(objects), describe(objects()), "the object store changed on replay");
            assertEquals(served, served(credentials), "inference serves something else after the replay");
            System.out.printf("[e2e] replay of %d records over %d topics changed nothing (%d objects, %.1f s)%n",
                    copies.values().stream().mapToInt(List::size).sum(), copies.size(), objects.size(),
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /** Every object with its ETag and size: nothing is left out (no object may change on a replay). */
    private Map<String, ObjectInfo> objects() {
        Map<String, ObjectInfo> m = new TreeMap<>();
        store.list("").forEach(o -> m.put(o.key(), o));
        return m;
    }

    private static String describe(Map<String, ObjectInfo> objects) {
        StringBuilder sb = new StringBuilder();
        objects.values().forEach(o -> sb.append(o.key()).append(' ').append(o.etag()).append(' ').append(o.size())
                .append('\n'));
        return sb.toString();
    }

    /** GET /v1/deployments and /v1/models of inference, as each tenant sees them. */
    private Map<String, String> served(Map<String, String> credentials) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> c : credentials.entrySet()) {
            for (String path : List.of("/v1/deployments", "/v1/models")) {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(
                        stack.url(TailorService.INFERENCE) + path)).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + c.getValue()).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, res.statusCode(), res::body);
                m.put(c.getKey() + " " + path, res.body());
            }
        }
        return m;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(TopicTail.topics()).allTopicNames().get().forEach((name, d) -> d.partitions()
                .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /**
     * Waits until every consumer group with members has committed the end of every partition it reads (SmallRye
     * commits after a record is processed), twice in a row a second apart, so work a record set off is done too.
     */
    private void awaitConsumed(Admin admin) throws Exception {
        long deadline = System.nanoTime() + CONSUMED_WITHIN.toNanos();
        String lagging = "";
        int quietRounds = 0;
        while (System.nanoTime() < deadline) {
            lagging = lagging(admin);
            quietRounds = lagging.isEmpty() ? quietRounds + 1 : 0;
            if (quietRounds == 2) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("consumers did not catch up within " + CONSUMED_WITHIN + ": " + lagging);
    }

    private static String lagging(Admin admin) throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(admin);
        List<String> groups = admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId)
                .toList();
        StringBuilder out = new StringBuilder();
        for (ConsumerGroupDescription g : admin.describeConsumerGroups(groups).all().get().values()) {
            // a group without members is a stopped replica's (its own group) or a throw-away reader's: nobody will
            // read on, and whatever it would do is not this stack's state
            // (TopicLog's group, e2e-…, reads without committing)
            if (g.members().isEmpty() || g.state() == ConsumerGroupState.DEAD || g.groupId().startsWith("e2e")) {
                continue;
            }
            List<TopicPartition> assigned = g.members().stream()
                    .flatMap(m -> m.assignment().topicPartitions().stream()).toList();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.groupId())
                    .partitionsToOffsetAndMetadata().get();
            for (TopicPartition tp : assigned) {
                OffsetAndMetadata c = committed.get(tp);
                long end = ends.getOrDefault(tp, 0L);
                if ((c == null ? 0 : c.offset()) < end) {
                    out.append(g.groupId()).append(' ').append(tp).append(" at ").append(c == null ? "none"
                            : c.offset()).append(" of ").append(end).append("; ");
                }
            }
        }
        return out.toString();
    }

    /** Publishes a copy of every record of every main topic below {@code ends}; returns them by topic. */
    private Map<String, List<String>> republish(Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, Long> from = new HashMap<>();
        ends.keySet().forEach(tp -> from.put(tp, 0L));
        List<ConsumerRecord<byte[], byte[]>> records = read(from, ends, Topics.ALL);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Map<String, List<String>> copies = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key(), r.value(),
                        r.headers()));
                copies.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(text(r));
            }
            producer.flush();
        }
        assertTrue(copies.containsKey(Topics.DATASET_INGESTED) && copies.containsKey(Topics.MODEL_DEPLOYMENTS),
                () -> "nothing to replay on the pipeline's topics: " + copies.keySet());
        return copies;
    }

    /** What every Tailor topic (and dead-letter topic) got from {@code since} on, by topic. */
    private Map<String, List<String>> recordsSince(Map<TopicPartition, Long> since) throws Exception {
        Map<TopicPartition, Long> ends;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ends = endOffsets(admin);
        }
        Map<String, List<String>> by = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : read(since, ends, TopicTail.topics())) {
            by.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(text(r));
        }
        return by;
    }

    /** A record as text: key, value and headers, so that a copy and its original compare equal. */
    private static String text(ConsumerRecord<byte[], byte[]> r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.key() == null ? "null" : new String(r.key(), StandardCharsets.UTF_8)).append(' ');
        sb.append(r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8));
        Arrays.stream(r.headers().toArray()).forEach(h -> sb.append(" [").append(h.key()).append('=')
                .append(h.value() == null ? "null" : new String(h.value(), StandardCharsets.UTF_8)).append(']'));
        return sb.toString();
    }

    /** The committed records of {@code topics} between {@code from} and {@code to}, partition by partition in order. */
    private List<ConsumerRecord<byte[], byte[]>> read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
                                                      List<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-replay-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<TopicPartition> partitions = to.keySet().stream().filter(tp -> topics.contains(tp.topic())
                && to.get(tp) > from.getOrDefault(tp, 0L)).toList();
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        if (partitions.isEmpty()) {
            return out;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp, 0L)));
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < to.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the topics up to " + to);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < to.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }
}
