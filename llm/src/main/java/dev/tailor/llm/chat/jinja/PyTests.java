package dev.tailor.llm.chat.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.Map;

/**
 * Jinja tests whose jinjava version differs from Python's: a str is iterable and a sequence in Python (Llama 3.1's
 * template JSON-encodes a tool result when {@code content is iterable}, which every str is).
 */
final class PyTests {
    private PyTests() {
    }

    static final ExpTest ITERABLE = new ExpTest() {
        @Override
        public String getName() {
            return "iterable";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return var instanceof Iterable || var instanceof Map || var instanceof CharSequence
                    || (var != null && var.getClass().isArray());
        }
    };

    static final ExpTest SEQUENCE = new ExpTest() {
        @Override
        public String getName() {
            return "sequence";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return ITERABLE.evaluate(var, interpreter, args);
        }
    };
}
