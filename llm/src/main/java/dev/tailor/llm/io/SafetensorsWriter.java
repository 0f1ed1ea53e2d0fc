package dev.tailor.llm.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/** Writes float32 NDArrays to a {@code .safetensors} file as F32, F16 or BF16 (atomically: temp file + move). */
public final class SafetensorsWriter {

    /** On-disk element type. */
    public enum Dtype { F32, F16, BF16 }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SafetensorsWriter() {
    }

    public static void write(Path file, Map<String, NDArray> tensors) {
        write(file, tensors, Dtype.F32, Map.of("format", "pt"));
    }

    public static void write(Path file, Map<String, NDArray> tensors, Dtype dtype, Map<String, String> metadata) {
        Map<String, NDArray> sorted = new TreeMap<>(tensors);
        ObjectNode header = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        int width = dtype == Dtype.F32 ? 4 : 2;
        for (Map.Entry<String, NDArray> e : sorted.entrySet()) {
            long bytes = e.getValue().size() * width;
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtype.name());
            var shape = t.putArray("shape");
            for (long d : e.getValue().getShape().getShape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = MAPPER.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeAll(ch, head);
                for (NDArray a : sorted.values()) {
                    writeAll(ch, encode(a, dtype));
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer encode(NDArray a, Dtype dtype) {
        switch (dtype) {
            case F32 -> {
                try (NDArray f = a.toType(DataType.FLOAT32, true)) {
                    return f.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                }
            }
            case F16 -> {
                try (NDArray h = a.toType(DataType.FLOAT16, true)) {
                    return h.toByteBuffer();
                }
            }
            default -> {
                float[] values = a.toType(DataType.FLOAT32, false).toFloatArray();
                ByteBuffer out = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    out.putShort(toBf16(v));
                }
                return out.flip();
            }
        }
    }

    /** Round-to-nearest-even float32 → bfloat16 bits (as PyTorch does). */
    public static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) 0x7fc0;
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

}
