package dev.tailor.dataprep.dedup;

import dev.tailor.dataprep.config.TempFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A zero-filled array of bytes in a memory-mapped temporary file, for the dedup indexes, which would
 * otherwise grow the heap with the dataset. The heap holds only one buffer object per 64 MiB chunk; the
 * OS pages the data in and out of its page cache (and writes it to disk under memory pressure). The file
 * is unlinked as soon as it is open, so nothing is left behind even when the process is killed.
 * <p>Positions are in bytes; a value must be aligned to its size (then it never straddles two chunks).
 * Not thread-safe.
 */
final class MappedArray implements AutoCloseable {
    private static final int SHIFT = 26;
    private static final long CHUNK = 1L << SHIFT;
    private static final int MASK = (int) (CHUNK - 1);

    private final FileChannel channel;
    private ByteBuffer[] chunks = new ByteBuffer[0];
    private final long size;

    /** An array of {@code size} zero bytes. */
    MappedArray(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        this.size = size;
        String indexDir = System.getProperty("tailor.index.dir");
        try {
            Path file = indexDir == null ? TempFiles.create("tailor-index-", ".bin")
                    : Files.createTempFile(Files.createDirectories(Path.of(indexDir)), "tailor-index-", ".bin");
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Files.delete(file);
            int n = (int) ((size + CHUNK - 1) >>> SHIFT);
            chunks = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                long start = (long) i << SHIFT;
                chunks[i] = channel.map(FileChannel.MapMode.READ_WRITE, start, Math.min(CHUNK, size - start))
                        .order(ByteOrder.nativeOrder());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map a " + size + "-byte index file in "
                    + (indexDir != null ? indexDir : System.getProperty(TempFiles.PROPERTY, System.getProperty("java.io.tmpdir")))
                    + " (set -Dtailor.index.dir to a folder with free space): " + e.getMessage(), e);
        }
    }

    long size() {
        return size;
    }

    byte get(long pos) {
        return chunks[(int) (pos >>> SHIFT)].get((int) pos & MASK);
    }

    void put(long pos, byte v) {
        chunks[(int) (pos >>> SHIFT)].put((int) pos & MASK, v);
    }

    int getInt(long pos) {
        return chunks[(int) (pos >>> SHIFT)].getInt((int) pos & MASK);
    }

    void putInt(long pos, int v) {
        chunks[(int) (pos >>> SHIFT)].putInt((int) pos & MASK, v);
    }

    long getLong(long pos) {
        return chunks[(int) (pos >>> SHIFT)].getLong((int) pos & MASK);
    }

    void putLong(long pos, long v) {
        chunks[(int) (pos >>> SHIFT)].putLong((int) pos & MASK, v);
    }

    /** A new array of {@code newSize} (≥ size) bytes starting with a copy of this one, which is closed. */
    MappedArray grown(long newSize) {
        if (newSize < size) {
            throw new IllegalArgumentException("cannot shrink " + size + " bytes to " + newSize);
        }
        MappedArray to = new MappedArray(newSize);
        long i = 0;
        for (; i + 8 <= size; i += 8) {
            to.putLong(i, getLong(i));
        }
        for (; i < size; i++) {
            to.put(i, get(i));
        }
        close();
        return to;
    }

    /** Unmaps the chunks now (rather than at garbage collection) and closes the file, freeing its space. */
    @Override
    public void close() {
        ByteBuffer[] old = chunks;
        chunks = new ByteBuffer[0];
        Arrays.stream(old).forEach(MappedArray::unmap);
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method cleaner = null;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = f.get(null);
            cleaner = c.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no sun.misc.Unsafe: mappings are released when their buffers are garbage-collected
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
    }

    private static void unmap(ByteBuffer b) {
        if (INVOKE_CLEANER != null && b instanceof MappedByteBuffer) {
            try {
                INVOKE_CLEANER.invoke(UNSAFE, b);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // left to the garbage collector
            }
        }
    }
}
