package dev.tailor.llm.chat.jinja;

import java.util.List;
import java.util.Map;

/** Python's names for the types a template sees, for error messages a template author understands. */
final class PyTypes {
    private PyTypes() {
    }

    static String name(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof CharSequence) {
            return "str";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof Integer || o instanceof Long) {
            return "int";
        }
        if (o instanceof Number) {
            return "float";
        }
        if (o instanceof Map) {
            return "dict";
        }
        if (o instanceof List) {
            return "list";
        }
        return "object";
    }
}
