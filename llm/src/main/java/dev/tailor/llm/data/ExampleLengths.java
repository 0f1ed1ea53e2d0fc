package dev.tailor.llm.data;

import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatTemplate;
import dev.tailor.llm.chat.ChatTemplateException;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.model.ModelConfig;
import java.nio.file.Path;

/**
 * Counts the tokens of examples as training renders them: a base model's tokenizer files (tokenizer.json,
 * tokenizer_config.json with its chat template, config.json; no weights) and {@link ExampleEncoder#length}. Used by
 * the dataset profile (cleaning, {@code tailor clean --profile}). Thread-safe.
 */
public final class ExampleLengths implements AutoCloseable {
    private final TextTokenizer tokenizer;
    private final ExampleEncoder encoder;
    private final String model;

    private ExampleLengths(TextTokenizer tokenizer, String model) {
        this.tokenizer = tokenizer;
        this.model = model;
        this.encoder = new ExampleEncoder(tokenizer, ChatTemplate.of(tokenizer, model));
    }

    /**
     * @param dir   a folder with the model's tokenizer.json and config.json (tokenizer_config.json when it has one)
     * @param model the model's name, for the profile and error messages
     * @throws IllegalArgumentException when the folder lacks what is needed
     */
    public static ExampleLengths load(Path dir, String model) {
        return new ExampleLengths(TextTokenizer.load(dir, ModelConfig.read(dir)), model);
    }

    /** The model's name. */
    public String model() {
        return model;
    }

    /** Whether the tokenizer has a chat template of its own (else the platform's fallback renders chats). */
    public boolean hasChatTemplate() {
        return tokenizer.tokenizerConfig().has("chat_template");
    }

    /**
     * Tokens of one JSONL example line ({@code {"messages"}}, {@code {"prompt","completion"}} or {@code {"text"}}), or
     * -1 when the chat template refuses it (training leaves such examples out).
     */
    public int count(String line) {
        return count(ChatExample.fromJson(line));
    }

    /** Tokens of an example, or -1 when the chat template refuses it. */
    public int count(ChatExample example) {
        try {
            return encoder.length(example);
        } catch (ChatTemplateException e) {
            if (e.kind() == ChatTemplateException.Kind.REFUSED || e.kind() == ChatTemplateException.Kind.CONTENT) {
                return -1;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
