package dev.tailor.llm.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory-mapped reader of one {@code .safetensors} file: only the header is read eagerly, each tensor is mapped
 * on demand (no 2 GiB limit for the file, unlike {@code NDList.decode}). F32 and F16 tensors become float32
 * NDArrays; BF16 is widened to float32 in Java because any BF16 NDArray crashes the PyTorch engine on CPU.
 */
public final class SafetensorsReader implements AutoCloseable {

    /** dtype (safetensors name), shape, and byte range inside the data section. */
    public record TensorInfo(String dtype, long[] shape, long begin, long end) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsReader(Path file) {
        this.file = file;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(len, 0);
            long headerLen = len.getLong(0);
            if (headerLen <= 0 || headerLen > 100_000_000 || headerLen + 8 > channel.size()) {
                throw new IllegalArgumentException(file + " is not a safetensors file (header length " + headerLen + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(header, 8);
            dataStart = 8 + headerLen;
            JsonNode root = MAPPER.readTree(new String(header.array(), StandardCharsets.UTF_8));
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                JsonNode t = e.getValue();
                long[] shape = new long[t.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.path("shape").get(i).asLong();
                }
                TensorInfo info = new TensorInfo(t.path("dtype").asText(), shape,
                        t.path("data_offsets").get(0).asLong(), t.path("data_offsets").get(1).asLong());
                if (dataStart + info.end() > channel.size()) {
                    throw new IllegalArgumentException("Tensor " + e.getKey() + " lies past the end of " + file
                            + " (truncated download?)");
                }
                tensors.put(e.getKey(), info);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read safetensors file " + file + ": " + e.getMessage(), e);
        }
    }

    private void readFully(ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw new IllegalArgumentException(file + " is truncated: not a safetensors file");
            }
        }
    }

    public Path file() {
        return file;
    }

    public Map<String, TensorInfo> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * Tensors larger than this are converted in row blocks of about this size, which bounds the Java direct memory
     * a BF16 conversion needs and allows tensors above the 2 GiB limit of one mapping.
     */
    static long chunkBytes = 64L << 20;

    /** Loads one tensor as a float32 NDArray owned by {@code manager} (a copy: the file can be closed after). */
    public NDArray loadFloat(String name, NDManager manager) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException("Tensor '" + name + "' is missing from " + file);
        }
        int width = switch (info.dtype()) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new IllegalArgumentException("Tensor '" + name + "' in " + file + " has dtype "
                    + info.dtype() + "; Tailor loads F32, F16 and BF16 weights");
        };
        long n = info.elements();
        long bytes = info.end() - info.begin();
        if (n * width != bytes) {
            throw new IllegalArgumentException("Tensor '" + name + "' in " + file + " has " + bytes
                    + " bytes but its shape " + java.util.Arrays.toString(info.shape()) + " and dtype "
                    + info.dtype() + " need " + n * width);
        }
        long[] shape = info.shape();
        if (bytes <= chunkBytes || shape.length == 0 || shape[0] <= 1) {
            return block(info, manager, 0, n, shape);
        }
        long rowElems = n / shape[0];
        long rowsPerChunk = Math.max(1, chunkBytes / (rowElems * width));
        NDArray out = manager.zeros(new Shape(shape), DataType.FLOAT32);
        try {
            for (long r = 0; r < shape[0]; r += rowsPerChunk) {
                long rows = Math.min(rowsPerChunk, shape[0] - r);
                long[] chunkShape = shape.clone();
                chunkShape[0] = rows;
                try (NDManager tmp = manager.newSubManager()) {
                    NDArray part = block(info, tmp, r * rowElems, rows * rowElems, chunkShape);
                    out.set(new ai.djl.ndarray.index.NDIndex().addSliceDim(r, r + rows), part);
                }
            }
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Elements [first, first + count) of a tensor as a float32 array of {@code shape}. */
    private NDArray block(TensorInfo info, NDManager manager, long first, long count, long[] shape) {
        int width = info.dtype().equals("F32") ? 4 : 2;
        try {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY,
                    dataStart + info.begin() + first * width, count * width);
            mapped.order(ByteOrder.LITTLE_ENDIAN);
            Shape s = new Shape(shape);
            switch (info.dtype()) {
                case "F32" -> {
                    try (NDArray view = manager.create(mapped, s, DataType.FLOAT32)) {
                        return view.duplicate(); // own the memory; the mapping may go away
                    }
                }
                case "F16" -> {
                    try (NDArray half = manager.create(mapped, s, DataType.FLOAT16)) {
                        return half.toType(DataType.FLOAT32, true);
                    }
                }
                default -> { // BF16: widen in Java, a BF16 NDArray crashes the PyTorch engine
                    ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(count * 4)).order(ByteOrder.nativeOrder());
                    FloatBuffer f = out.asFloatBuffer();
                    ShortBuffer in = mapped.asShortBuffer();
                    for (int i = 0; i < count; i++) {
                        f.put(i, Float.intBitsToFloat((in.get(i) & 0xffff) << 16));
                    }
                    try (NDArray view = manager.create(out, s, DataType.FLOAT32)) {
                        return view.duplicate();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot map tensor data of " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
