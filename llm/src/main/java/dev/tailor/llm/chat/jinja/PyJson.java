package dev.tailor.llm.chat.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Python's {@code json.dumps} output format, for the {@code tojson} filter of chat templates. */
final class PyJson {
    private PyJson() {
    }

    /**
     * @param indent        null for one line; a number of spaces or a string to indent nested levels with
     * @param itemSeparator null for Python's default ({@code ", "} on one line, {@code ","} when indented)
     * @param keySeparator  null for {@code ": "}
     */
    static String dumps(Object value, Object indent, String itemSeparator, String keySeparator, boolean sortKeys,
                        boolean ensureAscii) {
        String unit = indent == null ? null
                : indent instanceof Number n ? " ".repeat(Math.max(0, n.intValue())) : indent.toString();
        String items = itemSeparator != null ? itemSeparator : unit == null ? ", " : ",";
        String keys = keySeparator != null ? keySeparator : ": ";
        StringBuilder out = new StringBuilder();
        write(out, value, unit, items, keys, sortKeys, ensureAscii, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object v, String unit, String items, String keys, boolean sort,
                              boolean ascii, int level) {
        RenderBudget.current().charge(1);
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            out.append(v);
        } else if (v instanceof Number n) {
            out.append(pyFloat(n.doubleValue()));
        } else if (v instanceof CharSequence s) {
            string(out, s.toString(), ascii);
        } else if (v instanceof Map<?, ?> m) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
            if (sort) {
                entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
            }
            if (entries.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            for (int i = 0; i < entries.size(); i++) {
                separate(out, i > 0, items, unit, level + 1);
                string(out, String.valueOf(entries.get(i).getKey()), ascii);
                out.append(keys);
                write(out, entries.get(i).getValue(), unit, items, keys, sort, ascii, level + 1);
            }
            newline(out, unit, level);
            out.append('}');
        } else if (v instanceof Iterable<?> list) {
            List<Object> values = new ArrayList<>();
            list.forEach(values::add);
            if (values.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int i = 0; i < values.size(); i++) {
                separate(out, i > 0, items, unit, level + 1);
                write(out, values.get(i), unit, items, keys, sort, ascii, level + 1);
            }
            newline(out, unit, level);
            out.append(']');
        } else {
            string(out, v.toString(), ascii);
        }
    }

    private static void separate(StringBuilder out, boolean notFirst, String items, String unit, int level) {
        if (notFirst) {
            out.append(items);
        }
        newline(out, unit, level);
    }

    private static void newline(StringBuilder out, String unit, int level) {
        if (unit != null) {
            out.append('\n').append(unit.repeat(level));
        }
    }

    /** repr() of a Python float: {@code 1.0}, {@code 1e-07}, {@code 1e+16}, {@code Infinity}, {@code NaN}. */
    static String pyFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return String.valueOf((long) d) + ".0";
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exp = Integer.parseInt(s.substring(e + 1));
        if (exp >= -4 && exp < 16) { // Python switches to exponent notation outside this range
            return new java.math.BigDecimal(s).toPlainString();
        }
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    private static void string(StringBuilder out, String s, boolean ascii) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ascii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
