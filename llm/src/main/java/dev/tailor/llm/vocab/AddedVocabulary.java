package dev.tailor.llm.vocab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokens an adapter adds to its base's vocabulary (product terms), each with the id it got and the ids of the
 * sub-tokens the base tokenizer splits it into (their mean embedding is its initial embedding). Written next to the
 * adapter as {@value #FILE}.
 *
 * @param baseVocab rows of the base's embedding table (config.json vocab_size)
 * @param vocabSize rows of the adapter's tables: the base's, grown to hold the highest new id
 * @param tokens    the new tokens, ids ascending
 */
public record AddedVocabulary(int baseVocab, int vocabSize, List<Token> tokens) {

    /** The file next to the adapter. */
    public static final String FILE = "added_vocabulary.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param content the token's text (a term)
     * @param id      its id in the extended tokenizer
     * @param pieces  ids of the sub-tokens the base tokenizer gives the term (at least two)
     */
    public record Token(String content, int id, int[] pieces) {
        public Token {
            if (content == null || content.isBlank()) {
                throw new IllegalArgumentException("an added token needs text");
            }
            if (id < 0 || pieces == null || pieces.length < 2) {
                throw new IllegalArgumentException("added token '" + content + "' needs an id >= 0 and at least two"
                        + " sub-tokens");
            }
            pieces = pieces.clone();
        }
    }

    public AddedVocabulary {
        tokens = List.copyOf(tokens);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("an added vocabulary needs at least one token");
        }
        for (Token t : tokens) {
            if (t.id() >= vocabSize) {
                throw new IllegalArgumentException("added token '" + t.content() + "' has id " + t.id()
                        + " beyond the vocabulary of " + vocabSize);
            }
        }
        if (vocabSize < baseVocab) {
            throw new IllegalArgumentException("the vocabulary of " + vocabSize + " is smaller than the base's "
                    + baseVocab);
        }
    }

    /** Writes {@value #FILE} into {@code dir}. */
    public void write(Path dir) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("base_vocab_size", baseVocab);
        o.put("vocab_size", vocabSize);
        ArrayNode list = o.putArray("tokens");
        for (Token t : tokens) {
            ObjectNode n = list.addObject();
            n.put("content", t.content());
            n.put("id", t.id());
            ArrayNode p = n.putArray("pieces");
            for (int id : t.pieces()) {
                p.add(id);
            }
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(FILE), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + FILE + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@value #FILE} from {@code dir}, or null when the folder has none. */
    public static AddedVocabulary read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode o = MAPPER.readTree(file.toFile());
            List<Token> tokens = new ArrayList<>();
            for (JsonNode n : o.path("tokens")) {
                int[] pieces = new int[n.path("pieces").size()];
                for (int i = 0; i < pieces.length; i++) {
                    pieces[i] = n.path("pieces").get(i).asInt();
                }
                tokens.add(new Token(n.path("content").asText(), n.path("id").asInt(-1), pieces));
            }
            return new AddedVocabulary(o.path("base_vocab_size").asInt(), o.path("vocab_size").asInt(), tokens);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
