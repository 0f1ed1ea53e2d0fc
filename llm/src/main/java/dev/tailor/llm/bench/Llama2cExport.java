package dev.tailor.llm.bench;

import dev.tailor.common.events.Projection;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a Llama model as llama2.c's legacy (v0) checkpoint and a matching {@code tokenizer.bin}, so that
 * {@code run.c} decodes exactly the weights Tailor decodes. The v0 layout: 7 int32 header fields (dim, hidden_dim,
 * n_layers, n_heads, n_kv_heads, vocab_size — negative when the classifier is not shared —, seq_len), then float32
 * embedding, attention norms, wq, wk, wv, wo, ffn norms, w1 (gate), w2 (down), w3 (up), final norm, the unused
 * freq_cis tables and the classifier when untied; matrices row-major (out, in) as in PyTorch. llama2.c rotates
 * adjacent pairs of each head (Meta's layout) where Hugging Face rotates the two halves, so the rows of wq and wk
 * are permuted back the way llama2.c's {@code export.py} undoes it. The tokenizer's piece for id i is " i", which
 * makes run.c's printed text the generated ids.
 */
public final class Llama2cExport {

    private Llama2cExport() {
    }

    /** Writes {@code model} (float32, Llama without biases, rope_theta 10000) to {@code bin}. */
    public static void writeCheckpoint(Transformer model, Path bin) {
        ModelConfig c = model.config();
        if (c.attentionBias() || c.ropeTheta() != 10000.0 || c.ropeScaling() != null
                || c.headDim() * c.numHeads() != c.hiddenSize()) {
            throw new IllegalArgumentException("llama2.c runs Llama models without biases, with rope_theta 10000 and "
                    + "head_dim = hidden / heads; this config does not fit: " + c.toJson());
        }
        try (FileChannel ch = FileChannel.open(bin, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer header = ByteBuffer.allocate(7 * 4).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(c.hiddenSize()).putInt(c.intermediateSize()).putInt(c.numLayers()).putInt(c.numHeads())
                    .putInt(c.numKvHeads()).putInt(c.tieWordEmbeddings() ? c.vocabSize() : -c.vocabSize())
                    .putInt(c.maxPositionEmbeddings());
            writeFully(ch, header.flip());
            var p = model.parameters();
            write(ch, p.get("model.embed_tokens.weight").toFloatArray());
            perLayer(ch, model, l -> p.get("model.layers." + l + ".input_layernorm.weight").toFloatArray());
            perLayer(ch, model, l -> metaRows(model.weight(l, Projection.Q_PROJ).toFloatArray(), c.numHeads(),
                    c.headDim(), c.hiddenSize()));
            perLayer(ch, model, l -> metaRows(model.weight(l, Projection.K_PROJ).toFloatArray(), c.numKvHeads(),
                    c.headDim(), c.hiddenSize()));
            perLayer(ch, model, l -> model.weight(l, Projection.V_PROJ).toFloatArray());
            perLayer(ch, model, l -> model.weight(l, Projection.O_PROJ).toFloatArray());
            perLayer(ch, model, l -> p.get("model.layers." + l + ".post_attention_layernorm.weight").toFloatArray());
            perLayer(ch, model, l -> model.weight(l, Projection.GATE_PROJ).toFloatArray());
            perLayer(ch, model, l -> model.weight(l, Projection.DOWN_PROJ).toFloatArray());
            perLayer(ch, model, l -> model.weight(l, Projection.UP_PROJ).toFloatArray());
            write(ch, p.get("model.norm.weight").toFloatArray());
            write(ch, new float[c.maxPositionEmbeddings() * c.headDim()]); // freq_cis_real + imag (run.c skips them)
            if (!c.tieWordEmbeddings()) {
                write(ch, p.get("lm_head.weight").toFloatArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the llama2.c checkpoint " + bin, e);
        }
    }

    /** run.c's tokenizer.bin for {@code vocab} ids: piece " i" for id i (score 0). */
    public static void writeNumericTokenizer(int vocab, Path file) {
        int maxLen = (" " + (vocab - 1)).length();
        ByteBuffer b = ByteBuffer.allocate(4 + vocab * (8 + maxLen)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(maxLen);
        for (int i = 0; i < vocab; i++) {
            byte[] piece = (" " + i).getBytes(StandardCharsets.US_ASCII);
            b.putFloat(0f).putInt(piece.length).put(piece);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, b.flip());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /**
     * Rows of a (heads * d, in) q/k weight from Hugging Face's order (row h*d + c*d/2 + j) to Meta's (row
     * h*d + 2j + c), llama2.c export.py's {@code permute_original}.
     */
    static float[] metaRows(float[] hf, int heads, int d, int in) {
        float[] meta = new float[hf.length];
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < d / 2; j++) {
                for (int c = 0; c < 2; c++) {
                    System.arraycopy(hf, (h * d + c * d / 2 + j) * in, meta, (h * d + 2 * j + c) * in, in);
                }
            }
        }
        return meta;
    }

    private interface LayerTensor {
        float[] of(int layer);
    }

    private static void perLayer(FileChannel ch, Transformer model, LayerTensor t) throws IOException {
        for (int l = 0; l < model.config().numLayers(); l++) {
            write(ch, t.of(l));
        }
    }

    private static void write(FileChannel ch, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        writeFully(ch, b);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
