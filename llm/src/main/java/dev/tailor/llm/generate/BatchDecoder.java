package dev.tailor.llm.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.cpu.CpuCache;
import dev.tailor.llm.cpu.CpuDecode;
import dev.tailor.llm.model.BatchKvCache;
import dev.tailor.llm.model.KvCache;
import dev.tailor.llm.model.ProjectionDelta;
import dev.tailor.llm.model.Transformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Continuous batching on one base model: sequences join a running batch at any step and leave it as soon as they
 * finish. Each {@link #step()} prefills joining sequences (within the token budget, a long prompt over several
 * steps), decodes one token of every running sequence in one batched forward pass ({@link Transformer#decode}, each
 * row at its own position in a {@link BatchKvCache}), and retires the finished ones, freeing their rows. Every row
 * has its own sampling settings, stop conditions and LoRA adapter of the same base (applied per row); greedy rows
 * produce what {@link Generator} produces for them alone.
 *
 * <p>{@link #submit} and {@link Sequence#cancel} may be called from any thread; {@link #step()} from one thread at a
 * time (the decoder's loop). Listeners are called on that thread and must not block: a slow listener stalls every
 * row. A listener that throws ends its own sequence only.
 *
 * <p>With a {@link CpuDecode} engine every step runs on it (each row with a cache of its own, grown as it fills)
 * instead of on PyTorch with a preallocated {@link BatchKvCache}.
 */
public final class BatchDecoder implements AutoCloseable {

    /** What one step did. */
    public record StepStats(int prefilledTokens, int decodedRows, int finished, long nanos) {
    }

    private final Transformer model;
    private final TextTokenizer tokenizer;
    private final BatchSettings settings;
    private final AdapterLeases adapters;
    private final Set<Integer> eos;
    private final NDManager manager;
    private final BatchKvCache cache;  // null with a CPU engine
    private final CpuDecode cpu;       // null on PyTorch
    private final CpuCache[] cpuRows;  // [row] with a CPU engine
    private final int capacity;
    private final ConcurrentLinkedQueue<Sequence> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final List<Sequence> rows = new ArrayList<>(); // row i of the cache decodes rows.get(i)
    private Sequence prefilling;                           // at row rows.size(), prompt partly cached
    private KvCache torchPrefill;                          // CPU engine: a long prompt's cache on PyTorch, or null
    private volatile int running;
    private StepStats last = new StepStats(0, 0, 0, 0);

    public BatchDecoder(Transformer model, TextTokenizer tokenizer, BatchSettings settings, AdapterLeases adapters) {
        this(model, tokenizer, settings, adapters, null);
    }

    /** @param cpu the Java engine over {@code model}'s weights, or null to decode on PyTorch */
    public BatchDecoder(Transformer model, TextTokenizer tokenizer, BatchSettings settings, AdapterLeases adapters,
                        CpuDecode cpu) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.adapters = adapters == null ? AdapterLeases.NONE : adapters;
        this.eos = Decoding.eosIds(tokenizer, model.config().eosTokenIds());
        this.cpu = cpu;
        this.capacity = Math.min(settings.maxSequenceTokens(), model.config().maxPositionEmbeddings());
        this.manager = model.manager().newSubManager();
        if (cpu == null) {
            this.cache = model.newBatchCache(settings.maxRows(), settings.maxSequenceTokens());
            this.cpuRows = null;
        } else {
            this.cache = null;
            this.cpuRows = new CpuCache[settings.maxRows()];
        }
    }

    /** Whether steps run on the Java CPU engine. */
    public boolean onCpuEngine() {
        return cpu != null;
    }

    public BatchSettings settings() {
        return settings;
    }

    /** Tokens one sequence may hold (prompt + generated): the settings' limit cut to the model's context. */
    public int sequenceCapacity() {
        return capacity;
    }

    /**
     * Queues a request; it joins the batch at a coming step. Its adapter (by name) is held until it finishes.
     *
     * @throws IllegalArgumentException when the prompt holds ids outside the vocabulary or does not fit
     *                                  {@link #sequenceCapacity()}, or the adapter is not loaded
     */
    public Sequence submit(GenerationRequest request, TokenListener listener) {
        int[] prompt = request.promptIds();
        if (prompt.length > capacity) {
            throw new IllegalArgumentException("Prompt of " + prompt.length + " tokens does not fit a batch row of "
                    + capacity + " tokens");
        }
        int maxNew = Math.min(request.maxNewTokens(), capacity - prompt.length);
        AdapterLeases.Lease lease = request.adapter() == null ? null : adapters.acquire(request.adapter());
        Decoding decoding;
        try {
            int vocab = lease == null ? model.config().vocabSize()
                    : lease.delta().vocabSize(model.config().vocabSize());
            if (cpu != null && lease != null && !CpuDecode.handles(lease.delta())) {
                throw new IllegalArgumentException("Adapter " + request.adapter() + " is not a LoRA adapter, which"
                        + " the CPU engine of this decoder needs");
            }
            TextTokenizer own = lease == null ? null : lease.tokenizer();
            decoding = new Decoding(request, maxNew, vocab, own != null ? own : tokenizer, eos, listener);
        } catch (RuntimeException e) {
            if (lease != null) {
                lease.close();
            }
            throw e;
        }
        Sequence s = new Sequence(decoding, lease);
        waitingCount.incrementAndGet();
        waiting.add(s);
        return s;
    }

    /** Sequences submitted and not yet in the batch. */
    public int waiting() {
        return waitingCount.get();
    }

    /** Sequences in the batch (decoding, or being prefilled). */
    public int running() {
        return running;
    }

    /** True when there is nothing to do. */
    public boolean idle() {
        return waitingCount.get() == 0 && running == 0;
    }

    /** What the last step did. */
    public StepStats lastStep() {
        return last;
    }

    /**
     * One step: drop cancelled sequences, prefill joining ones, decode one token of every running row, retire the
     * finished. Returns the sequences that finished in this step (their completions are done).
     */
    public List<Sequence> step() {
        long t0 = System.nanoTime();
        List<Sequence> finished = new ArrayList<>();
        try (NDManager m = manager.newSubManager()) {
            dropCancelled(finished);
            int prefilled = prefill(m, finished);
            int decoded = rows.size();
            if (decoded > 0) {
                decode(m, finished);
            }
            last = new StepStats(prefilled, decoded, finished.size(), System.nanoTime() - t0);
        } catch (RuntimeException | Error e) {
            failAll(e, finished);
            last = new StepStats(0, 0, finished.size(), System.nanoTime() - t0);
        }
        running = rows.size() + (prefilling == null ? 0 : 1);
        return finished;
    }

    private void dropCancelled(List<Sequence> finished) {
        // cancelled while waiting (client gone, deadline passed): answered now, not when a row frees
        for (java.util.Iterator<Sequence> it = waiting.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            if (s.isCancelled()) {
                it.remove();
                waitingCount.decrementAndGet();
                s.decoding().finish(Sequence.CANCELLED);
                end(s, null, finished);
            }
        }
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (rows.get(i).isCancelled()) {
                rows.get(i).decoding().finish(Sequence.CANCELLED);
                retire(i, null, finished);
            }
        }
        if (prefilling != null && prefilling.isCancelled()) {
            prefilling.decoding().finish(Sequence.CANCELLED);
            clearRow(rows.size());
            dropTorchPrefill();
            end(prefilling, null, finished);
            prefilling = null;
        }
    }

    /** Prefills joining sequences within the step's token budget; returns the prompt tokens it ran. */
    private int prefill(NDManager m, List<Sequence> finished) {
        int used = 0;
        while (settings.maxBatchTokens() - rows.size() > used && rows.size() < settings.maxRows()) {
            if (prefilling == null) {
                prefilling = nextWaiting(finished);
                if (prefilling == null) {
                    break;
                }
                clearRow(rows.size());
                if (cpu != null && prefilling.decoding().prompt().length >= CpuDecode.TORCH_PREFILL_MIN) {
                    torchPrefill = model.newCache(1, prefilling.decoding().prompt().length);
                }
                prefilling.decoding().started();
            }
            Sequence s = prefilling;
            int[] prompt = s.decoding().prompt();
            int from = s.prefilled();
            int avail = settings.maxBatchTokens() - rows.size() - used; // every decoding row takes one token
            int chunk = Math.min(prompt.length - from, avail);
            if (chunk == prompt.length - from && chunk == avail) {
                chunk--; // the last chunk needs room for the sequence's first decoded token in this step
                if (chunk == 0) {
                    break;
                }
            }
            // chunks end where Generator's do, so a prompt is cut the same way unless the budget is smaller
            chunk = Math.min(chunk, Generator.PREFILL_CHUNK - from % Generator.PREFILL_CHUNK);
            float[] logits;
            int[] part = Arrays.copyOfRange(prompt, from, from + chunk);
            if (cpu != null && torchPrefill == null) {
                logits = cpu.prefill(cpuRows[rows.size()], part, s.delta());
            } else { // PyTorch; on the CPU engine a long prompt, its cache taken over at the end
                try (NDManager step = m.newSubManager()) {
                    NDArray ids = step.create(Generator.toLong(part), new Shape(1, chunk));       // (1, T)
                    logits = model.forward(ids, cpu != null ? torchPrefill : cache.row(rows.size()), s.delta(),
                            false, true).toFloatArray();                                        // (1, 1, V)
                }
                if (cpu != null && s.prefilled() + chunk == prompt.length) {
                    cpuRows[rows.size()] = cpu.adopt(torchPrefill, capacity);
                    dropTorchPrefill();
                }
            }
            s.prefilled(chunk);
            used += chunk;
            if (s.prefilled() == prompt.length) {
                prefilling = null;
                Throwable error = accept(s, logits);
                if (s.decoding().done()) {
                    clearRow(rows.size());
                    end(s, error, finished);
                } else {
                    rows.add(s);
                }
            }
        }
        return used;
    }

    private Sequence nextWaiting(List<Sequence> finished) {
        Sequence s;
        while ((s = waiting.poll()) != null) {
            waitingCount.decrementAndGet();
            if (s.isCancelled()) {
                s.decoding().finish(Sequence.CANCELLED);
                end(s, null, finished);
            } else if (s.decoding().done()) {
                end(s, null, finished); // max tokens 0
            } else {
                return s;
            }
        }
        return null;
    }

    private void decode(NDManager m, List<Sequence> finished) {
        int n = rows.size();
        int base = model.config().vocabSize();
        long[] ids = new long[n];
        List<ProjectionDelta> deltas = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids[i] = rows.get(i).decoding().last();
            deltas.add(rows.get(i).delta());
        }
        float[][] perRow;
        if (cpu != null) {
            int[] next = new int[n];
            for (int i = 0; i < n; i++) {
                next[i] = Math.toIntExact(ids[i]);
            }
            perRow = cpu.decode(Arrays.copyOf(cpuRows, n), next, deltas);
        } else {
            perRow = new float[n][];
            try (NDManager step = m.newSubManager()) {
                NDArray out = model.decode(step.create(ids), cache, RowDeltas.of(deltas, step)); // (n, V'max)
                int width = Math.toIntExact(out.getShape().get(1));
                float[] logits = out.toFloatArray();
                for (int i = 0; i < n; i++) { // a row of a smaller vocabulary than the widest is padded: cut
                    perRow[i] = Arrays.copyOfRange(logits, i * width, i * width + rows.get(i).vocabSize(base));
                }
            }
        }
        Throwable[] errors = new Throwable[n];
        for (int i = 0; i < n; i++) {
            errors[i] = accept(rows.get(i), perRow[i]);
        }
        for (int i = n - 1; i >= 0; i--) {
            if (rows.get(i).decoding().done()) {
                retire(i, errors[i], finished);
            }
        }
    }

    /** Samples and handles one token; a listener that throws ends the sequence with that error. */
    private static Throwable accept(Sequence s, float[] logits) {
        try {
            s.decoding().accept(logits);
            return null;
        } catch (RuntimeException e) {
            s.decoding().finish(Sequence.CANCELLED);
            return e;
        }
    }

    /** Removes row i, moving the last decoding row (and then the sequence being prefilled) down into the gap. */
    private void retire(int i, Throwable error, List<Sequence> finished) {
        Sequence s = rows.get(i);
        int lastRow = rows.size() - 1;
        if (i != lastRow) {
            moveRow(lastRow, i);
            rows.set(i, rows.remove(lastRow));
        } else {
            rows.remove(lastRow);
            clearRow(lastRow);
        }
        if (prefilling != null) {
            moveRow(lastRow + 1, lastRow);
        }
        end(s, error, finished);
    }

    private static void end(Sequence s, Throwable error, List<Sequence> finished) {
        s.complete(error);
        finished.add(s);
    }

    private void failAll(Throwable e, List<Sequence> finished) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            rows.get(i).decoding().finish(Sequence.CANCELLED);
            end(rows.get(i), e, finished);
            clearRow(i);
        }
        rows.clear();
        if (prefilling != null) {
            prefilling.decoding().finish(Sequence.CANCELLED);
            end(prefilling, e, finished);
            prefilling = null;
            dropTorchPrefill();
        }
    }

    /** Runs steps until every submitted sequence is finished. */
    public void runUntilIdle() {
        while (!idle()) {
            step();
        }
    }

    /** Ends every sequence (cancelled), returns their adapters and frees the cache. */
    @Override
    public void close() {
        List<Sequence> finished = new ArrayList<>();
        failAll(new java.util.concurrent.CancellationException("the batch decoder was closed"), finished);
        Sequence s;
        while ((s = waiting.poll()) != null) {
            waitingCount.decrementAndGet();
            s.decoding().finish(Sequence.CANCELLED);
            s.complete(new java.util.concurrent.CancellationException("the batch decoder was closed"));
        }
        running = 0;
        if (cpu == null) {
            cache.close();
        }
        dropTorchPrefill();
        manager.close();
    }

    private void dropTorchPrefill() {
        if (torchPrefill != null) {
            torchPrefill.close();
            torchPrefill = null;
        }
    }

    /** Empties row i (on the CPU engine: a fresh cache, the old one left to the garbage collector). */
    private void clearRow(int i) {
        if (cpu != null) {
            cpuRows[i] = cpu.newCache(capacity);
        } else {
            cache.clear(i);
        }
    }

    /** Moves row {@code from}'s cached tokens to row {@code to}, leaving {@code from} empty. */
    private void moveRow(int from, int to) {
        if (cpu != null) {
            cpuRows[to] = cpuRows[from];
            cpuRows[from] = cpu.newCache(capacity);
        } else {
            cache.move(from, to);
        }
    }
}
