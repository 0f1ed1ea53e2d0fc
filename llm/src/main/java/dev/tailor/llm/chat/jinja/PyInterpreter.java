package dev.tailor.llm.chat.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.util.Map;

/**
 * jinjava's interpreter printing values the way Jinja on Python prints them: {@code True}/{@code False},
 * {@code ['a', 1]}, {@code {'k': 'v'}}, and strings exactly as they are (jinjava's "pyish" printer trims unquoted
 * strings, which would change message text).
 */
final class PyInterpreter extends JinjavaInterpreter {

    static final InterpreterFactory FACTORY = new InterpreterFactory() {
        @Override
        public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
            return new PyInterpreter(orig);
        }

        @Override
        public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig renderConfig) {
            return new PyInterpreter(application, context, renderConfig);
        }
    };

    private PyInterpreter(Jinjava application, Context context, JinjavaConfig config) {
        super(application, context, config);
    }

    private PyInterpreter(JinjavaInterpreter orig) {
        super(orig);
    }

    @Override
    public String getAsString(Object object) {
        return str(object);
    }

    /** Python's {@code str()} of a template value ({@code None} and undefined print as nothing, as in Jinja). */
    static String str(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof CharSequence s) {
            return s.toString();
        }
        StringBuilder out = new StringBuilder();
        repr(out, o);
        return out.toString();
    }

    private static void repr(StringBuilder out, Object o) {
        RenderBudget.current().charge(1);
        if (o == null) {
            out.append("None");
        } else if (o instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            out.append(Double.isNaN(d) ? "nan" : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : PyJson.pyFloat(d));
        } else if (o instanceof CharSequence s) {
            quote(out, s.toString());
        } else if (o instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.append(first ? "" : ", ");
                repr(out, e.getKey());
                out.append(": ");
                repr(out, e.getValue());
                first = false;
            }
            out.append('}');
        } else if (o instanceof Iterable<?> items) {
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                out.append(first ? "" : ", ");
                repr(out, item);
                first = false;
            }
            out.append(']');
        } else {
            out.append(o);
        }
    }

    /** Python's repr() of a str: single quotes unless the text has one and no double quote. */
    private static void quote(StringBuilder out, String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == q || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append(q);
    }
}
