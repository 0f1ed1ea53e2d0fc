package dev.tailor.dataprep.dedup;

/**
 * A set of 64-bit content hashes, each with a 2-bit tag (e.g. the split an example of the previous version
 * was in), off the heap ({@link MappedLongTable}: 16 bytes per entry at most). The tag lives in the hash's two
 * low bits, so hashes that differ only there count as equal (a chance of 2^-62 for well-mixed hashes).
 */
public final class LongHashSet implements AutoCloseable {
    private static final long TAG = 3L;
    private final MappedLongTable table = new MappedLongTable(~TAG);

    /** Adds {@code v} with tag 0; returns false when it was already present. */
    public boolean add(long v) {
        return add(v, 0);
    }

    /** Adds {@code v} with {@code tag} (0..3); returns false (keeping the first tag) when it was already present. */
    public boolean add(long v, int tag) {
        if (tag < 0 || tag > 3) {
            throw new IllegalArgumentException("tag must be in 0..3, got " + tag);
        }
        return table.putIfAbsent(key(v) | tag);
    }

    /** The tag {@code v} was added with, or -1 when absent. */
    public int tagOf(long v) {
        long e = table.get(key(v));
        return e == 0 ? -1 : (int) (e & TAG);
    }

    public long size() {
        return table.size();
    }

    @Override
    public void close() {
        table.close();
    }

    /** The hash without its tag bits, never 0 (so that an entry is never 0, the empty slot). */
    private static long key(long v) {
        long k = v & ~TAG;
        return k == 0 ? 4 : k;
    }
}
