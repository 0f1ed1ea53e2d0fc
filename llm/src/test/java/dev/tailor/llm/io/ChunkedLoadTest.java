package dev.tailor.llm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large tensors are read in row blocks; the result equals a one-shot read for every dtype. */
class ChunkedLoadTest {

    @Test
    void chunkedReadEqualsOneShotRead(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = new float[37 * 24];
            Random rnd = new Random(1);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            NDArray a = m.create(v, new Shape(37, 24));
            for (SafetensorsWriter.Dtype dtype : SafetensorsWriter.Dtype.values()) {
                Path file = dir.resolve(dtype + ".safetensors");
                SafetensorsWriter.write(file, Map.of("w", a), dtype, Map.of());
                long saved = SafetensorsReader.chunkBytes;
                try (SafetensorsReader r = new SafetensorsReader(file)) {
                    float[] whole = r.loadFloat("w", m).toFloatArray();
                    SafetensorsReader.chunkBytes = 200; // a few rows per block, last block partial
                    float[] chunked = r.loadFloat("w", m).toFloatArray();
                    assertArrayEquals(whole, chunked, dtype.name());
                } finally {
                    SafetensorsReader.chunkBytes = saved;
                }
            }
        }
    }
}
