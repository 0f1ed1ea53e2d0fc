package dev.tailor.llm.vocab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.io.SafetensorsReader;
import dev.tailor.llm.model.Transformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The extended vocabulary an adapter brings (PEFT {@code modules_to_save = ["embed_tokens", "lm_head"]}): its own
 * token embedding (V', H) and output layer (V', H) (the same array when they are tied), and the tokenizer that knows
 * the new tokens. The arrays live in the adapter's manager; the tokenizer is closed with the adapter.
 *
 * @param added        the new tokens with their sub-tokens, or null when the folder did not say (an adapter made by
 *                     PEFT)
 * @param embed        token embedding (V', H)
 * @param head         output layer (V', H); {@code embed} itself when tied
 * @param tokenizer    the extended tokenizer
 * @param tokenizerDir the folder of its files (copied next to the adapter when it is saved)
 */
public record AdapterVocabulary(AddedVocabulary added, NDArray embed, NDArray head, TextTokenizer tokenizer,
                                Path tokenizerDir) implements AutoCloseable {

    /** PEFT's saved name of a trained copy of the token embedding ({@code modules_to_save}). */
    public static final String EMBED_TENSOR = "base_model.model.model.embed_tokens.weight";
    /** PEFT's saved name of a trained copy of the output layer ({@code modules_to_save}). */
    public static final String HEAD_TENSOR = "base_model.model.lm_head.weight";
    /** {@code modules_to_save} of an adapter that extends the vocabulary. */
    public static final List<String> MODULES_TO_SAVE = List.of("embed_tokens", "lm_head");

    public AdapterVocabulary {
        if (embed == null || head == null || tokenizer == null || tokenizerDir == null) {
            throw new IllegalArgumentException("an adapter vocabulary needs its tables, tokenizer and folder");
        }
        if (!embed.getShape().equals(head.getShape())) {
            throw new IllegalArgumentException("embed_tokens " + embed.getShape() + " and lm_head " + head.getShape()
                    + " of the adapter must have the same shape");
        }
    }

    /**
     * The embedding and output layer of a PEFT adapter folder whose adapter_config.json lists {@code modules}
     * in {@code modules_to_save}, read from its weights ({@code names}: canonical PEFT name → stored name), with the
     * tokenizer next to them.
     */
    public static AdapterVocabulary load(Path dir, List<String> modules, Transformer base, SafetensorsReader r,
                                         Map<String, String> names, NDManager m, DataType type) {
        if (!names.containsKey(EMBED_TENSOR)) {
            throw new IllegalArgumentException("Adapter in " + dir + " lists modules_to_save " + modules + " but its "
                    + "weights have no " + EMBED_TENSOR);
        }
        if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            throw new IllegalArgumentException("Adapter in " + dir + " has its own embed_tokens but no tokenizer.json"
                    + ": save the extended tokenizer next to it (tokenizer.save_pretrained)");
        }
        long h = base.config().hiddenSize();
        NDArray embed = typed(r.loadFloat(names.get(EMBED_TENSOR), m), type);
        NDArray head = names.containsKey(HEAD_TENSOR) ? typed(r.loadFloat(names.get(HEAD_TENSOR), m), type)
                : base.config().tieWordEmbeddings() ? embed : null;
        if (head == null) {
            throw new IllegalArgumentException("Adapter in " + dir + " has its own embed_tokens but no " + HEAD_TENSOR
                    + ", and the base's output layer is not tied to its embedding");
        }
        long rows = embed.getShape().get(0);
        if (embed.getShape().dimension() != 2 || embed.getShape().get(1) != h || rows < base.config().vocabSize()
                || !head.getShape().equals(embed.getShape())) {
            throw new IllegalArgumentException("Adapter in " + dir + " has embed_tokens " + embed.getShape()
                    + " and lm_head " + head.getShape() + "; this base needs (V', " + h + ") with V' >= "
                    + base.config().vocabSize());
        }
        return new AdapterVocabulary(AddedVocabulary.read(dir), embed, head, TextTokenizer.load(dir, base.config()),
                dir);
    }

    private static NDArray typed(NDArray a, DataType type) {
        if (type == DataType.FLOAT32) {
            return a;
        }
        NDArray t = a.toType(type, false);
        a.close();
        return t;
    }

    /** Rows V' of the tables. */
    public int vocabSize() {
        return Math.toIntExact(embed.getShape().get(0));
    }

    /** Whether the output layer is the embedding itself. */
    public boolean tied() {
        return head == embed;
    }

    /** Closes the tokenizer (the arrays go with the adapter's manager). */
    @Override
    public void close() {
        tokenizer.close();
    }
}
