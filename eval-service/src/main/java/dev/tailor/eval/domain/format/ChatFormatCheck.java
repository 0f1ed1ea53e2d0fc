package dev.tailor.eval.domain.format;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A heuristic for "the answer keeps the chat format": an answer that contains the text of chat-template control
 * tokens or starts a line with a role header has run past its own turn (a missing or untrained end-of-turn token,
 * a wrong template, a wrong stop string). It looks for
 * <ul>
 *   <li>well-known control-token texts: ChatML ({@code <|im_start|>}, {@code <|im_end|>}), Llama 3
 *       ({@code <|start_header_id|>}, {@code <|eot_id|>} …), Llama 2 / Mistral ({@code [INST]}, {@code [/INST]},
 *       {@code <<SYS>>}, {@code </s>}), Gemma ({@code <start_of_turn>}, {@code <end_of_turn>}), and any
 *       {@code <|word|>} token (Phi, Zephyr, GPT-style {@code <|endoftext|>});</li>
 *   <li>the special-token texts of the model's own tokenizer, when the caller passes them;</li>
 *   <li>a role header at the start of a line: {@code system:}, {@code user:}, {@code assistant:},
 *       {@code human:} (any case), or Alpaca's {@code ### Instruction:} / {@code ### Response:}.</li>
 * </ul>
 * A marker that the reference answer itself contains is not counted (answers about chat templates may quote them).
 * {@code </s>} is also HTML's closing strikethrough tag; in support answers that is rare enough to accept.
 */
public final class ChatFormatCheck {
    private static final List<String> KNOWN = List.of("<|im_start|>", "<|im_end|>", "<|begin_of_text|>",
            "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|end_of_text|>", "<|endoftext|>",
            "[INST]", "[/INST]", "<<SYS>>", "<</SYS>>", "</s>", "<start_of_turn>", "<end_of_turn>");
    private static final Pattern PIPE_TOKEN = Pattern.compile("<\\|[A-Za-z0-9_]{1,40}\\|>");
    private static final Pattern ROLE_HEADER = Pattern.compile(
            "^[ \\t]*(?:(?:system|user|assistant|human)[ \\t]*:|###[ \\t]*(?:instruction|response|input)[ \\t]*:)",
            Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);

    private final List<String> markers;

    /** With the well-known markers only. */
    public ChatFormatCheck() {
        this(List.of());
    }

    /** @param specialTokens the model's own special-token texts (e.g. from its tokenizer.json), added to the list */
    public ChatFormatCheck(Collection<String> specialTokens) {
        Set<String> all = new LinkedHashSet<>(KNOWN);
        for (String t : specialTokens) {
            if (t != null && !t.isBlank()) {
                all.add(t);
            }
        }
        this.markers = List.copyOf(all);
    }

    /** The markers in {@code answer} that {@code reference} does not contain, in order of first occurrence. */
    public List<String> leakedMarkers(String answer, String reference) {
        String ref = reference == null ? "" : reference;
        Map<String, Integer> first = new LinkedHashMap<>();
        for (String m : markers) {
            int at = answer.indexOf(m);
            if (at >= 0 && !ref.contains(m)) {
                first.putIfAbsent(m, at);
            }
        }
        Matcher pipe = PIPE_TOKEN.matcher(answer);
        while (pipe.find()) {
            if (!ref.contains(pipe.group())) {
                first.putIfAbsent(pipe.group(), pipe.start());
            }
        }
        Set<String> referenceHeaders = roleHeaders(ref).keySet();
        roleHeaders(answer).forEach((header, at) -> {
            if (!referenceHeaders.contains(header)) {
                first.putIfAbsent(header, at);
            }
        });
        return first.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
    }

    /**
     * The role headers at line starts, lowercased without blanks ({@code ### Response :} → {@code ###response:}),
     * each with the position of its first occurrence.
     */
    private static Map<String, Integer> roleHeaders(String text) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher m = ROLE_HEADER.matcher(text);
        while (m.find()) {
            out.putIfAbsent(m.group().replaceAll("[ \\t]", "").toLowerCase(Locale.ROOT), m.start());
        }
        return out;
    }

    /** The format check of one generation: how it ended and what it leaked. */
    public FormatCheck check(String answer, String finishReason, String reference) {
        return new FormatCheck(FinishReason.of(finishReason), leakedMarkers(answer, reference));
    }
}
