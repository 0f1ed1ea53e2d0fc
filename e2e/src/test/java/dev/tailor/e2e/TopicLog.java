package dev.tailor.e2e;

import dev.tailor.localstack.TopicTail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Every record of every Tailor topic (and dead-letter topic) since the broker started, read by a throw-away group. */
final class TopicLog implements AutoCloseable {

    private final TopicTail tail;
    private final List<TopicTail.Event> entries = new ArrayList<>();

    TopicLog(String bootstrapServers) {
        tail = new TopicTail(bootstrapServers, "e2e");
    }

    /** Polls until an entry matches or the timeout passes; returns the match or fails with what was seen. */
    TopicTail.Event await(Predicate<TopicTail.Event> match, Duration timeout, Predicate<TopicTail.Event> failFast) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (System.nanoTime() < deadline) {
            drain(Duration.ofMillis(500));
            for (; checked < entries.size(); checked++) {
                TopicTail.Event e = entries.get(checked);
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

    List<TopicTail.Event> on(String topic) {
        return entries.stream().filter(e -> e.topic().equals(topic)).toList();
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        for (TopicTail.Event e : entries) {
            String v = e.value() == null ? "null" : e.value();
            sb.append("  ").append(e.topic()).append(' ').append(v, 0, Math.min(v.length(), 300)).append('\n');
        }
        return sb.toString();
    }

    private void drain(Duration timeout) {
        entries.addAll(tail.poll(timeout));
    }

    @Override
    public void close() {
        tail.close();
    }
}
