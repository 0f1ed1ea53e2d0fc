package dev.tailor.llm.vocab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.io.CheckpointWriter;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Extends a base tokenizer with product terms: each term the base splits into two or more sub-tokens becomes one new
 * token (a normalized, non-special {@code added_tokens} entry of {@code tokenizer.json}, as transformers'
 * {@code tokenizer.add_tokens} writes it), and its embedding row (and output row when the head is untied) starts as
 * the mean of its sub-tokens' rows, so the model starts out reading the term as it read its pieces.
 */
public final class VocabularyExtension {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The flag and metadata field the cleaning stage writes on a glossary's examples (dataprep's GlossarySource). */
    private static final String GLOSSARY_FLAG = "glossary";
    private static final String TERM_FIELD = "term";

    private VocabularyExtension() {
    }

    /**
     * The terms of a split's glossary examples (lines flagged {@code glossary} with a {@code metadata.term}), in the
     * order they first appear, each once: what a job extends the vocabulary with when it lists no terms itself.
     *
     * @param source names the split in error messages
     */
    public static List<String> glossaryTerms(InputStream split, String source) throws IOException {
        LinkedHashSet<String> terms = new LinkedHashSet<>();
        ChatExample.readJsonl(split, source, Integer.MAX_VALUE, (n, line) -> {
            JsonNode j;
            try {
                j = MAPPER.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
            }
            boolean glossary = false;
            for (JsonNode f : j.path("flags")) {
                glossary |= GLOSSARY_FLAG.equals(f.asText());
            }
            String term = j.path("metadata").path(TERM_FIELD).asText("").strip();
            if (glossary && !term.isEmpty()) {
                terms.add(term);
            }
            return term;
        });
        return List.copyOf(terms);
    }

    /**
     * A term as said in text: without a trailing qualifier in parentheses ("Autovacuum (process)" → "Autovacuum"),
     * the rule of dataprep's {@code GlossarySource.spoken} (which turns the same rows into questions).
     */
    public static String spoken(String term) {
        return term.replaceAll("\\s*\\([^)]*\\)\\s*$", "").strip();
    }

    /**
     * The new tokens for {@code terms}: every distinct term (see {@link #spoken}) that {@code base} splits into at least
     * two sub-tokens, with the ids the extended tokenizer will give them; null when no term needs a token.
     *
     * @param baseDir folder of the base's tokenizer.json
     * @throws IllegalArgumentException when more than {@code maxNewTokens} terms need a token
     */
    public static AddedVocabulary plan(Path baseDir, TextTokenizer base, ModelConfig config, List<String> terms,
                                       int maxNewTokens) {
        JsonNode json = readJson(baseDir.resolve("tokenizer.json"));
        Set<String> taken = new HashSet<>();
        json.path("added_tokens").forEach(t -> taken.add(t.path("content").asText()));
        int next = nextId(json);
        List<AddedVocabulary.Token> tokens = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : terms) {
            String term = spoken(raw);
            if (term.isEmpty() || !seen.add(term) || taken.contains(term)) {
                continue;
            }
            int[] pieces = base.encode(term, false);
            if (pieces.length >= 2) {
                tokens.add(new AddedVocabulary.Token(term, next + tokens.size(), pieces));
            }
        }
        if (tokens.size() > maxNewTokens) {
            throw new IllegalArgumentException(tokens.size() + " terms are split into several tokens by the base "
                    + "tokenizer and would become new tokens, more than vocabulary.maxNewTokens (" + maxNewTokens
                    + "); raise vocabulary.maxNewTokens or list fewer terms (first over the limit: '"
                    + tokens.get(maxNewTokens).content() + "')");
        }
        if (tokens.isEmpty()) {
            return null;
        }
        int last = tokens.get(tokens.size() - 1).id();
        return new AddedVocabulary(config.vocabSize(), Math.max(config.vocabSize(), last + 1), tokens);
    }

    /** The id the tokenizer gives its next added token: one past the highest id of its model and added tokens. */
    static int nextId(JsonNode tokenizerJson) {
        int max = -1;
        JsonNode vocab = tokenizerJson.path("model").path("vocab");
        if (vocab.isObject()) {
            for (JsonNode id : (Iterable<JsonNode>) vocab::elements) {
                max = Math.max(max, id.asInt());
            }
        } else if (vocab.isArray()) {
            max = vocab.size() - 1; // Unigram: [piece, score] pairs, ids by position
        }
        for (JsonNode t : tokenizerJson.path("added_tokens")) {
            max = Math.max(max, t.path("id").asInt());
        }
        return max + 1;
    }

    /**
     * Writes the extended tokenizer into {@code outDir}: tokenizer.json with the new tokens appended to
     * {@code added_tokens}, tokenizer_config.json with them in {@code added_tokens_decoder}, the base's
     * generation_config.json and special_tokens_map.json, and {@value AddedVocabulary#FILE}. Checks that the written
     * tokenizer reads every term as its one new token.
     */
    public static void writeTokenizer(Path baseDir, AddedVocabulary vocabulary, Path outDir, ModelConfig config) {
        try {
            Files.createDirectories(outDir);
            ObjectNode json = (ObjectNode) readJson(baseDir.resolve("tokenizer.json"));
            ArrayNode added = json.get("added_tokens") instanceof ArrayNode a ? a : json.putArray("added_tokens");
            for (AddedVocabulary.Token t : vocabulary.tokens()) {
                added.add(entry(t, true));
            }
            Files.writeString(outDir.resolve("tokenizer.json"), MAPPER.writeValueAsString(json));
            Path cfg = baseDir.resolve("tokenizer_config.json");
            if (Files.isRegularFile(cfg)) {
                ObjectNode tc = (ObjectNode) readJson(cfg);
                if (tc.get("added_tokens_decoder") instanceof ObjectNode decoder) {
                    for (AddedVocabulary.Token t : vocabulary.tokens()) {
                        ObjectNode e = entry(t, false);
                        decoder.set(Integer.toString(t.id()), e);
                    }
                }
                Files.writeString(outDir.resolve("tokenizer_config.json"),
                        MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tc));
            }
            for (String f : CheckpointWriter.TOKENIZER_FILES) {
                if (!f.equals("tokenizer.json") && !f.equals("tokenizer_config.json")
                        && Files.isRegularFile(baseDir.resolve(f))) {
                    Files.copy(baseDir.resolve(f), outDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            vocabulary.write(outDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the extended tokenizer to " + outDir + ": " + e.getMessage(),
                    e);
        }
        try (TextTokenizer extended = TextTokenizer.load(outDir, config)) {
            for (AddedVocabulary.Token t : vocabulary.tokens()) {
                int[] ids = extended.encode(t.content(), false);
                if (ids.length != 1 || ids[0] != t.id()) {
                    throw new IllegalStateException("The extended tokenizer reads '" + t.content() + "' as "
                            + java.util.Arrays.toString(ids) + ", not as the new token " + t.id());
                }
            }
        }
    }

    private static ObjectNode entry(AddedVocabulary.Token t, boolean withId) {
        ObjectNode e = MAPPER.createObjectNode();
        if (withId) {
            e.put("id", t.id());
        }
        e.put("content", t.content());
        e.put("single_word", false);
        e.put("lstrip", false);
        e.put("rstrip", false);
        e.put("normalized", true);
        e.put("special", false);
        return e;
    }

    /**
     * Copies the files of an extended tokenizer folder ({@link CheckpointWriter#TOKENIZER_FILES} and
     * {@value AddedVocabulary#FILE}) to {@code to}; nothing when they are the same folder.
     */
    public static void copyTokenizer(Path from, Path to) {
        try {
            if (Files.isSameFile(from, Files.createDirectories(to))) {
                return;
            }
            CheckpointWriter.copyTokenizer(from, to);
            if (Files.isRegularFile(from.resolve(AddedVocabulary.FILE))) {
                Files.copy(from.resolve(AddedVocabulary.FILE), to.resolve(AddedVocabulary.FILE),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the tokenizer to " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * The base's table (V, H) grown to (V', H) in {@code m} as {@code type}: the base's rows, and each new token's row
     * the mean of its sub-tokens' rows (computed in float32).
     */
    public static NDArray grow(NDArray table, AddedVocabulary vocabulary, NDManager m, DataType type) {
        long h = table.getShape().get(1);
        long v = table.getShape().get(0);
        try (NDManager scratch = m.newSubManager()) {
            NDArray base = table.toType(DataType.FLOAT32, true);                            // (V, H)
            base.attach(scratch);
            NDArray grown = vocabulary.vocabSize() > v
                    ? base.concat(scratch.zeros(new Shape(vocabulary.vocabSize() - v, h)), 0) : base; // (V', H)
            for (AddedVocabulary.Token t : vocabulary.tokens()) {
                long[] pieces = java.util.Arrays.stream(t.pieces()).asLongStream().toArray();
                NDArray mean = base.get(new NDIndex("{}", scratch.create(pieces))).mean(new int[] {0}); // (H)
                grown.set(new NDIndex(t.id()), mean);
            }
            NDArray out = grown.toType(type, true);
            out.attach(m);
            return out;
        }
    }

    /** The new tables of {@code base} for {@code vocabulary}: embedding and, when untied, output layer. */
    public static NDArray[] tables(Transformer base, AddedVocabulary vocabulary, NDManager m, DataType type) {
        NDArray embed = grow(base.embedTokens(), vocabulary, m, type);
        NDArray head = base.config().tieWordEmbeddings() ? embed : grow(base.lmHead(), vocabulary, m, type);
        return new NDArray[] {embed, head};
    }

    private static JsonNode readJson(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
