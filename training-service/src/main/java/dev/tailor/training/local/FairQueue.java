package dev.tailor.training.local;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A bounded queue fair between tenants: each tenant has its own line, and {@link #take} serves the lines in turn
 * (round robin), so a tenant with many queued jobs does not hold back another tenant's first one.
 *
 * @param <T> the queued item
 */
final class FairQueue<T> {
    private final int capacity;
    private final Map<String, Deque<T>> lines = new LinkedHashMap<>();
    private int size;
    private boolean closed;

    FairQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** @return false when the queue is full */
    synchronized boolean offer(String tenant, T item) {
        if (size >= capacity || closed) {
            return false;
        }
        lines.computeIfAbsent(tenant, t -> new ArrayDeque<>()).addLast(item);
        size++;
        notifyAll();
        return true;
    }

    /** The next item, from the tenant whose turn it is; waits while the queue is empty; null once closed. */
    synchronized T take() throws InterruptedException {
        while (size == 0 && !closed) {
            wait();
        }
        if (closed) {
            return null;
        }
        Iterator<Map.Entry<String, Deque<T>>> it = lines.entrySet().iterator();
        Map.Entry<String, Deque<T>> first = it.next();
        it.remove();
        T item = first.getValue().pollFirst();
        if (!first.getValue().isEmpty()) {
            lines.put(first.getKey(), first.getValue()); // to the back of the round
        }
        size--;
        return item;
    }

    /** Removes the queued items that match; returns whether any did. */
    synchronized boolean remove(Predicate<T> which) {
        boolean any = false;
        for (Iterator<Deque<T>> it = lines.values().iterator(); it.hasNext(); ) {
            Deque<T> line = it.next();
            int before = line.size();
            line.removeIf(which);
            size -= before - line.size();
            any |= line.size() != before;
            if (line.isEmpty()) {
                it.remove();
            }
        }
        return any;
    }

    synchronized int size() {
        return size;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
