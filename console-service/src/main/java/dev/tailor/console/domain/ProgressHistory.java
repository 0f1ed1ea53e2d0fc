package dev.tailor.console.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training progress events of the most recent jobs, bounded in jobs and in events per job (the oldest go first):
 * what a job page draws before the live events arrive. Thread-safe.
 */
public final class ProgressHistory {
    private static final String STAGE = "training.progress";
    private final int maxEventsPerJob;
    private final Map<String, Deque<String>> jobs;

    public ProgressHistory(int maxJobs, int maxEventsPerJob) {
        if (maxJobs < 1 || maxEventsPerJob < 1) {
            throw new IllegalArgumentException("maxJobs and maxEventsPerJob must be at least 1");
        }
        this.maxEventsPerJob = maxEventsPerJob;
        this.jobs = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<String>> eldest) {
                return size() > maxJobs;
            }
        };
    }

    /** Keeps {@code event} when it is a training progress event; ignores every other event. */
    public void add(ConsoleEvent event) {
        if (!STAGE.equals(event.stage())) {
            return;
        }
        JsonNode tree = Json.read(event.json(), JsonNode.class);
        String jobId = tree.path("jobId").asText("");
        if (jobId.isEmpty()) {
            return;
        }
        synchronized (jobs) {
            Deque<String> events = jobs.computeIfAbsent(key(event.tenant(), jobId), k -> new ArrayDeque<>());
            events.addLast(event.json());
            if (events.size() > maxEventsPerJob) {
                events.removeFirst();
            }
        }
    }

    /** The events kept for this job of this tenant (JSON), oldest first; empty for another tenant's job. */
    public List<String> of(String tenant, String jobId) {
        synchronized (jobs) {
            Deque<String> events = jobs.get(key(tenant, jobId));
            return events == null ? List.of() : List.copyOf(events);
        }
    }

    private static String key(String tenant, String jobId) {
        return tenant + "/" + jobId;
    }
}
