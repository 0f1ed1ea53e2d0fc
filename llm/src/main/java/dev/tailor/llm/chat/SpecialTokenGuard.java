package dev.tailor.llm.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Replaces special tokens that the tokenizer found inside message contents by the plain-text tokens of the same
 * characters. The tokenizer splits text at special tokens before anything else, so the neighbouring tokens are
 * exactly what they would be either way; only the special token itself changes.
 */
final class SpecialTokenGuard {
    private SpecialTokenGuard() {
    }

    /**
     * @param spans contents in {@code text} (UTF-16 indices)
     * @param whole the tokenization of the whole text (token spans in code points)
     * @param plain tokenizes a string with no special tokens and nothing prepended
     */
    static TextTokenizer.Encoded protect(String text, List<RenderedChat.Span> spans, TextTokenizer.Encoded whole,
                                         SpecialTokens specials, Function<String, TextTokenizer.Encoded> plain) {
        List<int[]> content = new ArrayList<>(spans.size()); // code-point ranges
        for (RenderedChat.Span s : spans) {
            content.add(new int[] {text.codePointCount(0, s.start()), text.codePointCount(0, s.end())});
        }
        List<Integer> ids = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < whole.ids().length; i++) {
            int id = whole.ids()[i];
            int start = whole.starts()[i];
            int end = whole.ends()[i];
            if (specials.isSpecial(id) && inside(content, start, end)) {
                String characters = text.substring(text.offsetByCodePoints(0, start),
                        text.offsetByCodePoints(0, end));
                TextTokenizer.Encoded replacement = plain.apply(characters);
                for (int j = 0; j < replacement.ids().length; j++) {
                    if (specials.isSpecial(replacement.ids()[j])) {
                        throw new ChatTemplateException(ChatTemplateException.Kind.CONTENT, null, -1,
                                "The text '" + characters + "' in a message cannot be tokenized without a special "
                                        + "token of this tokenizer; remove it from the message", null);
                    }
                    ids.add(replacement.ids()[j]);
                    starts.add(replacement.starts()[j] < 0 ? -1 : start + replacement.starts()[j]);
                    ends.add(replacement.ends()[j] < 0 ? -1 : start + replacement.ends()[j]);
                }
            } else {
                ids.add(id);
                starts.add(start);
                ends.add(end);
            }
        }
        return new TextTokenizer.Encoded(toArray(ids), toArray(starts), toArray(ends));
    }

    private static boolean inside(List<int[]> content, int start, int end) {
        if (start < 0) {
            return false;
        }
        for (int[] c : content) {
            if (start >= c[0] && end <= c[1]) {
                return true;
            }
        }
        return false;
    }

    private static int[] toArray(List<Integer> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
