package dev.tailor.ingest.api;

import dev.tailor.ingest.config.IngestSettings;
import dev.tailor.ingest.domain.IngestFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;

/**
 * A cap on raw-body uploads streamed at once ({@code tailor.ingest.max-concurrent-uploads}): the memory they hold
 * is bounded by design. One more is answered 503 with {@code Retry-After}, before any of its body is read.
 */
@ApplicationScoped
public class UploadSlots {
    /** What a refused upload is told to wait before trying again. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** A held slot; closing it gives it back. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final Semaphore slots;
    private final int max;

    public UploadSlots(IngestSettings settings) {
        this.max = settings.maxConcurrentUploads();
        this.slots = new Semaphore(max);
    }

    /** A slot, or a 503 problem when all are taken. */
    public Slot take() {
        if (!slots.tryAcquire()) {
            throw new IngestFailure(IngestFailure.Reason.UNAVAILABLE, "Too many uploads", max + " uploads are being"
                    + " received at once (tailor.ingest.max-concurrent-uploads); retry after " + RETRY_AFTER_SECONDS
                    + " seconds").with("retryAfterSeconds", RETRY_AFTER_SECONDS);
        }
        return slots::release;
    }
}
