package dev.tailor.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.Generator;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Native memory stays flat over thousands of decoding steps (a leak of one logits row per step would add 250 MB). */
class NativeMemoryTest {

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    @Test
    void rssIsFlatOverManyGenerations() throws Exception {
        ModelConfig cfg = ModelConfig.llama(128, 2, 4, 2, 256, 32000, 128, true);
        try (Transformer t = Transformer.random(cfg, NDManager.newBaseManager(), 1)) {
            Generator g = new Generator(t, null);
            GenerationRequest req = new GenerationRequest(new int[] {1, 2, 3}, 40, 0.9, 50, 0.95, 1.1, List.of(), 5L,
                    null);
            for (int i = 0; i < 10; i++) {
                g.generate(req, null, null);
            }
            int arrays = t.manager().getManagedArrays().size();
            long before = rssKb();
            for (int i = 0; i < 50; i++) { // 2,000 decoding steps
                g.generate(req, null, null);
            }
            long growthMb = (rssKb() - before) / 1024;
            assertEquals(arrays, t.manager().getManagedArrays().size());
            assertTrue(growthMb < 64, "RSS grew by " + growthMb + " MB over 2,000 steps");
        }
    }
}
