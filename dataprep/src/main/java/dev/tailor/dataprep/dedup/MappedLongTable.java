package dev.tailor.dataprep.dedup;

/**
 * An open-addressing hash table of non-zero 64-bit entries in a {@link MappedArray} (off the heap): each
 * entry is a key (the bits of {@code keyMask}) and a small value (the other bits), e.g. a content hash and
 * its tag, or a band hash and a text's index. 8 bytes per slot, at most half the slots used; it doubles
 * (rehashing into a new mapped array) as it fills.
 */
final class MappedLongTable implements AutoCloseable {
    private final long keyMask;
    private MappedArray table = new MappedArray(8L << 12);
    private long slots = 1 << 12;
    private long size;

    /** @param keyMask the bits of an entry that are its key; the others are its value */
    MappedLongTable(long keyMask) {
        this.keyMask = keyMask;
    }

    /** The entry whose key equals {@code key}'s (key bits only), or 0 when none. */
    long get(long key) {
        long k = key & keyMask;
        long mask = slots - 1;
        for (long i = mix(k) & mask; ; i = (i + 1) & mask) {
            long e = table.getLong(i * 8);
            if (e == 0 || (e & keyMask) == k) {
                return e;
            }
        }
    }

    /** Adds {@code entry} (non-zero) unless an entry with its key is present; returns whether it was added. */
    boolean putIfAbsent(long entry) {
        if (entry == 0) {
            throw new IllegalArgumentException("entries must be non-zero (0 marks an empty slot)");
        }
        if (size * 2 >= slots) {
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
        if (insert(table, slots, entry)) {
            size++;
            return true;
        }
        return false;
    }

    long size() {
        return size;
    }

    private boolean insert(MappedArray t, long tableSlots, long entry) {
        long k = entry & keyMask;
        long mask = tableSlots - 1;
        long i = mix(k) & mask;
        for (long e = t.getLong(i * 8); e != 0; e = t.getLong(i * 8)) {
            if ((e & keyMask) == k) {
                return false;
            }
            i = (i + 1) & mask;
        }
        t.putLong(i * 8, entry);
        return true;
    }

    @Override
    public void close() {
        table.close();
    }

    private static long mix(long v) {
        v ^= v >>> 33;
        v *= 0xff51afd7ed558ccdL;
        v ^= v >>> 33;
        return v;
    }
}
