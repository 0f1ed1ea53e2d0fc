package dev.tailor.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tailor.console.domain.ConsoleEvent;
import dev.tailor.console.domain.ProgressHistory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressHistoryTest {
    static ConsoleEvent progress(String tenant, String job, int step) {
        return ConsoleEvent.of("tailor.training.progress", "{\"tenant\":\"" + tenant + "\",\"jobId\":\"" + job
                + "\",\"step\":" + step + "}").orElseThrow();
    }

    @Test
    void keepsTheNewestEventsOfTheNewestJobsPerTenant() {
        ProgressHistory h = new ProgressHistory(2, 3);
        for (int step = 1; step <= 5; step++) {
            h.add(progress("acme", "job-a", step));
        }
        assertEquals(List.of(3, 4, 5), h.of("acme", "job-a").stream()
                .map(j -> Integer.parseInt(j.replaceAll(".*\"step\":(\\d+).*", "$1"))).toList());
        assertEquals(List.of(), h.of("other", "job-a"), "another tenant's job of the same id is not shown");
        h.add(progress("acme", "job-b", 1));
        h.add(progress("acme", "job-c", 1));
        assertEquals(List.of(), h.of("acme", "job-a"), "the oldest job goes when a third one arrives");
        assertEquals(1, h.of("acme", "job-c").size());
    }

    @Test
    void ignoresOtherEventsAndRecordsThatAreNotEventsOfATenant() {
        ProgressHistory h = new ProgressHistory(2, 3);
        h.add(ConsoleEvent.of("tailor.model.trained", "{\"tenant\":\"acme\",\"jobId\":\"job-a\"}").orElseThrow());
        assertEquals(List.of(), h.of("acme", "job-a"));
        assertEquals(java.util.Optional.empty(), ConsoleEvent.of("tailor.training.progress", "not json"));
        assertEquals(java.util.Optional.empty(), ConsoleEvent.of("tailor.training.progress", "{\"jobId\":\"j\"}"));
        assertEquals(java.util.Optional.empty(), ConsoleEvent.of("tailor.model.deployments", null));
        assertThrows(IllegalArgumentException.class, () -> new ProgressHistory(0, 1));
    }
}
