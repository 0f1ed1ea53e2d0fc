package dev.tailor.ingest.domain;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it, keeps the first {@code headSize} of them, and fails with
 * {@link TooLarge} as soon as more than {@code limit} bytes have been read.
 */
public final class BoundedInputStream extends FilterInputStream {
    /** The stream went past the limit. */
    public static final class TooLarge extends IOException {
        private final long limit;

        public TooLarge(long limit) {
            super("upload is larger than the limit of " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    private final long limit;
    private final byte[] head;
    private long count;

    public BoundedInputStream(InputStream in, long limit, int headSize) {
        super(in);
        this.limit = limit;
        this.head = new byte[headSize];
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            record(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            record(b, off, n);
        }
        return n;
    }

    private void record(byte[] b, int off, int n) throws IOException {
        if (count < head.length) {
            System.arraycopy(b, off, head, (int) count, (int) Math.min(n, head.length - count));
        }
        count += n;
        if (count > limit) {
            throw new TooLarge(limit);
        }
    }

    public long count() {
        return count;
    }

    /** The first bytes read (up to headSize). */
    public byte[] head() {
        return java.util.Arrays.copyOf(head, (int) Math.min(count, head.length));
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
