package dev.tailor.llm;

import dev.tailor.llm.generate.AdapterLeases;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.model.ProjectionDelta;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named adapters with reference counting: replacing or unloading an adapter never waits for requests and never
 * frees one that a request still uses; the last user closes it.
 */
final class AdapterRegistry implements AutoCloseable {

    /** An adapter held for the duration of one request. */
    static final class Lease implements AdapterLeases.Lease {
        private final Entry entry;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        LoraAdapter adapter() {
            return entry.adapter;
        }

        @Override
        public ProjectionDelta delta() {
            return entry.adapter;
        }

        @Override
        public dev.tailor.llm.chat.TextTokenizer tokenizer() {
            return entry.adapter.tokenizer();
        }

        @Override
        public void close() {
            entry.release();
        }
    }

    private static final class Entry {
        final LoraAdapter adapter;
        final AtomicInteger refs = new AtomicInteger(1); // the registry's own reference

        Entry(LoraAdapter adapter) {
            this.adapter = adapter;
        }

        boolean acquire() {
            while (true) {
                int n = refs.get();
                if (n == 0) {
                    return false;
                }
                if (refs.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (refs.decrementAndGet() == 0) {
                adapter.close();
            }
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    void put(String name, LoraAdapter adapter) {
        Entry old = entries.put(name, new Entry(adapter));
        if (old != null && old.adapter != adapter) {
            old.release();
        }
    }

    void remove(String name) {
        Entry old = entries.remove(name);
        if (old != null) {
            old.release();
        }
    }

    Set<String> names() {
        return Set.copyOf(entries.keySet());
    }

    /** The adapter without a lease (caller guarantees it is not unloaded meanwhile). */
    LoraAdapter peek(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw unknown(name);
        }
        return e.adapter;
    }

    /** A lease on {@code name}, or null for a null name. */
    Lease acquire(String name) {
        if (name == null) {
            return null;
        }
        while (true) {
            Entry e = entries.get(name);
            if (e == null) {
                throw unknown(name);
            }
            if (e.acquire()) {
                return new Lease(e);
            }
        }
    }

    private IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("No adapter named '" + name + "' is loaded; loaded: " + entries.keySet());
    }

    @Override
    public void close() {
        for (String name : entries.keySet()) {
            remove(name);
        }
    }
}
