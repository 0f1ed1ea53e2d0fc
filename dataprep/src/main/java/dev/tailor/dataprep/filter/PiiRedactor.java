package dev.tailor.dataprep.filter;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
 * (with one default country it missed about half the national numbers of other countries in a mail corpus).
 */
public final class PiiRedactor {
    private record Rule(String type, Pattern pattern, Predicate<String> check, boolean builtIn) {
        Rule(String type, Pattern pattern, Predicate<String> check) {
            this(type, pattern, check, true);
        }
    }

    /** The region of numbers written without a country code: none, so only international numbers are found. */
    private static final String UNKNOWN_REGION = "ZZ";
    /** A '+' before a digit: only then can the text hold an international number (libphonenumber is not called else). */
    private static final Pattern INTERNATIONAL_PREFIX = Pattern.compile("\\+[ (]{0,2}\\d");
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();

    public PiiRedactor(Map<String, String> userPatterns) {
        rules.add(new Rule("EMAIL", Pattern.compile("(?<![\\w.+-])[\\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b"), s -> true));
        rules.add(new Rule("IBAN", Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b"), PiiRedactor::ibanValid));
        rules.add(new Rule("CARD", Pattern.compile("(?<![\\d-])(?:\\d[ -]?){12,18}\\d(?![\\d-])"), PiiRedactor::luhnValid));
        rules.add(new Rule("IP", Pattern.compile("(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?![\\d.])"
                + "|(?<![\\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\\w:])"), s -> true));
        rules.add(new Rule("PHONE", Pattern.compile("(?<![\\w+.-])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]\\d{2,5}){1,4}(?![\\w:]|[.-]?\\d|[ ]\\d)"
                + "|(?<![\\w+])\\+\\d{8,14}(?!\\w)"), PiiRedactor::phoneLike));
        if (userPatterns != null) {
            userPatterns.forEach((name, regex) -> rules.add(new Rule(name.toUpperCase(), Pattern.compile(regex), s -> true, false)));
        }
    }

    /** Returns {@code text} with every match replaced; counts accumulate across calls. */
    public String redact(String text) {
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
        String t = text;
        for (Rule r : rules) {
            if (r.builtIn() && (r.type().equals("EMAIL") ? !at : digits < 4)) {
                continue; // cannot match: an e-mail address needs '@', the other built-in types at least 4 digits
            }
            if (r.type().equals("PHONE") && INTERNATIONAL_PREFIX.matcher(t).find()) {
                t = internationalPhones(t);
            }
            Matcher m = r.pattern().matcher(t);
            if (!m.find()) {
                continue;
            }
            StringBuilder sb = new StringBuilder(t.length());
            int last = 0;
            do {
                if (r.check().test(m.group())) {
                    sb.append(t, last, m.start()).append('<').append(r.type()).append('>');
                    last = m.end();
                    counts.merge(r.type(), 1L, Long::sum);
                }
            } while (m.find());
            sb.append(t, last, t.length());
            t = sb.toString();
        }
        return t;
    }

    /** {@code text} with every valid international phone number replaced by {@code <PHONE>}. */
    private String internationalPhones(String text) {
        StringBuilder sb = null;
        int last = 0;
        for (PhoneNumberMatch m : PhoneNumberUtil.getInstance().findNumbers(text, UNKNOWN_REGION,
                PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
            if (sb == null) {
                sb = new StringBuilder(text.length());
            }
            sb.append(text, last, m.start()).append("<PHONE>");
            last = m.end();
            counts.merge("PHONE", 1L, Long::sum);
        }
        return sb == null ? text : sb.append(text, last, text.length()).toString();
    }

    public Map<String, Long> counts() {
        return counts;
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
