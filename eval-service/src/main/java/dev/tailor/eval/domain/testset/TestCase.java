package dev.tailor.eval.domain.testset;

import dev.tailor.eval.domain.slices.SourceKind;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One example of a test split or eval set, with where it came from. A chat example is scored on its last assistant
 * turn: the conversation before it is the prompt, its content the reference answer. A text example (a document)
 * has no prompt: only its loss is measured.
 *
 * @param id         the example's id in the set: its line number, e.g. {@code 12}
 * @param example    the example itself
 * @param sourceKind the kind of source it came from (cleaning's {@code source.kind})
 * @param sourceFile the source file it came from (cleaning's {@code source.file}), or null
 * @param metadata   the record's metadata fields (cleaning's {@code metadata}), empty when none
 */
public record TestCase(String id, ChatExample example, SourceKind sourceKind, String sourceFile,
                       Map<String, String> metadata) {

    public TestCase {
        if (id == null || id.isBlank() || example == null) {
            throw new IllegalArgumentException("a test case needs an id and an example");
        }
        sourceKind = sourceKind == null ? SourceKind.OTHER : sourceKind;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Whether there is an answer to generate: a chat that ends with an assistant turn after a prompt. */
    public boolean generative() {
        List<ChatMessage> m = example.messages();
        return !example.isText() && m.size() >= 2 && "assistant".equals(m.get(m.size() - 1).role());
    }

    /** The conversation before the scored answer; fails for a text example. */
    public List<ChatMessage> prompt() {
        requireGenerative();
        List<ChatMessage> m = example.messages();
        return m.subList(0, m.size() - 1);
    }

    /** The reference answer: the last assistant turn ("" for a text example). */
    public String reference() {
        return generative() ? example.messages().get(example.messages().size() - 1).content() : "";
    }

    /** The last user turn before the scored answer, for people reading the report ("" when none). */
    public String question() {
        if (!generative()) {
            return "";
        }
        List<ChatMessage> p = prompt();
        for (int i = p.size() - 1; i >= 0; i--) {
            if ("user".equals(p.get(i).role())) {
                return p.get(i).content();
            }
        }
        return "";
    }

    /** User turns up to the scored answer (at least 1). */
    public int turns() {
        if (!generative()) {
            return 1;
        }
        return (int) Math.max(1, prompt().stream().filter(m -> "user".equals(m.role())).count());
    }

    private void requireGenerative() {
        if (!generative()) {
            throw new IllegalStateException("test example " + id + " has no assistant answer to generate");
        }
    }
}
