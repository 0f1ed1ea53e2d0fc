package dev.tailor.training.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local backend's queue: bounded, and fair between tenants (a busy tenant does not hold back another). */
class FairQueueTest {

    @Test
    void tenantsTakeTurnsWhateverTheOrderOfArrival() throws Exception {
        FairQueue<String> q = new FairQueue<>(10);
        for (int i = 1; i <= 4; i++) {
            assertTrue(q.offer("acme", "acme-" + i));
        }
        assertTrue(q.offer("globex", "globex-1"));
        assertTrue(q.offer("initech", "initech-1"));
        assertTrue(q.offer("globex", "globex-2"));
        List<String> order = new ArrayList<>();
        while (q.size() > 0) {
            order.add(q.take());
        }
        assertEquals(List.of("acme-1", "globex-1", "initech-1", "acme-2", "globex-2", "acme-3", "acme-4"), order);
    }

    @Test
    void boundedAndCancellable() throws Exception {
        FairQueue<String> q = new FairQueue<>(2);
        assertTrue(q.offer("a", "a-1"));
        assertTrue(q.offer("b", "b-1"));
        assertFalse(q.offer("c", "c-1"), "full");
        assertTrue(q.remove("a-1"::equals));
        assertEquals(1, q.size());
        assertEquals("b-1", q.take());
        q.close();
        assertEquals(null, q.take(), "closed: the workers stop");
    }
}
