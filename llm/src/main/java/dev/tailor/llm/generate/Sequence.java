package dev.tailor.llm.generate;

import dev.tailor.llm.model.ProjectionDelta;
import java.util.concurrent.CompletableFuture;

/**
 * One request inside a {@link BatchDecoder}: its progress, its result, and a way to stop it. {@link #cancel} may be
 * called from any thread; the sequence leaves the batch at the next step and frees its row.
 */
public final class Sequence {

    /** Finish reason of a cancelled sequence. */
    public static final String CANCELLED = "cancelled";

    private final Decoding decoding;
    private final AdapterLeases.Lease lease;
    private final CompletableFuture<GenerationResult> completion = new CompletableFuture<>();
    private final long submittedNanos = System.nanoTime();
    private volatile boolean cancelled;
    private int prefilled;

    Sequence(Decoding decoding, AdapterLeases.Lease lease) {
        this.decoding = decoding;
        this.lease = lease;
    }

    public GenerationRequest request() {
        return decoding.request();
    }

    /**
     * Completes with the result once the sequence is finished (finish reason "stop", "length" or {@link #CANCELLED}),
     * or exceptionally when its listener threw or the model failed.
     */
    public CompletableFuture<GenerationResult> completion() {
        return completion;
    }

    /** Stops the sequence at the next step; its result holds the tokens generated so far. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public boolean isDone() {
        return completion.isDone();
    }

    /** {@link System#nanoTime()} when it was submitted. */
    public long submittedNanos() {
        return submittedNanos;
    }

    Decoding decoding() {
        return decoding;
    }

    ProjectionDelta delta() {
        return lease == null ? null : lease.delta();
    }

    /** Tokens of this sequence's vocabulary (its adapter's, else the base's {@code baseVocab}). */
    int vocabSize(int baseVocab) {
        return lease == null ? baseVocab : lease.delta().vocabSize(baseVocab);
    }

    int prefilled() {
        return prefilled;
    }

    void prefilled(int n) {
        prefilled += n;
    }

    /** Ends it with its result (or {@code error}) and returns its adapter. */
    void complete(Throwable error) {
        if (completion.isDone()) {
            return;
        }
        if (lease != null) {
            lease.close();
        }
        if (error != null) {
            completion.completeExceptionally(error);
        } else {
            completion.complete(decoding.result());
        }
    }
}
