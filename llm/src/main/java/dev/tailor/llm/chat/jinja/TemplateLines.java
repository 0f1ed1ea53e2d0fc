package dev.tailor.llm.chat.jinja;

import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.tree.parse.TextToken;
import com.hubspot.jinjava.tree.parse.Token;
import com.hubspot.jinjava.tree.parse.TokenScanner;
import java.util.ArrayList;
import java.util.List;

/**
 * The real line of a tag or expression in a template. With trim_blocks on, jinjava does not count the newlines it
 * trims after block tags, so the line numbers in its errors drift below the real ones; the tags and expressions
 * are the same with and without trimming, so a second scan without it gives their true lines.
 */
final class TemplateLines {
    private final List<Token> trimmed;
    private final List<Token> plain;

    TemplateLines(String template, JinjavaConfig trimmedConfig) {
        this.trimmed = code(new TokenScanner(template, trimmedConfig));
        this.plain = code(new TokenScanner(template, JinjavaConfig.newBuilder()
                .withLegacyOverrides(trimmedConfig.getLegacyOverrides()).build()));
    }

    private static List<Token> code(TokenScanner scanner) {
        List<Token> out = new ArrayList<>();
        while (scanner.hasNext()) {
            Token t = scanner.next();
            if (!(t instanceof TextToken)) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * @param reported the line jinjava reported
     * @param code     the tag or expression it named (may be null)
     * @return the line in the template as written, or {@code reported} when no token matches
     */
    int realLine(int reported, String code) {
        if (reported < 1 || trimmed.size() != plain.size()) {
            return reported;
        }
        int candidate = -1;
        for (int i = 0; i < trimmed.size(); i++) {
            Token t = trimmed.get(i);
            if (t.getLineNumber() != reported) {
                continue;
            }
            if (code != null && !code.isBlank() && t.getImage().contains(code.strip())) {
                return plain.get(i).getLineNumber();
            }
            if (candidate < 0) {
                candidate = plain.get(i).getLineNumber();
            }
        }
        return candidate < 0 ? reported : candidate;
    }
}
