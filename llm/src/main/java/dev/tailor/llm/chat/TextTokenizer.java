package dev.tailor.llm.chat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.llm.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tokenizer.json} through DJL's Hugging Face tokenizer (truncation and padding off: DJL would otherwise cut
 * at 512 tokens) plus the special tokens of {@code tokenizer_config.json}. Thread-safe.
 */
public final class TextTokenizer implements AutoCloseable {

    /** Token ids with the character span [start, end) each covers in the text (-1 when none). */
    public record Encoded(int[] ids, int[] starts, int[] ends) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, String> OPTIONS = Map.of("truncation", "false", "padding", "false",
            "addSpecialTokens", "true");

    private final HuggingFaceTokenizer tokenizer;
    private final JsonNode tokenizerJson;
    private final JsonNode tokenizerConfig;
    private final SpecialTokens specials;
    private HuggingFaceTokenizer plain;
    private final Integer bosId;
    private final boolean addBos;
    private final Set<Integer> eosIds;
    private final Integer padId;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, JsonNode tokenizerJson, JsonNode tokenizerConfig,
                          ModelConfig config, List<Integer> generationEos) {
        this.tokenizer = tokenizer;
        this.tokenizerJson = tokenizerJson;
        this.tokenizerConfig = tokenizerConfig;
        this.specials = SpecialTokens.of(tokenizerJson);
        String bos = specialToken("bos_token");
        boolean hasConfig = !tokenizerConfig.isMissingNode();
        if (bos != null) {
            bosId = tokenId(bos);
        } else {
            bosId = hasConfig && tokenizerConfig.has("bos_token") ? null : config.bosTokenId();
        }
        addBos = bosId != null && tokenizerConfig.path("add_bos_token").asBoolean(true);
        Set<Integer> eos = new LinkedHashSet<>(config.eosTokenIds());
        eos.addAll(generationEos);
        String eosToken = specialToken("eos_token");
        if (eosToken != null && tokenId(eosToken) != null) {
            eos.add(tokenId(eosToken));
        }
        this.eosIds = Collections.unmodifiableSet(eos);
        String pad = specialToken("pad_token");
        this.padId = pad == null ? null : tokenId(pad);
    }

    /** Loads {@code dir/tokenizer.json} and, when present, {@code dir/tokenizer_config.json}. */
    public static TextTokenizer load(Path dir, ModelConfig config) {
        Path file = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No tokenizer.json in " + dir
                    + ": Tailor needs a Hugging Face fast tokenizer file next to the weights");
        }
        try {
            Path cfg = dir.resolve("tokenizer_config.json");
            JsonNode tc = Files.isRegularFile(cfg) ? MAPPER.readTree(cfg.toFile()) : MAPPER.missingNode();
            JsonNode json = MAPPER.readTree(file.toFile());
            HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(file, OPTIONS);
            return new TextTokenizer(tok, json, tc, config, generationEos(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load tokenizer from " + dir + ": " + e.getMessage(), e);
        }
    }

    /** eos_token_id of generation_config.json (instruct models list their end-of-turn tokens there). */
    private static List<Integer> generationEos(Path dir) throws IOException {
        Path f = dir.resolve("generation_config.json");
        List<Integer> ids = new ArrayList<>();
        if (Files.isRegularFile(f)) {
            JsonNode e = MAPPER.readTree(f.toFile()).path("eos_token_id");
            if (e.isArray()) {
                e.forEach(n -> ids.add(n.asInt()));
            } else if (e.isNumber()) {
                ids.add(e.asInt());
            }
        }
        return ids;
    }

    /** The content of a special token entry of tokenizer_config.json (string or AddedToken object), or null. */
    public String specialToken(String key) {
        JsonNode n = tokenizerConfig.path(key);
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isObject() && n.path("content").isTextual()) {
            return n.path("content").asText();
        }
        return null;
    }

    /** Id of a single token written as text (e.g. {@code </s>}), or null when it is not one token. */
    public Integer tokenId(String token) {
        long[] ids = tokenizer.encode(token, false, false).getIds();
        return ids.length == 1 ? (int) ids[0] : null;
    }

    /** Token ids of {@code text}; with {@code addSpecial} the tokenizer's own specials plus BOS when the model uses one. */
    public int[] encode(String text, boolean addSpecial) {
        return encodeWithSpans(text, addSpecial).ids();
    }

    /** Like {@link #encode} with the character span of each token (BOS added here has span -1). */
    public Encoded encodeWithSpans(String text, boolean addSpecial) {
        Encoding e = tokenizer.encode(text, addSpecial, false);
        return fromEncoding(e.getIds(), e.getCharTokenSpans(), addSpecial);
    }

    private Encoded fromEncoding(long[] ids, CharSpan[] spans, boolean addSpecial) {
        boolean prepend = addSpecial && addBos && (ids.length == 0 || ids[0] != bosId);
        int off = prepend ? 1 : 0;
        int[] out = new int[ids.length + off];
        int[] starts = new int[out.length];
        int[] ends = new int[out.length];
        if (prepend) {
            out[0] = bosId;
            starts[0] = ends[0] = -1;
        }
        for (int i = 0; i < ids.length; i++) {
            out[i + off] = (int) ids[i];
            CharSpan s = spans == null || i >= spans.length ? null : spans[i];
            starts[i + off] = s == null ? -1 : s.getStart();
            ends[i + off] = s == null ? -1 : s.getEnd();
        }
        return new Encoded(out, starts, ends);
    }

    /**
     * Token ids of a rendered conversation (no BOS added: templates write their own). Text the template wrote is
     * tokenized as transformers tokenizes it, special tokens included; text that came from a message never becomes
     * a special token: when a message holds the text of one (a user typing {@code <|im_start|>} or {@code </s>}),
     * that occurrence is tokenized as plain text, as transformers does with {@code split_special_tokens=True}. Only
     * then is the rendering aligned with the conversation; otherwise the result is exactly the plain tokenization
     * of the prompt.
     *
     * @throws ChatTemplateException when a message holds special-token text and the template rewrites messages
     *                               so that it cannot be told apart from the template's own tokens
     */
    public Encoded encodeChat(RenderedChat chat) {
        Encoded whole = encodeWithSpans(chat.text(), false);
        if (chat.messages().stream().noneMatch(m -> specials.occursIn(m.content()))) {
            return whole;
        }
        List<RenderedChat.Span> spans = chat.contentSpans().orElseThrow(() -> new ChatTemplateException(
                ChatTemplateException.Kind.CONTENT, null, -1, "A message contains the text of a special token ("
                + specials.firstIn(chat.messages()) + ") and the chat template rewrites messages, so it cannot be "
                + "kept as plain text; remove that text from the message", null));
        return SpecialTokenGuard.protect(chat.text(), spans, whole, specials, this::plainEncode);
    }

    /** Encoding of {@code text} with no special token recognised and nothing prepended (see {@link #encodeChat}). */
    private synchronized Encoded plainEncode(String text) {
        if (plain == null) {
            try (var in = new java.io.ByteArrayInputStream(MAPPER.writeValueAsBytes(
                    PlainTokenizerJson.of(tokenizerJson)))) {
                plain = HuggingFaceTokenizer.newInstance(in, OPTIONS);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot build the plain-text tokenizer: " + e.getMessage(), e);
            }
        }
        Encoding e = plain.encode(text, false, false);
        return fromEncoding(e.getIds(), e.getCharTokenSpans(), false);
    }

    /** The special tokens of tokenizer.json ({@code added_tokens} marked special). */
    public SpecialTokens specialTokens() {
        return specials;
    }

    /** Text of {@code ids} without special tokens. */
    public String decode(int[] ids) {
        return decode(ids, true);
    }

    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, skipSpecialTokens);
    }

    public Integer bosId() {
        return bosId;
    }

    public Set<Integer> eosIds() {
        return eosIds;
    }

    public Integer padId() {
        return padId;
    }

    /** The raw tokenizer_config.json (missing node when absent). */
    public JsonNode tokenizerConfig() {
        return tokenizerConfig;
    }

    @Override
    public synchronized void close() {
        tokenizer.close();
        if (plain != null) {
            plain.close();
        }
    }
}
