package dev.tailor.dataprep.email;

import dev.tailor.dataprep.text.TextNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cleans an e-mail body down to what its author wrote, by the conventions of mail and mailing lists, wherever the
 * text comes from (a message, or a text field of a JSONL, CSV, Parquet or ticket export). Each rule that removed
 * something is named in {@link Cleaned#rules()}:
 * <ul>
 *   <li>{@code original-message}: everything from a forwarded or original-message marker ("-----Original
 *   Message-----", "Begin forwarded message:", their German, French and Spanish forms) or from a block of quoted
 *   header lines ({@code From:}/{@code Date:}/{@code Sent:}/{@code Subject:}/{@code Message-ID:}…, two or more) that
 *   follows the author's text; such a block at the very start is removed alone;</li>
 *   <li>{@code quoted}: quoted lines in the styles {@code >}, {@code |} (not a table row) and {@code Name>}
 *   ({@code JM> }, {@code kevin> }), and snip marks ({@code <snip>}, {@code [...]});</li>
 *   <li>{@code attribution}: the line or two before a quotation that end with ':' ("On … wrote:", "Niall asked:", "On
 *   Sat, … John Gay thought:"), and attribution lines in English, German, French, Spanish, Dutch, Italian and
 *   Portuguese anywhere ("… wrote:", "… said:", "Am … schrieb …:", "Le … a écrit :", "El … escribió:", "Op … schreef",
 *   "Il … ha scritto:", "Em … escreveu:");</li>
 *   <li>{@code signature}: from a {@code -- } line to the end;</li>
 *   <li>{@code mobile-footer}: "Sent from my iPhone", "Get Outlook for Android", "Von meinem iPhone gesendet"… to the
 *   end;</li>
 *   <li>{@code list-footer}: from a line of underscores, or from a line of dashes followed by a mailing-list or
 *   sponsor notice ("mailing list", "listinfo", "unsubscribe", "sponsored by", "Groups Sponsor"), to the end;</li>
 *   <li>{@code sign-off}: a last paragraph of at most three short lines that is a closing ("Thanks, Peter",
 *   "Cheers,\njr", "Regards,", "Later\nKenn", "Mit freundlichen Grüßen") or, when the sender is known, the sender's
 *   name or initials alone ("Niall", "- Matthew", "L.").</li>
 * </ul>
 */
public final class EmailText {
    /** What remained of a body, and for each rule that removed something the text it removed. */
    public record Cleaned(String text, java.util.Map<String, String> removed, int quotedLines) {
        /** The rules that removed something. */
        public Set<String> rules() {
            return removed.keySet();
        }

        /**
         * Whether the text showed e-mail conventions, not just a closing: an original-message marker or quoted header
         * block, a signature, a mobile or list footer, two or more quoted lines, or a quotation after an attribution.
         */
        public boolean looksLikeEmail() {
            return removed.containsKey("original-message") || removed.containsKey("signature")
                    || removed.containsKey("mobile-footer") || removed.containsKey("list-footer") || quotedLines >= 2
                    || quotedLines >= 1 && removed.containsKey("attribution");
        }
    }

    private static final Pattern ORIGINAL = Pattern.compile("(?i)^\\s*(-{2,} ?(Original Message|Forwarded message|"
            + "Ursprüngliche Nachricht|Weitergeleitete Nachricht|Message d'origine|Message transféré|Mensaje original|"
            + "Mensaje reenviado) ?-{2,}.*|Begin forwarded message:\\s*)$");
    private static final Pattern HEADER_LINE = Pattern.compile("(?i)^\\s*\\*?(From|Sent|Date|To|Cc|Subject|Message-ID|"
            + "Reply-To|Newsgroups|Organization|Von|Gesendet|An|Betreff|De|Envoyé|À|Objet|Enviado|Para|Asunto)\\*?:\\s.*");
    private static final Pattern QUOTED = Pattern.compile("^\\s*(>|[A-Za-z][A-Za-z0-9_.-]{0,14}>(?=\\s|$)|\\|(?=\\s|$)).*");
    private static final Pattern SNIP = Pattern.compile("(?i)^\\s*(<\\s*/?snip(ped)?\\s*>|\\[\\s*(snip(ped)?|\\.\\.\\.|…)\\s*]|"
            + "-+\\s*snip\\s*-+|\\(\\s*snip\\s*\\))\\s*$");
    private static final Pattern ATTRIBUTION = Pattern.compile("(?i)^(On |Am |Le |El |Op |Il |Em |Quoting |In (message|article) )?"
            + "[^\\n]{0,200}\\b(wrote|writes|said|says|schrieb|a écrit|escribió|schreef|ha scritto|escreveu|skrev|kirjoitti|"
            + "napisał)( the following)?\\s?:\\s*$");
    private static final Pattern SIGNATURE = Pattern.compile("^-- ?$");
    private static final Pattern MOBILE = Pattern.compile("(?i)^\\s*(Sent from my \\w+.*|Sent from (Mail|Outlook|Yahoo Mail|"
            + "Gmail|Samsung).*|Get Outlook for (iOS|Android).*|Sent via .{0,40}(mobile|phone|BlackBerry).*|"
            + "Von meinem \\w+.*gesendet.*|Envoyé de mon \\w+.*|Enviado desde mi \\w+.*|Verzonden vanaf mijn \\w+.*)$");
    private static final Pattern UNDERSCORES = Pattern.compile("^_{10,}\\s*$");
    private static final Pattern DASHES = Pattern.compile("^\\s*-{10,}.*$");
    private static final Pattern LIST_NOTICE = Pattern.compile("(?i).*(mailing list|listinfo|unsubscribe|sponsored by|"
            + "groups sponsor|list archive|posting guidelines|for \\(un\\)subscription).*");
    private static final Pattern CLOSING = Pattern.compile("(?i)^[-–\\s]*(thanks?( you| again| in advance| a lot)?|thx|tia|"
            + "cheers|regards|best( regards| wishes)?|kind regards|warm regards|many thanks|all the best|later|ciao|bye|"
            + "hth|rgds|br|yours( truly| sincerely)?|sincerely|take care|gruß|grüße|viele grüße|liebe grüße|"
            + "mit freundlichen grüßen|mfg|cordialement|bien à vous|amicalement|saludos( cordiales)?|un saludo|"
            + "atentamente|groeten|met vriendelijke groet|distinti saluti|cumprimentos|abraços)\\b[\\s,.!]*(\\p{L}[\\p{L}.'-]*"
            + "(\\s+\\p{L}[\\p{L}.'-]*){0,2})?[\\s,.!]*$");
    /** A name whose sender is unknown: one to three capitalised words ("John Gay"), not a sentence ("Hope this helps."). */
    private static final Pattern CAPITALIZED_NAME = Pattern.compile("^[-–~\\s]*\\p{Lu}[\\p{L}.'-]*(\\s+\\p{Lu}[\\p{L}.'-]*){0,2}[\\s,!]*$");
    private static final Pattern NAME_LINE = Pattern.compile("^[-–~\\s]*(\\p{L}[\\p{L}.'-]*)(\\s+\\p{L}[\\p{L}.'-]*){0,2}[\\s,.!]*$");

    private EmailText() {
    }

    /** The body without quotes, attributions, signatures, footers and closings (the sender unknown). */
    public static String clean(String body) {
        return apply(body, null, true).text();
    }

    /**
     * The body without quotes, attributions, signatures, footers and sign-offs, and the rules that removed something.
     *
     * @param sender the From header ("Niall O Broin &lt;niall@linux.ie&gt;"), or null: then only closings are taken
     *     for sign-offs, not a name alone
     * @param signOffs remove sign-offs
     */
    public static Cleaned apply(String body, String sender, boolean signOffs) {
        java.util.Map<String, String> rules = new java.util.LinkedHashMap<>();
        int[] quoted = {0};
        List<String> lines = new ArrayList<>(List.of(body.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)));
        cutAtEnd(lines, rules);
        removeQuotes(lines, rules, quoted);
        if (signOffs) {
            removeSignOff(lines, rules, sender);
        }
        return new Cleaned(TextNormalizer.normalize(String.join("\n", lines)), java.util.Collections.unmodifiableMap(rules), quoted[0]);
    }

    /** Original messages, quoted header blocks, signatures, mobile and list footers: cut to the end. */
    private static void cutAtEnd(List<String> lines, java.util.Map<String, String> rules) {
        boolean text = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            String rule = null;
            if (ORIGINAL.matcher(l).matches()) {
                rule = l.strip().startsWith("_") ? "list-footer" : "original-message";
            } else if (HEADER_LINE.matcher(l).matches() && i + 1 < lines.size() && HEADER_LINE.matcher(lines.get(i + 1)).matches()) {
                if (!text) { // headers at the very start: remove the block alone
                    int j = i;
                    while (j < lines.size() && HEADER_LINE.matcher(lines.get(j)).matches()) {
                        j++;
                    }
                    removed(rules, "original-message", lines.subList(i, j));
                    lines.subList(i, j).clear();
                    i--;
                    continue;
                }
                rule = "original-message";
            } else if (SIGNATURE.matcher(l).matches()) {
                rule = "signature";
            } else if (MOBILE.matcher(l).matches()) {
                rule = "mobile-footer";
            } else if (UNDERSCORES.matcher(l).matches() || DASHES.matcher(l).matches() && listNoticeFollows(lines, i)) {
                rule = "list-footer";
            }
            if (rule != null) {
                removed(rules, rule, lines.subList(i, lines.size()));
                lines.subList(i, lines.size()).clear();
                return;
            }
            text |= !l.isBlank() && !QUOTED.matcher(l).matches();
        }
    }

    private static boolean listNoticeFollows(List<String> lines, int i) {
        for (int j = i; j < Math.min(lines.size(), i + 3); j++) {
            if (LIST_NOTICE.matcher(lines.get(j)).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Quoted lines, snip marks, and the attribution lines before a quotation (or matching an attribution anywhere). */
    private static void removeQuotes(List<String> lines, java.util.Map<String, String> rules, int[] quoted) {
        List<String> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (quoted(l) || SNIP.matcher(l).matches()) {
                dropAttribution(out, rules);
                removed(rules, "quoted", List.of(l));
                quoted[0]++;
                continue;
            }
            out.add(l);
        }
        for (int i = out.size() - 1; i >= 0; i--) {
            String l = out.get(i);
            if (l.length() <= 250 && ATTRIBUTION.matcher(l).matches()) {
                int from = i > 0 && out.get(i - 1).length() <= 200 && ATTRIBUTION_START.matcher(out.get(i - 1)).find()
                        && !out.get(i - 1).strip().matches(".*[.!?]$") ? i - 1 : i; // "On Mon, 5 Aug 2002, Skip" / "Montanaro wrote:"
                removed(rules, "attribution", out.subList(from, i + 1));
                out.subList(from, i + 1).clear();
                i = from;
            }
        }
        lines.clear();
        lines.addAll(out);
    }

    /** A quoted line; a '|' line that is a table row (ends with '|' or has more cells) is not one. */
    static boolean quoted(String l) {
        if (!QUOTED.matcher(l).matches()) {
            return false;
        }
        String s = l.strip();
        return !(s.startsWith("|") && s.length() > 1 && (s.endsWith("|") || s.chars().filter(c -> c == '|').count() >= 3));
    }

    /** Before a quotation: the last line or two kept so far, if they end with ':' (the attribution), are dropped. */
    private static void dropAttribution(List<String> out, java.util.Map<String, String> rules) {
        int end = out.size();
        while (end > 0 && out.get(end - 1).isBlank()) {
            end--;
        }
        if (end == 0) {
            return;
        }
        String last = out.get(end - 1).strip();
        if (!last.endsWith(":") || last.length() > 200) {
            return;
        }
        int start = end - 1;
        String before = start > 0 ? out.get(start - 1).strip() : "";
        if (!before.isEmpty() && before.length() <= 200 && (before.endsWith(",") || ATTRIBUTION_START.matcher(before).find())) {
            start--; // a wrapped attribution: "On Sat, Jul 20, 2002 at 08:48:30PM +0100," / "John Gay thought:"
        }
        removed(rules, "attribution", out.subList(start, end));
        out.subList(start, out.size()).clear();
    }

    private static final Pattern ATTRIBUTION_START = Pattern.compile("(?i)^(On|Am|Le|El|Op|Il|Em|Quoting|In (message|article)) ");

    /**
     * A last paragraph that is a closing, or the sender's name or initials alone; then once more (a closing and the name
     * in two paragraphs: "Cheers,\n\nJohn Gay"); a name-like last paragraph after a closing paragraph goes with it.
     */
    private static void removeSignOff(List<String> lines, java.util.Map<String, String> rules, String sender) {
        for (int pass = 0; pass < 2; pass++) {
            int[] last = lastParagraph(lines, lines.size());
            if (last == null) {
                return;
            }
            List<String> para = lines.subList(last[0], last[1]);
            boolean closing = closing(para);
            boolean name = !closing && para.stream().allMatch(l -> NAME_LINE.matcher(l).matches())
                    && (sender != null && para.stream().allMatch(l -> namesSender(l, sender))
                    || para.stream().allMatch(l -> CAPITALIZED_NAME.matcher(l).matches()) && closingBefore(lines, last[0]));
            if (!closing && !name) {
                return;
            }
            removed(rules, "sign-off", para);
            para.clear();
        }
    }

    /** {start, end} of the last paragraph before {@code end}, if it is short (at most 3 lines, 60 characters) and not the first. */
    private static int[] lastParagraph(List<String> lines, int to) {
        int end = to;
        while (end > 0 && lines.get(end - 1).isBlank()) {
            end--;
        }
        int start = end;
        while (start > 0 && !lines.get(start - 1).isBlank()) {
            start--;
        }
        if (start == 0 || end == start || end - start > 3 || lines.subList(start, end).stream().mapToInt(String::length).sum() > 60) {
            return null;
        }
        return new int[] {start, end};
    }

    private static boolean closing(List<String> para) {
        return CLOSING.matcher(para.get(0)).matches() && para.stream().skip(1).allMatch(l -> NAME_LINE.matcher(l).matches());
    }

    /** The paragraph before {@code start} is a closing ("Cheers," before "John Gay"). */
    private static boolean closingBefore(List<String> lines, int start) {
        int[] before = lastParagraph(lines, start);
        return before != null && closing(lines.subList(before[0], before[1]));
    }

    /** Records the first text a rule removed (up to 300 characters), for the report's samples. */
    private static void removed(java.util.Map<String, String> rules, String rule, List<String> lines) {
        if (!rules.containsKey(rule)) {
            String t = String.join("\n", lines).strip();
            rules.put(rule, t.length() > 300 ? t.substring(0, 300) + "…" : t);
        }
    }

    /** A line of 1–3 words that are the sender's names or initials ("Niall", "- Matthew", "L.", "jr"). */
    static boolean namesSender(String line, String sender) {
        String from = sender.toLowerCase(Locale.ROOT);
        String[] parts = from.replaceAll("<[^>]*>|\\([^)]*\\)|\"", " ").strip().split("[\\s,]+");
        String local = from.replaceAll(".*<([^@>]+)@.*", "$1").replaceAll("^([^@<\\s]+)@.*", "$1");
        String initials = java.util.Arrays.stream(parts).filter(p -> !p.isEmpty()).map(p -> p.substring(0, 1))
                .reduce("", String::concat);
        for (String w : line.toLowerCase(Locale.ROOT).replaceAll("[-–~,.!]", " ").strip().split("\\s+")) {
            boolean known = w.equals(initials) || w.equals(local) || w.length() == 1 && initials.startsWith(w)
                    || java.util.Arrays.asList(parts).contains(w);
            if (!known) {
                return false;
            }
        }
        return true;
    }

    /** The subject without reply/forward prefixes and list tags: "Re: [ILUG] Secure access" → "Secure access". */
    public static String subject(String subject) {
        if (subject == null) {
            return "";
        }
        String s = subject.strip();
        String before;
        do {
            before = s;
            s = s.replaceFirst("(?i)^(re|fw|fwd|aw|sv|vs)(\\[\\d+])?:\\s*", "").replaceFirst("^\\[[^\\]]{1,40}]\\s*", "");
        } while (!s.equals(before));
        return s.strip();
    }
}
