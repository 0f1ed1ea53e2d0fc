package dev.tailor.llm.vocab;

import ai.djl.ndarray.NDArray;
import dev.tailor.llm.chat.TextTokenizer;
import java.nio.file.Path;

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

    public AdapterVocabulary {
        if (embed == null || head == null || tokenizer == null || tokenizerDir == null) {
            throw new IllegalArgumentException("an adapter vocabulary needs its tables, tokenizer and folder");
        }
        if (!embed.getShape().equals(head.getShape())) {
            throw new IllegalArgumentException("embed_tokens " + embed.getShape() + " and lm_head " + head.getShape()
                    + " of the adapter must have the same shape");
        }
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
