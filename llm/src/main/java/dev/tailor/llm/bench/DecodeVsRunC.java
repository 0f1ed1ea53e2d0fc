package dev.tailor.llm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tailor.llm.device.Devices;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import dev.tailor.llm.generate.Generator;
import dev.tailor.llm.io.CheckpointLoader;
import dev.tailor.llm.io.CheckpointWriter;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch-1 greedy decode of Tailor against llama2.c's run.c on the same random weights: the model is written both as
 * a Hugging Face checkpoint (which Tailor loads, in float32 and in the reduced serving precision) and as a llama2.c
 * checkpoint (which run.c loads). Per thread count: tokens/s of each, how many leading greedy tokens agree (same
 * weights, same argmax), and the fraction of the memory-bandwidth limit (weight bytes read per token × tokens/s ÷
 * bandwidth per thread × threads).
 */
public final class DecodeVsRunC {

    /**
     * One thread count. {@code runCAgree} counts the leading tokens where run.c and Tailor float32 pick the same id
     * (out of {@code compared}: run.c stops early at BOS); {@code reducedAgree} the leading tokens where the reduced
     * precision agrees with float32 (out of the float32 tokens).
     */
    public record Row(int threads, double runC, double fp32, double reduced, int runCAgree, int compared,
                      int reducedAgree, int generated, double fp32Bandwidth, double reducedBandwidth,
                      double runCBandwidth) {
        public double ratioFp32() {
            return fp32 / runC;
        }

        public double ratioReduced() {
            return reduced / runC;
        }
    }

    public record Report(String shape, DataType reducedType, long weightBytesFp32, long weightBytesReduced,
                         List<Row> rows) {
    }

    private DecodeVsRunC() {
    }

    /**
     * {@code shape} with no EOS id, so both programs decode all {@code steps} unless run.c meets BOS, and with its own
     * classifier: a small random model with tied embeddings only echoes its input (BOS after BOS, where run.c stops).
     * Decoding reads the same bytes either way (the classifier matrix once, one embedding row).
     */
    public static ModelConfig benchConfig(ModelConfig c) {
        return new ModelConfig(c.architecture(), c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(),
                c.headDim(), c.intermediateSize(), c.vocabSize(), c.ropeTheta(), c.rmsNormEps(), false,
                c.attentionBias(), c.maxPositionEmbeddings(), c.bosTokenId(), List.of());
    }

    /**
     * @param steps         positions decoded, BOS included (run.c's -n), at most the shape's context
     * @param bandwidthGbs  memory bandwidth per thread in GB/s (the limit the fraction is taken of)
     */
    public static Report run(String name, ModelConfig shape, RunC runC, Path workDir, int steps, int[] threads,
                             DataType reducedType, double bandwidthGbs, long seed) {
        ModelConfig cfg = benchConfig(shape);
        int n = Math.min(steps, cfg.maxPositionEmbeddings());
        Path hf = workDir.resolve("hf");
        Path bin = workDir.resolve("model.bin");
        Path tok = workDir.resolve("tokenizer.bin");
        try (NDManager root = NDManager.newBaseManager()) {
            try (Transformer random = Transformer.random(cfg, root.newSubManager(), seed)) {
                CheckpointWriter.save(hf, random, null);
                Llama2cExport.writeCheckpoint(random, bin);
            }
            Llama2cExport.writeNumericTokenizer(cfg.vocabSize(), tok);
            try (Transformer fp32 = CheckpointLoader.loadModel(hf, root.newSubManager());
                 Transformer reduced = CheckpointLoader.loadModel(hf, root.newSubManager(), reducedType)) {
                long bytes32 = weightBytesPerToken(fp32);
                long bytesR = weightBytesPerToken(reduced);
                List<Row> rows = new ArrayList<>();
                for (int t : threads) {
                    Devices.setThreads(t);
                    // alternating, best of three each: on a shared machine the load changes from run to run
                    RunC.Output c = null;
                    Timed a = null;
                    Timed b = null;
                    for (int rep = 0; rep < 3; rep++) {
                        c = best(c, runC.generate(bin, tok, n, t));
                        a = best(a, decode(fp32, n - 1));
                        b = best(b, decode(reduced, n - 1));
                    }
                    double limit = bandwidthGbs * 1e9 * t;
                    rows.add(new Row(t, c.tokensPerSecond(), a.tokensPerSecond, b.tokensPerSecond,
                            agree(c.ids(), a.ids), Math.min(c.ids().length, a.ids.length), agree(a.ids, b.ids),
                            a.ids.length, bytes32 * a.tokensPerSecond / limit, bytesR * b.tokensPerSecond / limit,
                            bytes32 * c.tokensPerSecond() / limit));
                }
                return new Report(name, reducedType, bytes32, bytesR, rows);
            }
        }
    }

    private record Timed(int[] ids, double tokensPerSecond) {
    }

    private static Timed best(Timed a, Timed b) {
        return a == null || b.tokensPerSecond > a.tokensPerSecond ? b : a;
    }

    private static RunC.Output best(RunC.Output a, RunC.Output b) {
        return a == null || b.tokensPerSecond() > a.tokensPerSecond() ? b : a;
    }

    /** One timed run after a short warm-up, through the serving path's {@link Generator}. */
    static Timed decode(Transformer model, int tokens) {
        Generator g = new Generator(model, null);
        g.generate(GenerationRequest.greedy(new int[] {1}, Math.min(tokens, 16)), null, null);
        long start = System.nanoTime();
        GenerationResult r = g.generate(GenerationRequest.greedy(new int[] {1}, tokens), null, null);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Timed(r.newIds(), r.completionTokens() / seconds);
    }

    /** Bytes of weights one token reads: every matrix and norm, the embedding table once (as the classifier when tied). */
    static long weightBytesPerToken(Transformer model) {
        long bytes = 0;
        for (var e : model.parameters().entrySet()) {
            NDArray a = e.getValue();
            boolean lookupOnly = e.getKey().equals("model.embed_tokens.weight") && !model.config().tieWordEmbeddings();
            if (!lookupOnly) {
                bytes += a.size() * a.getDataType().getNumOfBytes();
            }
        }
        return bytes;
    }

    /** Length of the common prefix. */
    static int agree(int[] a, int[] b) {
        int i = 0;
        while (i < a.length && i < b.length && a[i] == b[i]) {
            i++;
        }
        return i;
    }
}
