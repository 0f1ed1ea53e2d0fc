package dev.tailor.llm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tailor.llm.cpu.CpuDecode;
import dev.tailor.llm.cpu.WeightFormat;
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
 * a Hugging Face checkpoint (which Tailor loads) and as a llama2.c checkpoint (which run.c loads). Tailor decodes
 * through the serving path's {@link Generator} three ways: on PyTorch (float32), and on the Java CPU engine with
 * float32 and with int8 weights. Per thread count: tokens/s of each, how many leading greedy tokens agree (same
 * weights, same argmax), and the fraction of the memory-bandwidth limit (weight bytes read per token × tokens/s ÷
 * bandwidth per thread × threads).
 */
public final class DecodeVsRunC {

    /**
     * One thread count, tokens/s of each. {@code runCAgree} counts the leading tokens where run.c and the Java float32
     * engine pick the same id (out of {@code compared}: run.c stops early at BOS); {@code torchAgree} and
     * {@code int8Agree} the leading tokens where PyTorch and int8 agree with the Java float32 engine (out of
     * {@code generated}).
     */
    public record Row(int threads, double runC, double torch, double fp32, double int8, int runCAgree, int compared,
                      int torchAgree, int int8Agree, int generated, double runCBandwidth, double fp32Bandwidth,
                      double int8Bandwidth) {
        public double ratioFp32() {
            return fp32 / runC;
        }

        public double ratioInt8() {
            return int8 / runC;
        }

        public double ratioTorch() {
            return torch / runC;
        }
    }

    public record Report(String shape, long weightBytesFp32, long weightBytesInt8, List<Row> rows) {
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
     * @throws IllegalStateException when this JVM lacks the Vector API the Java engine needs
     */
    public static Report run(String name, ModelConfig shape, RunC runC, Path workDir, int steps, int[] threads,
                             double bandwidthGbs, long seed) {
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
            try (Transformer model = CheckpointLoader.loadModel(hf, root.newSubManager());
                 CpuDecode fp32 = CpuDecode.create(model, WeightFormat.FLOAT32, threads[0]);
                 CpuDecode int8 = CpuDecode.create(model, WeightFormat.INT8, threads[0])) {
                List<Row> rows = new ArrayList<>();
                for (int t : threads) {
                    Devices.setThreads(t);
                    fp32.setThreads(t);
                    int8.setThreads(t);
                    // alternating, best of three each: on a shared machine the load changes from run to run
                    RunC.Output c = null;
                    Timed torch = null;
                    Timed a = null;
                    Timed b = null;
                    for (int rep = 0; rep < 3; rep++) {
                        c = best(c, runC.generate(bin, tok, n, t));
                        torch = best(torch, decode(new Generator(model, null), n - 1));
                        a = best(a, decode(new Generator(model, null, fp32), n - 1));
                        b = best(b, decode(new Generator(model, null, int8), n - 1));
                    }
                    double limit = bandwidthGbs * 1e9 * t;
                    rows.add(new Row(t, c.tokensPerSecond(), torch.tokensPerSecond, a.tokensPerSecond,
                            b.tokensPerSecond, agree(c.ids(), a.ids), Math.min(c.ids().length, a.ids.length),
                            agree(torch.ids, a.ids), agree(b.ids, a.ids), a.ids.length,
                            fp32.bytesPerToken() * c.tokensPerSecond() / limit,
                            fp32.bytesPerToken() * a.tokensPerSecond / limit,
                            int8.bytesPerToken() * b.tokensPerSecond / limit));
                }
                return new Report(name, fp32.bytesPerToken(), int8.bytesPerToken(), rows);
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

    /** One timed run after a short warm-up. */
    static Timed decode(Generator g, int tokens) {
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
