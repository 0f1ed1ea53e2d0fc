package dev.tailor.inference.service;

import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.device.Devices;
import dev.tailor.llm.generate.BatchDecoder;
import dev.tailor.llm.generate.BatchSettings;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.Sequence;
import dev.tailor.llm.generate.TokenListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The scheduler of one loaded model: a thread that runs its {@link BatchDecoder} (continuous batching: requests join
 * the running batch at any step, each with its own adapter and settings) while there is work, and admission
 * control in front of it: at most batch size + queue limit requests at once, beyond that a 429 with a
 * Retry-After estimated from recent request durations. Requests past their deadline are stopped.
 */
public final class DecodeLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DecodeLoop.class);

    /** A request admitted into this loop. */
    public static final class Admitted {
        private final Sequence sequence;
        private final long deadlineNanos;
        private volatile boolean timedOut;

        private Admitted(Sequence sequence, long deadlineNanos) {
            this.sequence = sequence;
            this.deadlineNanos = deadlineNanos;
        }

        public Sequence sequence() {
            return sequence;
        }

        /** Whether it was stopped because its deadline passed. */
        public boolean timedOut() {
            return timedOut;
        }

        /** Stops it at the next step (the client went away). */
        public void cancel() {
            sequence.cancel();
        }
    }

    private final String name;
    private final BatchDecoder decoder;
    private final int rows;
    private final int maxInFlight;
    private final ServingMetrics metrics;
    private final Runnable unregister;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<Admitted> live = ConcurrentHashMap.newKeySet();
    private final Object signal = new Object();
    private final Thread thread;
    private final int threads;
    private volatile boolean closed;
    private volatile double meanSeconds = 2.0; // moving average of request durations, for Retry-After

    /** @param threads PyTorch intra-op threads of this loop's thread, or 0 for PyTorch's default */
    public DecodeLoop(String name, LanguageModel model, BatchSettings settings, int maxQueue, ServingMetrics metrics,
                      int threads) {
        this.name = name;
        this.threads = threads;
        this.decoder = model.batchDecoder(settings);
        this.rows = settings.maxRows();
        this.maxInFlight = settings.maxRows() + maxQueue;
        this.metrics = metrics;
        this.unregister = metrics.loop(name, decoder::waiting, decoder::running);
        this.thread = new Thread(this::run, "decode-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The loaded model's key ({tenant}/{name}), the {@code model} tag of its metrics. */
    public String name() {
        return name;
    }

    /** Prompt + completion tokens one request may hold here. */
    public int sequenceCapacity() {
        return decoder.sequenceCapacity();
    }

    /** Requests waiting for a place in the batch. */
    public int queued() {
        return decoder.waiting();
    }

    /**
     * Admits a request (it joins the batch at a coming step) or refuses it when the loop is full.
     *
     * @throws OpenAiException 429 ({@link OpenAiException#RATE_LIMITED}) with a Retry-After when full
     */
    public Admitted submit(GenerationRequest request, TokenListener listener, long deadlineNanos) {
        if (closed) {
            throw new IllegalStateException("model " + name + " was unloaded");
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            throw OpenAiException.overloaded(name, decoder.waiting(), retryAfter());
        }
        Sequence sequence;
        try {
            sequence = decoder.submit(request, listener);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
        Admitted admitted = new Admitted(sequence, deadlineNanos);
        live.add(admitted);
        sequence.completion().whenComplete((r, e) -> {
            inFlight.decrementAndGet();
            live.remove(admitted);
            double seconds = (System.nanoTime() - sequence.submittedNanos()) / 1e9;
            meanSeconds = 0.9 * meanSeconds + 0.1 * seconds;
        });
        synchronized (signal) {
            signal.notifyAll();
        }
        return admitted;
    }

    /** Seconds until a place is likely free: the queue ahead shared by the batch rows, at the recent pace. */
    private int retryAfter() {
        double seconds = meanSeconds * (decoder.waiting() + 1) / rows;
        return (int) Math.max(1, Math.min(60, Math.ceil(seconds)));
    }

    private void run() {
        if (threads > 0) {
            Devices.setThreads(threads);
        }
        while (!closed) {
            try {
                expire();
                if (decoder.idle()) {
                    synchronized (signal) {
                        if (decoder.idle() && !closed) {
                            signal.wait(250);
                        }
                    }
                    continue;
                }
                decoder.step();
                int decoded = decoder.lastStep().decodedRows();
                if (decoded > 0) {
                    metrics.step(name, decoded);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "decode loop of %s failed a step; its running requests were ended", name);
            }
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (Admitted a : live) {
            if (now - a.deadlineNanos > 0 && !a.sequence.isCancelled()) {
                a.timedOut = true;
                a.sequence.cancel();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        decoder.close();
        unregister.run();
    }
}
