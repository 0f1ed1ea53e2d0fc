package dev.tailor.llm.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a range of work split over a fixed number of threads, the caller being one of them. Built for the many short
 * parallel sections of a decoding step (a few microseconds each): workers spin between sections and park only after
 * {@link #SPIN_NANOS} without work, so a section starts without a wake-up. A section is cut into a few chunks per
 * thread that the threads take one at a time, so a worker the OS has not scheduled holds no work back: the others
 * take its chunks (on a machine busy with other processes a section never waits for a thread that is not running).
 * One section at a time: a caller that finds the pool busy (another request decoding on it) runs its range alone.
 */
final class WorkerPool implements AutoCloseable {

    /** Work on [from, to). */
    @FunctionalInterface
    interface RangeTask {
        void run(int from, int to);
    }

    /** How long an idle worker spins before it parks. */
    static final long SPIN_NANOS = 50_000;
    /** Chunks per thread of a section. */
    private static final int CHUNKS_PER_THREAD = 4;

    /** One parallel section: its task, its chunks, who took and finished them. */
    private static final class Section {
        final RangeTask task;
        final int n;
        final int chunk;
        final int chunks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Section(RangeTask task, int n, int chunk) {
            this.task = task;
            this.n = n;
            this.chunk = chunk;
            this.chunks = (n + chunk - 1) / chunk;
        }

        /** Takes and runs chunks until none is left. */
        void work() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    task.run(c * chunk, Math.min(n, (c + 1) * chunk));
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    private final int threads;
    private final Thread[] workers;
    private final boolean[] parked;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Section current;
    private volatile boolean closed;

    /** @param threads threads of each section, the caller included (1: everything runs on the caller) */
    WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.parked = new boolean[threads - 1];
        for (int k = 0; k < workers.length; k++) {
            int index = k;
            Thread t = new Thread(() -> work(index), "tailor-cpu-decode-" + (k + 1));
            t.setDaemon(true);
            workers[k] = t;
            t.start();
        }
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over [0, n) in chunks whose boundaries are multiples of {@code align}. Returns when every
     * chunk is done; rethrows what a chunk threw.
     */
    void forRange(int n, int align, RangeTask task) {
        if (threads == 1 || n <= align || !lock.tryLock()) {
            task.run(0, n);
            return;
        }
        try {
            if (closed) {
                task.run(0, n);
                return;
            }
            int chunk = Math.max(1, n / (threads * CHUNKS_PER_THREAD));
            chunk = (chunk + align - 1) / align * align;
            Section s = new Section(task, n, chunk);
            current = s;
            for (int k = 0; k < workers.length; k++) {
                if (readParked(k)) {
                    LockSupport.unpark(workers[k]);
                }
            }
            s.work();
            // chunks still running on workers: a worker holds at most one
            for (int spins = 0; s.done.get() < s.chunks; spins++) {
                if (spins < 10_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            Throwable f = s.failure;
            if (f instanceof RuntimeException e) {
                throw e;
            }
            if (f instanceof Error e) {
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private synchronized boolean readParked(int k) {
        return parked[k];
    }

    private synchronized void setParked(int k, boolean value) {
        parked[k] = value;
    }

    private void work(int index) {
        Section seen = null;
        long idleSince = System.nanoTime();
        while (!closed) {
            Section s = current;
            if (s != seen) {
                seen = s;
                s.work();
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                setParked(index, true);
                if (current == seen && !closed) {
                    LockSupport.park(this);
                }
                setParked(index, false);
                idleSince = System.nanoTime();
            }
        }
    }

    /** Stops the workers; sections after this run on their callers. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }
}
