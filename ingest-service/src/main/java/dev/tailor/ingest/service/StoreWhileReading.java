package dev.tailor.ingest.service;

import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.io.input.TeeInputStream;

/**
 * Reads an upload once: the caller's reader (the inspection that parses it) reads the stream while the same bytes
 * flow through a pipe into S3 on another thread, so the upload is never read back from S3. Whatever the reader
 * leaves unread is drained into S3 too. When the reader fails, the upload is aborted and nothing stays.
 */
final class StoreWhileReading {
    private static final int PIPE_BYTES = 1 << 20;
    private static final ExecutorService UPLOADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ingest-upload");
        t.setDaemon(true);
        return t;
    });

    /** What the reader makes of the stream. */
    @FunctionalInterface
    interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    private StoreWhileReading() {
    }

    /**
     * Stores {@code source} at {@code key} while {@code reader} reads it; returns the reader's result once both
     * are done.
     *
     * @throws IOException      from the source or the reader (the upload is then aborted)
     * @throws StorageException when S3 did not take the object
     */
    static <T> T store(ObjectStore store, String key, String contentType, InputStream source, Reader<T> reader)
            throws IOException {
        PipedInputStream toStore = new PipedInputStream(PIPE_BYTES);
        PipedOutputStream pipe = new PipedOutputStream(toStore);
        CountDownLatch finished = new CountDownLatch(1);
        Future<String> put = UPLOADS.submit(() -> {
            try (toStore) {
                return store.put(key, toStore, -1, contentType);
            } finally {
                finished.countDown();
            }
        });
        boolean complete = false;
        try (InputStream tee = new TeeInputStream(source, pipe, false)) {
            T result = reader.read(tee);
            tee.transferTo(OutputStream.nullOutputStream());
            pipe.close();
            put.get();
            complete = true;
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while storing " + store.uri(key), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StorageException se ? se
                    : new StorageException("storing " + store.uri(key) + " failed: " + e.getCause(), e.getCause());
        } catch (IOException e) {
            if (put.isDone() && !put.isCancelled()) {
                rethrowStoreFailure(put, e); // S3 refused first: the broken pipe is only a consequence
            }
            throw e;
        } finally {
            if (!complete) {
                put.cancel(true); // the upload stops at its next read: no partial object is completed
                awaitQuietly(finished);
            }
        }
    }

    private static void rethrowStoreFailure(Future<String> put, IOException pipeError) {
        try {
            put.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StorageException se) {
                se.addSuppressed(pipeError);
                throw se;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch finished) {
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
