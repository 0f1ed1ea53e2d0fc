package dev.tailor.cleaning.domain;

/**
 * An open-addressing set of 64-bit content hashes, each with a 2-bit tag (e.g. the split an example of
 * the previous version was in), kept in a {@link MappedArray}: 16 bytes per entry at most, off the heap.
 * The tag lives in the hash's two low bits, so hashes that differ only there count as equal (a chance of
 * 2^-62 for well-mixed hashes).
 */
public final class LongHashSet implements AutoCloseable {
    private static final long TAG = 3L;
    private MappedArray table = new MappedArray(8L << 12);
    private long slots = 1 << 12;
    private long size;

    /** Adds {@code v} with tag 0; returns false when it was already present. */
    public boolean add(long v) {
        return add(v, 0);
    }

    /** Adds {@code v} with {@code tag} (0..3); returns false (keeping the first tag) when it was already present. */
    public boolean add(long v, int tag) {
        if (tag < 0 || tag > 3) {
            throw new IllegalArgumentException("tag must be in 0..3, got " + tag);
        }
        if (size * 2 >= slots) {
            grow();
        }
        if (insert(table, slots, key(v) | tag)) {
            size++;
            return true;
        }
        return false;
    }

    public boolean contains(long v) {
        return tagOf(v) >= 0;
    }

    /** The tag {@code v} was added with, or -1 when absent. */
    public int tagOf(long v) {
        long k = key(v);
        long mask = slots - 1;
        for (long i = mix(k) & mask; ; i = (i + 1) & mask) {
            long e = table.getLong(i * 8);
            if (e == 0) {
                return -1;
            }
            if ((e & ~TAG) == k) {
                return (int) (e & TAG);
            }
        }
    }

    public long size() {
        return size;
    }

    @Override
    public void close() {
        table.close();
    }

    /** The hash without its tag bits, never 0 (0 marks an empty slot). */
    private static long key(long v) {
        long k = v & ~TAG;
        return k == 0 ? 4 : k;
    }

    private static boolean insert(MappedArray t, long slots, long entry) {
        long k = entry & ~TAG;
        long mask = slots - 1;
        long i = mix(k) & mask;
        for (long e = t.getLong(i * 8); e != 0; e = t.getLong(i * 8)) {
            if ((e & ~TAG) == k) {
                return false;
            }
            i = (i + 1) & mask;
        }
        t.putLong(i * 8, entry);
        return true;
    }

    private void grow() {
        MappedArray bigger = new MappedArray(slots * 16);
        for (long i = 0; i < slots; i++) {
            long e = table.getLong(i * 8);
            if (e != 0) {
                insert(bigger, slots * 2, e);
            }
        }
        table.close();
        table = bigger;
        slots *= 2;
    }

    private static long mix(long v) {
        v ^= v >>> 33;
        v *= 0xff51afd7ed558ccdL;
        v ^= v >>> 33;
        return v;
    }
}
