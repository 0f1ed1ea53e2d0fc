package dev.tailor.llm.data;

import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatMessage;
import dev.tailor.llm.chat.ChatTemplate;
import dev.tailor.llm.chat.ChatTemplateException;
import dev.tailor.llm.chat.RenderedChat;
import dev.tailor.llm.chat.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns an example into token ids and a loss mask, shared by training and evaluation. Chat examples are rendered
 * with the model's chat template; only tokens of assistant contents (and the end-of-sequence token that closes an
 * answer) are targets. Every token of a {@code {"text"}} document is a target, and EOS is appended to it.
 *
 * <p>Fitting into {@code maxSeqLength} (as chat fine-tuning frameworks do, the answer is what is learned):
 * <ul>
 * <li>Chat: the last tokens are kept and the prompt is cut from the LEFT, so the final answer (through the EOS
 *     that closes it) survives. A leading BOS the template emitted stays first (one slot of the budget). If the
 *     final answer does not fit with what the template puts after it, those trailing non-target tokens go first.
 *     If the answer alone does not fit, the window is the prompt's last {@code max(1, budget / 4)} tokens followed
 *     by the start of the answer (its end and EOS are lost). The first token of a cut window is never a target
 *     (its context is gone); earlier answers that fall inside the window stay targets. A conversation without an
 *     assistant answer keeps its first {@code maxSeqLength} tokens (it has no targets either way).</li>
 * <li>{@code {"text"}}: the first {@code maxSeqLength} tokens (unchanged; plain text has no answer to protect).</li>
 * </ul>
 * An example therefore ends up without targets only when it had no answer tokens to begin with (or
 * maxSeqLength is too small to hold one answer token after its predecessor). {@link Encoded#truncated()} says
 * whether anything was cut, so callers can count and report it.
 */
public final class ExampleEncoder {

    /**
     * @param ids     token ids (at most maxSeqLength)
     * @param targets    targets[i] true when token i counts in the loss (predicted from position i - 1);
     *                   targets[0] is always false
     * @param fullLength tokens of the whole example before it was fit into maxSeqLength
     */
    public record Encoded(int[] ids, boolean[] targets, int fullLength) {
        public Encoded(int[] ids, boolean[] targets) {
            this(ids, targets, ids.length);
        }

        /** Whether tokens were cut to fit maxSeqLength ({@code fullLength} is the length before). */
        public boolean truncated() {
            return fullLength > ids.length;
        }

        public int targetCount() {
            int n = 0;
            for (boolean t : targets) {
                n += t ? 1 : 0;
            }
            return n;
        }
    }

    /**
     * Examples encoded together: those the chat template refused (its own {@code raise_exception}, e.g. a system
     * turn a model does not support) or whose text could not be kept as text are left out and counted.
     *
     * @param skipped     examples left out
     * @param firstReason why the first one was left out (null when none was)
     */
    public record Batch(List<Encoded> encoded, int skipped, String firstReason) {
        public Batch {
            encoded = List.copyOf(encoded);
        }

        public int truncated() {
            return (int) encoded.stream().filter(Encoded::truncated).count();
        }
    }

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;

    public ExampleEncoder(TextTokenizer tokenizer, ChatTemplate template) {
        this.tokenizer = tokenizer;
        this.template = template;
    }

    /**
     * Encodes every example, leaving out (and counting) those the chat template refuses; a template that is
     * broken or runs into a limit fails the whole batch.
     */
    public Batch encodeAll(List<ChatExample> examples, int maxSeqLength) {
        List<Encoded> out = new ArrayList<>(examples.size());
        int skipped = 0;
        String first = null;
        for (ChatExample e : examples) {
            try {
                out.add(encode(e, maxSeqLength));
            } catch (ChatTemplateException refused) {
                if (refused.kind() != ChatTemplateException.Kind.REFUSED
                        && refused.kind() != ChatTemplateException.Kind.CONTENT) {
                    throw refused;
                }
                skipped++;
                first = first == null ? refused.getMessage() : first;
            }
        }
        return new Batch(out, skipped, first);
    }

    /**
     * Tokens of the whole example as {@link #encode} sees it before fitting it into maxSeqLength (its
     * {@link Encoded#fullLength()}), without working out the loss mask: what a profile of the data counts.
     *
     * @throws ChatTemplateException when the chat template refuses the example or fails
     */
    public int length(ChatExample example) {
        if (example.isText()) {
            int[] ids = tokenizer.encode(example.text(), true);
            Integer eos = tokenizer.eosIds().isEmpty() ? null : tokenizer.eosIds().iterator().next();
            return ids.length + (eos != null && (ids.length == 0 || ids[ids.length - 1] != eos) ? 1 : 0);
        }
        return tokenizer.encodeChat(template.render(example.messages(), false)).ids().length;
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
            int full = ids.length;
            ids = Arrays.copyOf(ids, Math.min(ids.length, maxSeqLength));
            boolean[] targets = new boolean[ids.length];
            Arrays.fill(targets, 1, targets.length, true);
            return new Encoded(ids, targets, full);
        }
        RenderedChat chat = template.render(example.messages(), false);
        List<int[]> spans = answerSpans(chat);
        TextTokenizer.Encoded enc = tokenizer.encodeChat(chat);
        int n = enc.ids().length;
        int[] ids = enc.ids();
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
        return n <= maxSeqLength ? new Encoded(ids, targets, n) : fit(ids, targets, maxSeqLength);
    }

    /** Cuts a chat sequence longer than {@code max} by the rule in the class comment. */
    private Encoded fit(int[] ids, boolean[] targets, int max) {
        int n = ids.length;
        int end = n - 1; // last target: the final answer's closing token
        while (end > 0 && !targets[end]) {
            end--;
        }
        if (end == 0) { // no answer: nothing to protect
            return new Encoded(Arrays.copyOf(ids, max), Arrays.copyOf(targets, max), n);
        }
        int start = end; // first token of the final answer
        while (start > 1 && targets[start - 1]) {
            start--;
        }
        Integer bos = tokenizer.bosId();
        boolean keepBos = bos != null && ids[0] == bos && max >= 3;
        int budget = keepBos ? max - 1 : max;
        int from;
        if (n - budget <= start - 1) { // the last tokens hold the answer and the token it is predicted from
            from = n - budget;
        } else if (end + 1 - budget <= start - 1) { // without what follows the answer it fits
            from = end + 1 - budget;
        } else { // the answer alone is too long: a little prompt, then as much of the answer as fits
            from = start - Math.min(start, Math.max(1, budget / 4));
        }
        if (from == 0) {
            keepBos = false;
            budget = max;
        }
        int offset = keepBos ? 1 : 0;
        int[] out = new int[offset + budget];
        boolean[] outTargets = new boolean[out.length];
        System.arraycopy(ids, from, out, offset, budget);
        System.arraycopy(targets, from, outTargets, offset, budget);
        if (keepBos) {
            out[0] = bos;
        }
        outTargets[0] = false;
        outTargets[offset] = false; // predicted from a context that was cut away
        return new Encoded(out, outTargets, n);
    }

    /**
     * Code-point spans [start, end) of each non-empty assistant content inside the rendered conversation: where the
     * rendering aligns with the conversation (see {@link RenderedChat#contentSpans()}), exactly; otherwise each
     * content is searched after its predecessor and, for answers, after the prompt that precedes it.
     */
    private List<int[]> answerSpans(RenderedChat chat) {
        String text = chat.text();
        List<ChatMessage> messages = chat.messages();
        List<int[]> spans = new ArrayList<>();
        Optional<List<RenderedChat.Span>> located = chat.contentSpans();
        if (located.isPresent()) {
            for (RenderedChat.Span s : located.get()) {
                if (messages.get(s.message()).role().equals("assistant") && s.end() > s.start()) {
                    int start = text.codePointCount(0, s.start());
                    spans.add(new int[] {start, start + text.codePointCount(s.start(), s.end())});
                }
            }
            return spans;
        }
        int cursor = 0;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            String content = m.content();
            if (content.isBlank()) {
                continue;
            }
            int from = cursor;
            if (m.role().equals("assistant")) {
                String prefix = template.render(messages.subList(0, i), true).text();
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
