package dev.tailor.eval.domain.report;

/** Text for HTML and SVG: escaped so that answers and file names are shown, never interpreted. */
final class HtmlText {
    private HtmlText() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        b.append("\uFFFD"); // control characters are not allowed in HTML text
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
