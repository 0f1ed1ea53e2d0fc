package dev.tailor.llm.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A byte-level BPE tokenizer in Hugging Face {@code tokenizer.json} form (GPT-2 byte-to-unicode
 * alphabet): {@code <pad>}=0, {@code <s>}=1, {@code </s>}=2, byte b = 3 + b, then one token per
 * merge (see {@link BpeTrainer}). Any HF tokenizer library reads it. The chat template renders
 * each turn as {@code <s>role\ncontent</s>\n}.
 */
public final class ByteTokenizer {
    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int SIZE = 259;
    public static final String CHAT_TEMPLATE = "{% for m in messages %}<s>{{ m['role'] }}\n{{ m['content'] }}</s>\n"
            + "{% endfor %}{% if add_generation_prompt %}<s>assistant\n{% endif %}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ByteTokenizer() {
    }

    /** Token ids of raw bytes (no BOS/EOS). */
    public static int[] encode(byte[] bytes, int from, int to) {
        int[] ids = new int[to - from];
        for (int i = from; i < to; i++) {
            ids[i - from] = 3 + (bytes[i] & 0xff);
        }
        return ids;
    }

    /** Writes tokenizer.json and tokenizer_config.json into {@code dir} (no merges: one token per byte). */
    public static int write(Path dir, int modelMaxLength) throws IOException {
        return write(dir, modelMaxLength, java.util.List.of());
    }

    /**
     * Writes tokenizer.json (byte-level BPE with these merges, ids 259.. in merge order) and
     * tokenizer_config.json into {@code dir}.
     *
     * @return the vocabulary size
     */
    public static int write(Path dir, int modelMaxLength, java.util.List<String[]> merges) throws IOException {
        Files.createDirectories(dir);
        ObjectNode tok = JSON.createObjectNode();
        tok.put("version", "1.0");
        tok.putNull("truncation");
        tok.putNull("padding");
        ArrayNode added = tok.putArray("added_tokens");
        String[] specials = {"<pad>", "<s>", "</s>"};
        for (int i = 0; i < specials.length; i++) {
            added.addObject().put("id", i).put("content", specials[i]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        tok.putNull("normalizer");
        tok.set("pre_tokenizer", byteLevel());
        tok.set("post_processor", byteLevel());
        tok.set("decoder", byteLevel());
        ObjectNode model = tok.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < specials.length; i++) {
            vocab.put(specials[i], i);
        }
        char[] alphabet = byteAlphabet();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(alphabet[b]), 3 + b);
        }
        ArrayNode mergeList = model.putArray("merges");
        int id = SIZE;
        for (String[] pair : merges) {
            if (!vocab.has(pair[0] + pair[1])) {
                vocab.put(pair[0] + pair[1], id++);
            }
            mergeList.add(pair[0] + " " + pair[1]);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer.json").toFile(), tok);

        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("bos_token", "<s>");
        cfg.put("eos_token", "</s>");
        cfg.put("pad_token", "<pad>");
        cfg.put("add_bos_token", true);
        cfg.put("chat_template", CHAT_TEMPLATE);
        cfg.put("model_max_length", modelMaxLength);
        cfg.put("tokenizer_class", "PreTrainedTokenizerFast");
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(), cfg);
        return id;
    }

    private static ObjectNode byteLevel() {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
        return n;
    }

    /** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 upwards. */
    static char[] byteAlphabet() {
        char[] out = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int next = 0;
        for (int b = 0; b < 256; b++) {
            out[b] = printable[b] ? (char) b : (char) (256 + next++);
        }
        return out;
    }
}
