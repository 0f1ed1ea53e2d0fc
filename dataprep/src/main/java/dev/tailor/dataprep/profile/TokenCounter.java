package dev.tailor.dataprep.profile;

import java.util.function.ToIntFunction;

/**
 * Counts the tokens of a kept example as training will see it: {@code count} gets the example's line as it is written
 * to its split ({@code {"messages": [...]}} or {@code {"text": ...}}) and renders it the way the training worker does
 * (the base model's chat template and tokenizer, {@code ExampleEncoder} of the llm module).
 *
 * @param tokenizer what counts, for the profile's label (e.g. the base model's name)
 * @param count     tokens of one split line
 */
public record TokenCounter(String tokenizer, ToIntFunction<String> count) {
    public TokenCounter {
        if (tokenizer == null || tokenizer.isBlank() || count == null) {
            throw new IllegalArgumentException("a token counter needs the tokenizer's name and a counting function");
        }
    }
}
