package dev.tailor.llm.data;

import dev.tailor.llm.ChatExample;
import dev.tailor.llm.ChatMessage;
import dev.tailor.llm.ChatTemplate;
import dev.tailor.llm.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns an example into token ids and a loss mask, shared by training and evaluation. Chat examples are rendered
 * with the model's chat template; only tokens of assistant contents (and the end-of-sequence token that closes an
 * answer) are targets. Every token of a {@code {"text"}} document is a target, and EOS is appended to it.
 */
public final class ExampleEncoder {

    /**
     * @param ids     token ids (at most maxSeqLength)
     * @param targets targets[i] true when token i counts in the loss (predicted from position i - 1); targets[0]
     *                is always false
     */
    public record Encoded(int[] ids, boolean[] targets) {
        public int targetCount() {
            int n = 0;
            for (boolean t : targets) {
                n += t ? 1 : 0;
            }
            return n;
        }
    }

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;

    public ExampleEncoder(TextTokenizer tokenizer, ChatTemplate template) {
        this.tokenizer = tokenizer;
        this.template = template;
    }

    public Encoded encode(ChatExample example, int maxSeqLength) {
        if (maxSeqLength < 2) {
            throw new IllegalArgumentException("maxSeqLength must be >= 2, got " + maxSeqLength);
        }
        Integer eos = tokenizer.eosIds().isEmpty() ? null : tokenizer.eosIds().iterator().next();
        if (example.isText()) {
            int[] ids = tokenizer.encode(example.text(), true);
            if (eos != null && (ids.length == 0 || ids[ids.length - 1] != eos)) {
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = eos;
            }
            ids = Arrays.copyOf(ids, Math.min(ids.length, maxSeqLength));
            boolean[] targets = new boolean[ids.length];
            Arrays.fill(targets, 1, targets.length, true);
            return new Encoded(ids, targets);
        }
        String text = template.render(example.messages(), false);
        List<int[]> spans = answerSpans(example.messages(), text);
        TextTokenizer.Encoded enc = tokenizer.encodeWithSpans(text, false);
        int n = Math.min(enc.ids().length, maxSeqLength);
        int[] ids = Arrays.copyOf(enc.ids(), n);
        boolean[] targets = new boolean[n];
        for (int i = 1; i < n; i++) {
            int s = enc.starts()[i];
            int e = enc.ends()[i];
            for (int[] span : spans) {
                if (s >= 0 && s < span[1] && e > span[0]) {
                    targets[i] = true;
                }
            }
            // the token that closes an answer (EOS / end of turn) is learned too, so the model learns to stop
            if (!targets[i] && targets[i - 1] && tokenizer.eosIds().contains(ids[i])) {
                targets[i] = true;
            }
        }
        return new Encoded(ids, targets);
    }

    /** Code-point spans [start, end) of each non-empty assistant content inside the rendered conversation. */
    private List<int[]> answerSpans(List<ChatMessage> messages, String text) {
        List<int[]> spans = new ArrayList<>();
        int cursor = 0;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            String content = m.content();
            if (content.isBlank()) {
                continue;
            }
            int from = cursor;
            if (m.role().equals("assistant")) {
                String prefix = template.render(messages.subList(0, i), true);
                if (text.startsWith(prefix)) {
                    from = Math.max(from, prefix.length());
                }
            }
            int at = text.indexOf(content, from);
            String found = content;
            if (at < 0) {
                found = content.strip();
                at = text.indexOf(found, from);
            }
            if (at < 0) {
                if (m.role().equals("assistant")) {
                    throw new IllegalArgumentException("The chat template does not reproduce the assistant message "
                            + "verbatim, so its tokens cannot be located for the loss mask");
                }
                continue;
            }
            if (m.role().equals("assistant")) {
                // the tokenizer reports spans in Unicode code points, Java strings index UTF-16 units
                int start = text.codePointCount(0, at);
                spans.add(new int[] {start, start + found.codePointCount(0, found.length())});
            }
            cursor = at + found.length();
        }
        return spans;
    }
}
