package dev.tailor.console.messaging;

import dev.tailor.console.domain.ConsoleEvent;
import dev.tailor.console.domain.ProgressHistory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every pipeline event ({@link ConsoleEvent#TOPICS}) as it happens, for the browsers connected to this console.
 * Each replica reads every partition itself (assigned, no consumer group, nothing committed): the console shows what
 * happens from now on, and the pages read the state so far from the services' APIs. Partitions that appear later
 * (a topic created by its first event) are read from their beginning.
 */
@ApplicationScoped
public class PipelineFeed {
    private static final System.Logger LOG = System.getLogger(PipelineFeed.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long DISCOVERY_MS = 2000;

    private final Instance<Map<String, Object>> kafkaConfig;
    private final List<MultiEmitter<? super ConsoleEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ProgressHistory history = new ProgressHistory(200, 2000);
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private Thread thread;

    public PipelineFeed(@Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig) {
        this.kafkaConfig = kafkaConfig;
    }

    /** The events from now on, of every tenant (the caller filters to its own). */
    public Multi<ConsoleEvent> events() {
        return Multi.createFrom().emitter(emitter -> {
            listeners.add(emitter);
            emitter.onTermination(() -> listeners.remove(emitter));
        }, BackPressureStrategy.BUFFER);
    }

    /** The progress events of a job of {@code tenant} this console has seen, oldest first (its loss curve so far). */
    public List<String> progress(String tenant, String jobId) {
        return history.of(tenant, jobId);
    }

    void start(@Observes StartupEvent started) {
        Map<String, Object> props = new HashMap<>(kafkaConfig.isResolvable() ? kafkaConfig.get() : Map.of());
        props.keySet().removeIf(k -> k.endsWith("serializer") || k.endsWith("deserializer"));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tailor-console");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer = new KafkaConsumer<>(props);
        running = true;
        thread = new Thread(this::run, "console-pipeline-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        listeners.forEach(MultiEmitter::complete);
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextDiscovery = 0;
        boolean first = true;
        try (KafkaConsumer<String, String> c = consumer) {
            while (running) {
                if (System.currentTimeMillis() >= nextDiscovery) {
                    first = discover(c, assigned, first);
                    nextDiscovery = System.currentTimeMillis() + DISCOVERY_MS;
                }
                if (assigned.isEmpty()) {
                    sleep();
                    continue;
                }
                for (ConsumerRecord<String, String> r : c.poll(POLL)) {
                    ConsoleEvent.of(r.topic(), r.value()).ifPresent(e -> {
                        history.add(e);
                        listeners.forEach(l -> l.emit(e));
                    });
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the console's event feed stopped: " + e, e);
            listeners.forEach(l -> l.fail(e));
        }
    }

    /** Assigns partitions not assigned yet; the first time from their end, later ones (new topics) from the start. */
    private static boolean discover(KafkaConsumer<String, String> c, Set<TopicPartition> assigned, boolean first) {
        Map<String, List<PartitionInfo>> topics;
        try {
            topics = c.listTopics(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Kafka not reachable yet: " + e.getMessage());
            return first;
        }
        Set<TopicPartition> fresh = new HashSet<>();
        for (String topic : ConsoleEvent.TOPICS) {
            for (PartitionInfo p : topics.getOrDefault(topic, List.of())) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (!fresh.isEmpty()) {
            assigned.addAll(fresh);
            c.assign(assigned);
            if (first) {
                c.seekToEnd(fresh);
            } else {
                c.seekToBeginning(fresh);
            }
        }
        return false;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
