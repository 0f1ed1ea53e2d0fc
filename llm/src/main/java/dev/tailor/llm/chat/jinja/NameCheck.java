package dev.tailor.llm.chat.jinja;

import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.tree.parse.Token;
import com.hubspot.jinjava.tree.parse.TokenScanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters a template names that the engine does not have. Jinja rejects such a template when it compiles it;
 * jinjava would quietly print nothing where the filter is used, and the model would get a prompt with holes.
 */
final class NameCheck {
    private static final Pattern FILTER = Pattern.compile("\\|\\s*([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern STRING = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"");

    private NameCheck() {
    }

    /** "line N: filter 'x'" for each filter used in {@code template} but not in {@code filters}. */
    static List<String> unknownFilters(String template, JinjavaConfig config, Set<String> filters) {
        List<String> problems = new ArrayList<>();
        TokenScanner scanner = new TokenScanner(template, config);
        while (scanner.hasNext()) {
            Token token = scanner.next();
            String code = token instanceof ExpressionToken e ? e.getExpr()
                    : token instanceof TagToken t && !t.getTagName().equals("raw") ? t.getHelpers() : null;
            if (code == null) {
                continue;
            }
            Matcher m = FILTER.matcher(STRING.matcher(code).replaceAll("''"));
            while (m.find()) {
                if (!filters.contains(m.group(1))) {
                    problems.add("line " + token.getLineNumber() + ": filter '" + m.group(1) + "'");
                }
            }
        }
        return problems;
    }
}
