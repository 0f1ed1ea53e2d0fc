package dev.tailor.llm.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A conversation rendered by a chat template: the prompt text and, found on demand, where each message's content
 * sits in it. Contents are data the template placed; the spans tell the tokenizer which characters came from a
 * message (so special-token text typed by a user stays text) and the loss mask which characters are answers.
 */
public final class RenderedChat {

    /** Characters [start, end) of {@code text} (UTF-16 indices) holding the content of message {@code message}. */
    public record Span(int message, int start, int end) {
        public Span {
            if (message < 0 || start < 0 || end < start) {
                throw new IllegalArgumentException("bad span " + message + " [" + start + ", " + end + ")");
            }
        }
    }

    private final String text;
    private final List<ChatMessage> messages;
    private final Supplier<Optional<List<Span>>> locate;
    private Optional<List<Span>> spans;

    RenderedChat(String text, List<ChatMessage> messages, Supplier<Optional<List<Span>>> locate) {
        this.text = text;
        this.messages = List.copyOf(messages);
        this.locate = locate;
    }

    public String text() {
        return text;
    }

    public List<ChatMessage> messages() {
        return messages;
    }

    /**
     * Where the contents are, in order of appearance (a message the template repeats has several spans, one it
     * drops has none); empty when the template's output could not be aligned with the conversation (it rewrites
     * contents beyond trimming them, or its structure depends on what they say).
     */
    public synchronized Optional<List<Span>> contentSpans() {
        if (spans == null) {
            spans = locate.get();
        }
        return spans;
    }

    /**
     * Aligns {@code text} with the same template's output for the same conversation with each content replaced by
     * a sentinel: the template text between sentinels must reappear in order, each sentinel standing for the
     * message's content as given or stripped of surrounding whitespace (Jinja's {@code trim}).
     */
    static Optional<List<Span>> align(String text, String skeleton, List<ChatMessage> messages) {
        List<Span> out = new ArrayList<>();
        int cursor = 0;
        int from = 0;
        while (true) {
            int s = skeleton.indexOf(Sentinels.OPEN, from);
            String piece = skeleton.substring(from, s < 0 ? skeleton.length() : s);
            if (!text.startsWith(piece, cursor)) {
                return Optional.empty();
            }
            cursor += piece.length();
            if (s < 0) {
                return cursor == text.length() ? Optional.of(List.copyOf(out)) : Optional.empty();
            }
            int close = skeleton.indexOf(Sentinels.CLOSE, s);
            int index = close < 0 ? -1 : Sentinels.index(skeleton.substring(s + 1, close), messages.size());
            if (index < 0) {
                return Optional.empty();
            }
            from = close + 1;
            int next = skeleton.indexOf(Sentinels.OPEN, from);
            String following = skeleton.substring(from, next < 0 ? skeleton.length() : next);
            String content = messages.get(index).content();
            int length = -1;
            for (String candidate : new String[] {content, content.strip()}) {
                if (text.startsWith(candidate, cursor) && text.startsWith(following, cursor + candidate.length())) {
                    length = candidate.length();
                    break;
                }
            }
            if (length < 0) {
                return Optional.empty();
            }
            out.add(new Span(index, cursor, cursor + length));
            cursor += length;
        }
    }

    /** Placeholders for contents in the skeleton render: private-use characters around the message index. */
    static final class Sentinels {
        static final char OPEN = '\uE000';
        static final char CLOSE = '\uE001';

        private Sentinels() {
        }

        static String of(int index) {
            return OPEN + Integer.toString(index) + CLOSE;
        }

        static int index(String digits, int messages) {
            if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            int i = Integer.parseInt(digits);
            return i < messages ? i : -1;
        }
    }
}
