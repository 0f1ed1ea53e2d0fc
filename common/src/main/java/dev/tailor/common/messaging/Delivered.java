package dev.tailor.common.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The typed value of an incoming record. Channels run with {@code fail-on-deserialization-failure=false}: a record
 * whose value is not a valid event arrives with a null value and the deserializer's reason in a header; this turns
 * it into an error that names the reason, so the channel's failure strategy sends it to the dead-letter topic.
 */
public final class Delivered {
    /** Header SmallRye Kafka sets when the value deserializer failed. */
    static final String FAILURE_REASON = "deserialization-failure-reason";

    private Delivered() {
    }

    /**
     * The record's event; empty for a tombstone (a null value on a compacted topic).
     *
     * @throws IllegalArgumentException when the value could not be read as {@code type}
     */
    public static <T> Optional<T> value(ConsumerRecord<String, T> record, Class<T> type) {
        if (record.value() != null) {
            return Optional.of(record.value());
        }
        Header failure = record.headers().lastHeader(FAILURE_REASON);
        if (failure == null) {
            return Optional.empty();
        }
        throw new IllegalArgumentException("the record on " + record.topic() + " (key " + record.key() + ") is not a"
                + " valid " + type.getSimpleName() + ": " + new String(failure.value(), StandardCharsets.UTF_8));
    }

    /** Like {@link #value} where a tombstone is not expected. */
    public static <T> T require(ConsumerRecord<String, T> record, Class<T> type) {
        return value(record, type).orElseThrow(() -> new IllegalArgumentException("the record on " + record.topic()
                + " (key " + record.key() + ") has no value; a " + type.getSimpleName() + " was expected"));
    }
}
