package dev.tailor.llm.chat.jinja;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The methods of Python's {@code str} that chat templates call ({@code content.strip()},
 * {@code role.title()}, {@code text.split('</think>')} …), with Python's semantics rather than Java's: templates
 * are written for Jinja on Python, and jinjava would otherwise call whatever Java method has the name.
 */
final class PyStrings {
    private PyStrings() {
    }

    /** Whether {@code name} is a str method this class implements. */
    static boolean supports(String name) {
        return switch (name) {
            case "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith", "upper",
                 "lower", "title", "capitalize", "swapcase", "replace", "find", "rfind", "index", "rindex", "count",
                 "join", "isdigit", "isdecimal", "isnumeric", "isalpha", "isalnum", "isspace", "isupper", "islower",
                 "removeprefix", "removesuffix", "partition", "rpartition" -> true;
            default -> false;
        };
    }

    static Object call(String s, String name, Object[] args) {
        Object[] a = args == null ? new Object[0] : args;
        return switch (name) {
            case "strip" -> strip(s, chars(name, a), true, true);
            case "lstrip" -> strip(s, chars(name, a), true, false);
            case "rstrip" -> strip(s, chars(name, a), false, true);
            case "split" -> split(s, optString(name, a, 0), (int) optLong(name, a, 1, -1), false);
            case "rsplit" -> split(s, optString(name, a, 0), (int) optLong(name, a, 1, -1), true);
            case "splitlines" -> splitlines(s, a.length > 0 && truthy(a[0]));
            case "startswith" -> affix(s, name, a, true);
            case "endswith" -> affix(s, name, a, false);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, s.offsetByCodePoints(0, 1)).toUpperCase(Locale.ROOT)
                    + s.substring(s.offsetByCodePoints(0, 1)).toLowerCase(Locale.ROOT);
            case "swapcase" -> swapcase(s);
            case "replace" -> replace(s, string(name, a, 0), string(name, a, 1), (int) optLong(name, a, 2, -1));
            case "find" -> (long) find(s, name, a, false);
            case "rfind" -> (long) find(s, name, a, true);
            case "index", "rindex" -> {
                int i = find(s, name, a, name.equals("rindex"));
                if (i < 0) {
                    throw new IllegalArgumentException("substring not found (str." + name + ")");
                }
                yield (long) i;
            }
            case "count" -> count(s, string(name, a, 0));
            case "join" -> join(s, name, a);
            case "isdigit", "isdecimal", "isnumeric" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(PyStrings::isSpace);
            case "isupper" -> hasCased(s) && s.equals(s.toUpperCase(Locale.ROOT));
            case "islower" -> hasCased(s) && s.equals(s.toLowerCase(Locale.ROOT));
            case "removeprefix" -> s.startsWith(string(name, a, 0)) ? s.substring(string(name, a, 0).length()) : s;
            case "removesuffix" -> {
                String suffix = string(name, a, 0);
                yield !suffix.isEmpty() && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
            }
            case "partition", "rpartition" -> partition(s, string(name, a, 0), name.equals("rpartition"));
            default -> throw new IllegalArgumentException("str has no method '" + name + "'");
        };
    }

    /** Python's str.isspace for one code point. */
    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** Python's {@code str.strip()} family; {@code chars} null means whitespace. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        while (left && start < end && stripped(s.codePointAt(start), chars)) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (right && end > start && stripped(s.codePointBefore(end), chars)) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    private static boolean stripped(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.indexOf(cp) >= 0;
    }

    private static String chars(String name, Object[] a) {
        return optString(name, a, 0);
    }

    private static List<String> split(String s, String sep, int maxsplit, boolean fromRight) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            List<int[]> words = new ArrayList<>();
            int i = 0;
            while (i < s.length()) {
                while (i < s.length() && isSpace(s.codePointAt(i))) {
                    i += Character.charCount(s.codePointAt(i));
                }
                int from = i;
                while (i < s.length() && !isSpace(s.codePointAt(i))) {
                    i += Character.charCount(s.codePointAt(i));
                }
                if (i > from) {
                    words.add(new int[] {from, i});
                }
            }
            if (maxsplit < 0 || words.size() <= maxsplit + 1) {
                words.forEach(w -> out.add(s.substring(w[0], w[1])));
            } else if (!fromRight) {
                for (int w = 0; w < maxsplit; w++) {
                    out.add(s.substring(words.get(w)[0], words.get(w)[1]));
                }
                out.add(strip(s.substring(words.get(maxsplit)[0]), null, false, true));
            } else {
                int keep = words.size() - maxsplit;
                out.add(strip(s.substring(0, words.get(keep - 1)[1]), null, true, false));
                for (int w = keep; w < words.size(); w++) {
                    out.add(s.substring(words.get(w)[0], words.get(w)[1]));
                }
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator (str.split)");
        }
        if (!fromRight) {
            int from = 0;
            int at;
            while ((maxsplit < 0 || out.size() < maxsplit) && (at = s.indexOf(sep, from)) >= 0) {
                out.add(s.substring(from, at));
                from = at + sep.length();
            }
            out.add(s.substring(from));
            return out;
        }
        int end = s.length();
        int at;
        int splits = 0;
        while ((maxsplit < 0 || splits < maxsplit) && (at = s.lastIndexOf(sep, end - sep.length())) >= 0
                && end - sep.length() >= 0) {
            out.add(0, s.substring(at + sep.length(), end));
            end = at;
            splits++;
        }
        out.add(0, s.substring(0, end));
        return out;
    }

    private static List<String> splitlines(String s, boolean keepEnds) {
        List<String> out = new ArrayList<>();
        int from = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int brk = switch (c) {
                case '\n', '\u000B', '\u000C', '\u001C', '\u001D', '\u001E', '\u0085', '\u2028', '\u2029' -> 1;
                case '\r' -> i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
                default -> 0;
            };
            if (brk > 0) {
                out.add(s.substring(from, keepEnds ? i + brk : i));
                i += brk;
                from = i;
            } else {
                i++;
            }
        }
        if (from < s.length()) {
            out.add(s.substring(from));
        }
        return out;
    }

    private static boolean affix(String s, String name, Object[] a, boolean prefix) {
        if (a.length == 0) {
            throw new IllegalArgumentException("str." + name + "() takes a prefix or suffix");
        }
        int start = (int) clampIndex(optLong(name, a, 1, 0), s.length());
        int end = (int) clampIndex(optLong(name, a, 2, s.length()), s.length());
        if (start > end) {
            return false;
        }
        String region = s.substring(start, end);
        List<String> options = new ArrayList<>();
        if (a[0] instanceof Collection<?> c) {
            c.forEach(o -> options.add(String.valueOf(o)));
        } else {
            options.add(string(name, a, 0));
        }
        for (String o : options) {
            if (prefix ? region.startsWith(o) : region.endsWith(o)) {
                return true;
            }
        }
        return false;
    }

    private static long clampIndex(long i, int length) {
        long j = i < 0 ? i + length : i;
        return Math.max(0, Math.min(length, j));
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isLetter(cp)) {
                out.appendCodePoint(previousCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
                previousCased = true;
            } else {
                out.appendCodePoint(cp);
                previousCased = false;
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static String swapcase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(Character.isUpperCase(cp) ? Character.toLowerCase(cp)
                : Character.isLowerCase(cp) ? Character.toUpperCase(cp) : cp));
        return out.toString();
    }

    private static boolean hasCased(String s) {
        return s.codePoints().anyMatch(cp -> Character.isUpperCase(cp) || Character.isLowerCase(cp));
    }

    private static String replace(String s, String old, String replacement, int count) {
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        int done = 0;
        while (done < count) {
            int at = old.isEmpty() ? (from <= s.length() ? from : -1) : s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            out.append(s, from, at).append(replacement);
            if (old.isEmpty()) {
                if (at < s.length()) {
                    out.append(s.charAt(at));
                }
                from = at + 1;
            } else {
                from = at + old.length();
            }
            done++;
        }
        if (from <= s.length()) {
            out.append(s, Math.min(from, s.length()), s.length());
        }
        return out.toString();
    }

    private static int find(String s, String name, Object[] a, boolean last) {
        String sub = string(name, a, 0);
        int start = (int) clampIndex(optLong(name, a, 1, 0), s.length());
        int end = (int) clampIndex(optLong(name, a, 2, s.length()), s.length());
        if (start > end) {
            return -1;
        }
        String region = s.substring(start, end);
        int at = last ? region.lastIndexOf(sub) : region.indexOf(sub);
        return at < 0 ? -1 : at + start;
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.codePointCount(0, s.length()) + 1L;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static String join(String sep, String name, Object[] a) {
        if (a.length != 1 || !(a[0] instanceof Iterable<?> items)) {
            throw new IllegalArgumentException("str.join() takes one list of strings");
        }
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (Object o : items) {
            if (!(o instanceof CharSequence)) {
                throw new IllegalArgumentException("str.join() expects strings, got " + PyTypes.name(o));
            }
            if (!first) {
                out.append(sep);
            }
            out.append((CharSequence) o);
            first = false;
        }
        return out.toString();
    }

    private static List<String> partition(String s, String sep, boolean last) {
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator (str.partition)");
        }
        int at = last ? s.lastIndexOf(sep) : s.indexOf(sep);
        if (at < 0) {
            return last ? List.of("", "", s) : List.of(s, "", "");
        }
        return List.of(s.substring(0, at), sep, s.substring(at + sep.length()));
    }

    private static String string(String name, Object[] a, int i) {
        if (a.length <= i || !(a[i] instanceof CharSequence)) {
            throw new IllegalArgumentException("str." + name + "() expects a string as argument " + (i + 1)
                    + (a.length > i ? ", got " + PyTypes.name(a[i]) : ""));
        }
        return a[i].toString();
    }

    private static String optString(String name, Object[] a, int i) {
        return a.length <= i || a[i] == null ? null : string(name, a, i);
    }

    private static long optLong(String name, Object[] a, int i, long otherwise) {
        if (a.length <= i || a[i] == null) {
            return otherwise;
        }
        if (!(a[i] instanceof Number n)) {
            throw new IllegalArgumentException("str." + name + "() expects an integer as argument " + (i + 1)
                    + ", got " + PyTypes.name(a[i]));
        }
        return n.longValue();
    }

    private static boolean truthy(Object o) {
        return o instanceof Boolean b ? b : o != null;
    }
}
