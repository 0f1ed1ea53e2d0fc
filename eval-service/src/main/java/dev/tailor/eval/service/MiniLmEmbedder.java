package dev.tailor.eval.service;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.tailor.eval.domain.metrics.TextEmbedder;
import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2 sentence embeddings (384 dimensions, the int8-quantized ONNX model shipped in LangChain4j's jar,
 * the one dataprep's semantic dedup runs), read up to the model's first 128 word pieces. A blank text embeds to the
 * zero vector (so does one of control characters only), whose cosine with anything is 0.
 */
public final class MiniLmEmbedder implements TextEmbedder {
    static final int DIMENSION = 384;

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        List<TextSegment> segments = new ArrayList<>();
        for (String t : texts) {
            if (!blank(t)) {
                segments.add(TextSegment.from(t));
            }
        }
        List<Embedding> embedded = segments.isEmpty() ? List.of() : Model.INSTANCE.embedAll(segments).content();
        int next = 0;
        for (String t : texts) {
            out.add(blank(t) ? new float[DIMENSION] : embedded.get(next++).vector());
        }
        return out;
    }

    /**
     * Blank for the model too: its BERT tokenizer drops NUL, U+FFFD and control and format characters (an answer of
     * undecodable bytes is such a text), and LangChain4j refuses a text with nothing left.
     */
    static boolean blank(String t) {
        return t == null || t.codePoints().allMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || cp == 0 || cp == 0xFFFD || Character.getType(cp) == Character.CONTROL
                || Character.getType(cp) == Character.FORMAT);
    }

    /** The model, loaded from the jar when first used (class initialization: once, thread-safe). */
    private static final class Model {
        static final EmbeddingModel INSTANCE = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }
}
