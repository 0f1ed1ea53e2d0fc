package dev.tailor.llm.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.Generator;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The llama2.c checkpoint writer, checked by llama2.c's own run.c decoding the same greedy tokens as Tailor. */
class Llama2cExportTest {

    @Test
    void runCDecodesTheSameGreedyTokensAsTailor(@TempDir Path dir) {
        Optional<RunC> runC = RunC.compile(dir.resolve("runc"));
        Assumptions.assumeTrue(runC.isPresent(), "no gcc on PATH: cannot build llama2.c's run.c, skipped");
        // GQA (4 query heads on 2 key/value heads) so the head grouping of both programs is checked too
        ModelConfig cfg = DecodeVsRunC.benchConfig(ModelConfig.llama(64, 2, 4, 2, 160, 512, 96, true));
        try (NDManager m = NDManager.newBaseManager(); Transformer model = Transformer.random(cfg, m, 7)) {
            Llama2cExport.writeCheckpoint(model, dir.resolve("model.bin"));
            Llama2cExport.writeNumericTokenizer(cfg.vocabSize(), dir.resolve("tokenizer.bin"));
            int[] tailor = new Generator(model, null).generate(GenerationRequest.greedy(new int[] {1}, 95), null, null)
                    .newIds();
            RunC.Output c = runC.get().generate(dir.resolve("model.bin"), dir.resolve("tokenizer.bin"), 96, 1);
            assertTrue(c.ids().length >= 32, "run.c decoded " + Arrays.toString(c.ids()));
            assertTrue(Arrays.stream(tailor).distinct().count() > 4, "a non-degenerate sequence: "
                    + Arrays.toString(tailor));
            int n = Math.min(tailor.length, c.ids().length);
            assertArrayEquals(Arrays.copyOf(tailor, n), Arrays.copyOf(c.ids(), n),
                    "same weights, same greedy tokens (run.c stops at BOS)");
        }
    }

    @Test
    void qkRowsGoFromHalvesToPairs() {
        // one head of 4 dims, 1 input: HF rows (x0, x1, y0, y1) pair (x0, y0) and (x1, y1); Meta interleaves them
        float[] meta = Llama2cExport.metaRows(new float[] {10, 11, 20, 21}, 1, 4, 1);
        assertArrayEquals(new float[] {10, 20, 11, 21}, meta);
        assertEquals(0, DecodeVsRunC.agree(new int[] {1}, new int[] {2}));
    }
}
