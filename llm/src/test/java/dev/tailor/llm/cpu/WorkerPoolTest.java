package dev.tailor.llm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Every index of a section runs exactly once, chunk bounds respect the alignment, failures reach the caller. */
class WorkerPoolTest {

    @Test
    void everyIndexRunsOnceWithAlignedChunks() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int n : new int[] {1, 15, 16, 17, 100, 1000, 4096}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                pool.forRange(n, 16, (from, to) -> {
                    if (from % 16 != 0) {
                        throw new AssertionError("chunk starts at " + from);
                    }
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "index " + i + " of " + n);
                }
            }
        }
    }

    @Test
    void aFailingChunkFailsTheSectionAndThePoolGoesOn() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.forRange(1000, 1,
                    (from, to) -> {
                        if (from <= 500 && 500 < to) {
                            throw new IllegalStateException("chunk with 500");
                        }
                    }));
            assertEquals("chunk with 500", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            pool.forRange(10, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            assertEquals(1, hits.get(9));
        }
    }

    @Test
    void concurrentCallersEachGetTheirWholeRangeAndAClosedPoolRunsOnTheCaller() throws Exception {
        WorkerPool pool = new WorkerPool(2);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            Future<?>[] f = new Future<?>[3];
            for (int c = 0; c < 3; c++) {
                f[c] = callers.submit(() -> {
                    for (int rep = 0; rep < 200; rep++) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(300);
                        pool.forRange(300, 4, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                hits.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < 300; i++) {
                            assertEquals(1, hits.get(i));
                        }
                    }
                });
            }
            for (Future<?> x : f) {
                x.get();
            }
        } finally {
            callers.shutdown();
        }
        pool.close();
        AtomicIntegerArray hits = new AtomicIntegerArray(50);
        pool.forRange(50, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        });
        assertEquals(1, hits.get(49));
    }
}
