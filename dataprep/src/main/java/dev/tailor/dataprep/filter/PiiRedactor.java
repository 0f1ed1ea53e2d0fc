package dev.tailor.dataprep.filter;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.tailor.dataprep.config.PiiSettings;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data with typed placeholders: {@code <EMAIL>}, {@code <PHONE>}, {@code <CARD>}
 * (Luhn-checked), {@code <IBAN>} (mod-97-checked), {@code <IP>}, plus user patterns
 * ({@code name → regex}, replaced by {@code <NAME>} upper-cased). Counts every replacement per type.
 * <p>Phone numbers: those written internationally ({@code +} and a country code) are found and validated with
 * libphonenumber against the numbering plan of their country, whatever their grouping ({@code +353 1 8064276},
 * {@code +44 (0)1483 301793}); national numbers ({@code 01 46 42 43 02}, {@code 800-683-3077}) by a pattern of
 * digit groups with 7 to 15 digits, because libphonenumber needs to know their country, which a text does not say
 * (with one default country it missed about half the national numbers of other countries in a mail corpus); when
 * {@code phoneRegion} names the country, libphonenumber validates national numbers against its numbering plan.
 * <p>With {@code piiContext} (the default), a match is judged by where it stands, so that technical text keeps its
 * numbers (measured on a labelled set of real mail and documentation: {@code PiiLabelledSetTest}):
 * <ul>
 *   <li>a card number needs a real issuer prefix and length (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay,
 *   Maestro), and is never the fraction of a decimal ({@code 5020.0000000000000000}), one digit repeated, nor a cell
 *   beside another number in a table row;</li>
 *   <li>a national phone number is never a date ({@code 1994-11-27}), a year range ({@code 1996-2022}), a time, a
 *   decimal or version, a number in a row of numbers ({@code 46 50 0.25 1994-11-27}) or a line of code, unless a word
 *   says it is one (tel, phone, fax, call, mobile…);</li>
 *   <li>an e-mail address inside a URL ({@code selm=…@…}, {@code /message-id/…@…}) or a Message-ID is no address;</li>
 *   <li>an IP address after Section, Chapter, Table, version… is a section or version number; loopback, unspecified,
 *   broadcast and documentation addresses (RFC 5737) are never personal; private ones are redacted only when
 *   {@code ipAddresses} is {@code all}.</li>
 * </ul>
 */
public final class PiiRedactor {
    /** A match: its type and place in the text it was found in. */
    public record Span(String type, int start, int end) {
    }

    @FunctionalInterface
    private interface Check {
        boolean ok(String text, int start, int end);
    }

    private record Rule(String type, Pattern pattern, Check check, boolean builtIn) {
    }

    /** The region of numbers written without a country code: none, so only international numbers are found. */
    private static final String UNKNOWN_REGION = "ZZ";
    /** A '+' before a digit: only then can the text hold an international number (libphonenumber is not called else). */
    private static final Pattern INTERNATIONAL_PREFIX = Pattern.compile("\\+[ (]{0,2}\\d");
    private static final Pattern CARD_ISSUER = Pattern.compile("4\\d{12}(\\d{3}){0,2}|5[1-5]\\d{14}|2(2[2-9]\\d|[3-6]\\d\\d|7[01]\\d|720)\\d{12}"
            + "|3[47]\\d{13}|6(011|5\\d\\d|4[4-9]\\d)\\d{12,15}|35(2[89]|[3-8]\\d)\\d{12,15}|3(0[0-5]|[68]\\d)\\d{11,16}"
            + "|62\\d{14,17}|(50|5[6-8]|6\\d)\\d{10,17}");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.:])\\d+(?:[.,]\\d+)?(?![\\w.:])");
    /** A word that says a phone number follows (within a few characters: "mobile: (+353 or 0)86 …"). */
    private static final Pattern PHONE_WORD = Pattern.compile("(?i)(?<!\\p{L})(tel|phone|fon|fax|call|calling|mobile|cell|ph|t|m|f|"
            + "tél|telefon|téléphone|teléfono|handy|rufen|appelez|llame)\\b[^\\n\\p{L}]{0,14}(or [^\\n\\p{L}]{0,6})?$");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}|\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}");
    private static final Pattern YEAR_RANGE = Pattern.compile("(19|20)\\d\\d\\s?[-–]\\s?(19|20)\\d\\d");
    private static final Pattern CODE_LINE = Pattern.compile("[;{}=]|\\b(select|insert|update|where|from|printf|return|int|char)\\b"
            + "|→|\\|\\s*$|^\\s*\\|");
    private static final Pattern SECTION_WORD = Pattern.compile("(?i)(?<!\\p{L})(section|sections|chapter|chapters|table|figure|"
            + "example|appendix|version|release|v|§|step|rule|item|part|standard|rfc|iso|ieee|ecma|din|en)\\.?\\s*$");
    private static final Pattern URL_TOKEN = Pattern.compile("(?i)(https?://|ftp://|news:|www\\.)\\S*$|[=/]$");
    private static final Pattern MESSAGE_ID = Pattern.compile("(?i)(message-id|msg-id|references|in-reply-to)\\s*:?\\s*<?\\s*$");

    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Long> keptByContext = new LinkedHashMap<>();
    private final boolean context;
    private final String ipAddresses;
    private final String phoneRegion;

    /** The redactor of earlier versions: every match of the patterns (no context), every IP address. */
    public PiiRedactor(Map<String, String> userPatterns) {
        this(new PiiSettings(true, userPatterns, false, "all", null));
    }

    public PiiRedactor(PiiSettings settings) {
        this.context = settings.piiContext();
        this.ipAddresses = settings.ipAddresses();
        this.phoneRegion = settings.phoneRegion();
        rules.add(new Rule("EMAIL", Pattern.compile("(?<![\\w.+-])[\\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){0,16}\\.[A-Za-z]{2,24}\\b"),
                (t, s, e) -> !context || emailInContext(t, s), true));
        rules.add(new Rule("IBAN", Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b"),
                (t, s, e) -> ibanValid(t.substring(s, e)), true));
        rules.add(new Rule("CARD", Pattern.compile("(?<![\\d-])(?:\\d[ -]?){12,18}\\d(?![\\d-])"),
                (t, s, e) -> luhnValid(t.substring(s, e)) && (!context || cardInContext(t, s, e)), true));
        rules.add(new Rule("IP", Pattern.compile("(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?![\\d.])"
                + "|(?<![\\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\\w:])"), (t, s, e) -> !context || ipInContext(t, s, e), true));
        rules.add(new Rule("PHONE", Pattern.compile("(?<![\\w+.-])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]\\d{2,5}){1,4}(?![\\w:]|[.-]?\\d|[ ]\\d)"
                + "|(?<![\\w+])\\+\\d{8,14}(?!\\w)"), (t, s, e) -> phoneLike(t.substring(s, e)) && (!context || phoneInContext(t, s, e)), true));
        settings.piiPatterns().forEach((name, regex) -> rules.add(new Rule(name.toUpperCase(), Pattern.compile(regex), (t, s, e) -> true, false)));
    }

    /** Returns {@code text} with every match replaced; counts accumulate across calls. */
    public String redact(String text) {
        List<Span> spans = find(text);
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int last = 0;
        for (Span s : spans) {
            sb.append(text, last, s.start()).append('<').append(s.type()).append('>');
            last = s.end();
            counts.merge(s.type(), 1L, Long::sum);
        }
        return sb.append(text, last, text.length()).toString();
    }

    /**
     * The personal data in {@code text}, in order and not overlapping: rules in their order (e-mail, IBAN, card, IP,
     * phone, user patterns), international phone numbers with the phone rule; a later rule's match that overlaps an
     * earlier one's is left out. Counts nothing.
     */
    public List<Span> find(String text) {
        int digits = 0;
        boolean at = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '@') {
                at = true;
            }
        }
        List<Span> found = new ArrayList<>();
        for (Rule r : rules) {
            if (r.builtIn() && (r.type().equals("EMAIL") ? !at : digits < 4)) {
                continue; // cannot match: an e-mail address needs '@', the other built-in types at least 4 digits
            }
            if (r.type().equals("PHONE") && INTERNATIONAL_PREFIX.matcher(text).find()) {
                for (PhoneNumberMatch m : PhoneNumberUtil.getInstance().findNumbers(text, UNKNOWN_REGION,
                        PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
                    add(found, new Span("PHONE", m.start(), m.end()));
                }
            }
            if (r.type().equals("PHONE") && context && phoneRegion != null) {
                for (PhoneNumberMatch m : PhoneNumberUtil.getInstance().findNumbers(text, phoneRegion,
                        PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
                    if (phoneInContext(text, m.start(), m.end(), true)) {
                        add(found, new Span("PHONE", m.start(), m.end()));
                    }
                }
                continue; // the region's numbering plan replaces the pattern of digit groups
            }
            // a user's pattern runs against a deadline: a catastrophic one rejects this record, not the dataset
            Matcher m = r.pattern().matcher(r.builtIn() ? text : TimeBoundText.of(text, r.type()));
            while (m.find()) {
                if (overlaps(found, m.start(), m.end())) {
                    continue;
                }
                if (r.check().ok(text, m.start(), m.end())) {
                    found.add(new Span(r.type(), m.start(), m.end()));
                } else if (context && r.builtIn() && passesPattern(r.type(), text.substring(m.start(), m.end()))) {
                    keptByContext.merge(r.type(), 1L, Long::sum);
                }
            }
        }
        found.sort(Comparator.comparingInt(Span::start));
        return found;
    }

    private static void add(List<Span> found, Span s) {
        if (!overlaps(found, s.start(), s.end())) {
            found.add(s);
        }
    }

    private static boolean overlaps(List<Span> found, int start, int end) {
        for (Span s : found) {
            if (start < s.end() && s.start() < end) {
                return true;
            }
        }
        return false;
    }

    /** Whether a match the context kept would have been redacted by the pattern and checksum alone. */
    private static boolean passesPattern(String type, String match) {
        return switch (type) {
            case "CARD" -> luhnValid(match);
            case "PHONE" -> phoneLike(match);
            default -> true;
        };
    }

    public Map<String, Long> counts() {
        return counts;
    }

    /** Matches of the patterns that their context showed not to be personal data, per type. */
    public Map<String, Long> keptByContext() {
        return keptByContext;
    }

    private static boolean emailInContext(String t, int s) {
        String before = t.substring(Math.max(0, lineStart(t, s)), s);
        int space = Math.max(before.lastIndexOf(' '), before.lastIndexOf('\t'));
        String token = before.substring(space + 1);
        return !URL_TOKEN.matcher(token).find() && !MESSAGE_ID.matcher(before).find()
                && !(before.endsWith("<") && before.length() > 1 && MESSAGE_ID.matcher(before.substring(0, before.length() - 1)).find());
    }

    private static boolean cardInContext(String t, int s, int e) {
        String digits = t.substring(s, e).replaceAll("[ -]", "");
        if (!CARD_ISSUER.matcher(digits).matches() || digits.chars().distinct().count() == 1) {
            return false;
        }
        if (s > 0 && (t.charAt(s - 1) == '.' || t.charAt(s - 1) == ',') && s > 1 && Character.isDigit(t.charAt(s - 2))) {
            return false; // the fraction of a decimal
        }
        return !numberBeside(t, s, e);
    }

    /** The token before or after the match (past spaces and column bars) is a number: a cell of a table row. */
    private static boolean numberBeside(String t, int s, int e) {
        String before = t.substring(lineStart(t, s), s).replaceAll("[\\s|,;]+$", "");
        String after = t.substring(e, lineEnd(t, e)).replaceAll("^[\\s|,;]+", "");
        return before.matches(".*(^|[\\s|])[-+]?\\d+(\\.\\d+)?") || after.matches("[-+]?\\d+(\\.\\d+)?([\\s|].*)?");
    }

    private boolean ipInContext(String t, int s, int e) {
        String before = t.substring(lineStart(t, s), s);
        if (SECTION_WORD.matcher(before).find()) {
            return false;
        }
        if (e < t.length() && (t.charAt(e) == '/' || t.charAt(e) == '\'') || s > 0 && t.charAt(s - 1) == '\''
                || before.strip().endsWith("→") || before.strip().endsWith("::ffff:")) {
            return false; // a network (CIDR), a literal in code, or a result in a table of functions
        }
        String ip = t.substring(s, e);
        if (ip.contains(":")) {
            return !ipAddresses.equals("none");
        }
        String[] p = ip.split("\\.");
        int a = Integer.parseInt(p[0]);
        int b = Integer.parseInt(p[1]);
        int c = Integer.parseInt(p[2]);
        boolean never = a == 0 || a == 127 || a == 255 || a >= 224 || a == 192 && b == 0 && c == 2
                || a == 198 && b == 51 && c == 100 || a == 203 && b == 0 && c == 113;
        boolean internal = a == 10 || a == 172 && b >= 16 && b <= 31 || a == 192 && b == 168 || a == 169 && b == 254;
        return !never && switch (ipAddresses) {
            case "none" -> false;
            case "public" -> !internal;
            default -> true;
        };
    }

    private static boolean phoneInContext(String t, int s, int e) {
        return phoneInContext(t, s, e, false);
    }

    /** @param validated libphonenumber found it valid for a known region: a row of other numbers does not matter */
    private static boolean phoneInContext(String t, int s, int e, boolean validated) {
        String match = t.substring(s, e);
        String before = t.substring(lineStart(t, s), s);
        if (PHONE_WORD.matcher(before.length() > 30 ? before.substring(before.length() - 30) : before).find()) {
            return true; // "Tel: 01 46 42 43 02"
        }
        if (SECTION_WORD.matcher(before).find()) {
            return false; // "IEEE Standard 802-2001"
        }
        if (e + 1 < t.length() && t.charAt(e) == '.' && Character.isLetter(t.charAt(e + 1))) {
            return false; // part of a host name (203-236-237-170.rev.example.net)
        }
        if (match.startsWith("+")) {
            return match.matches("\\+[\\d]+") ? otherNumbers(t, s, e) == 0 : true; // "-2147483648 to +2147483647"
        }
        if (DATE.matcher(match).find() || YEAR_RANGE.matcher(match).find() || match.matches("[\\d.\\s]+") && match.contains(".")) {
            return false;
        }
        if (s > 0 && (t.charAt(s - 1) == ':' || t.charAt(s - 1) == '.' || t.charAt(s - 1) == ',')) {
            return false; // a time (09:51 1249), a decimal or a list of numbers
        }
        String line = t.substring(lineStart(t, s), lineEnd(t, e));
        return (validated || otherNumbers(t, s, e) < 2) && !CODE_LINE.matcher(line).find();
    }

    /** Numbers on the match's line outside it: a row of a table, or a list of values. */
    private static int otherNumbers(String t, int s, int e) {
        String line = t.substring(lineStart(t, s), s) + " " + t.substring(e, lineEnd(t, e));
        Matcher m = NUMBER.matcher(line);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static int lineStart(String t, int i) {
        return t.lastIndexOf('\n', Math.max(0, i - 1)) + 1;
    }

    private static int lineEnd(String t, int i) {
        int n = t.indexOf('\n', i);
        return n < 0 ? t.length() : n;
    }

    static boolean luhnValid(String s) {
        String digits = s.replaceAll("[ -]", "");
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    static boolean ibanValid(String s) {
        String iban = s.replace(" ", "");
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder num = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            num.append(Character.isLetter(c) ? String.valueOf(c - 'A' + 10) : String.valueOf(c));
        }
        return new BigInteger(num.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    private static boolean phoneLike(String s) {
        long digits = s.chars().filter(Character::isDigit).count();
        // dates (2024-01-02) and versions (1.2.3) are not phone numbers
        return digits >= 7 && digits <= 15 && !s.matches("\\d{4}-\\d{2}-\\d{2}") && !s.matches("[\\d.]+");
    }
}
