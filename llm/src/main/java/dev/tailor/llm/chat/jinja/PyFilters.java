package dev.tailor.llm.chat.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Collections;
import java.util.Map;

/**
 * Filters whose jinjava version differs from what transformers gives templates: {@code tojson} as transformers
 * defines it ({@code json.dumps(x, ensure_ascii=False, indent=…, separators=…, sort_keys=…)}) and {@code trim} with
 * Python's notion of whitespace.
 */
final class PyFilters {
    private PyFilters() {
    }

    static final Filter TO_JSON = new Filter() {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Collections.emptyMap());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.containsKey("indent") ? kwargs.get("indent") : args.length > 0 ? args[0] : null;
            boolean sortKeys = Boolean.TRUE.equals(kwargs.get("sort_keys"));
            boolean ensureAscii = Boolean.TRUE.equals(kwargs.get("ensure_ascii"));
            String itemSeparator = null;
            String keySeparator = null;
            if (kwargs.get("separators") instanceof java.util.List<?> seps && seps.size() == 2) {
                itemSeparator = String.valueOf(seps.get(0));
                keySeparator = String.valueOf(seps.get(1));
            }
            return PyJson.dumps(var, indent, itemSeparator, keySeparator, sortKeys, ensureAscii);
        }
    };

    /** Jinja 3.1's {@code items}: the (key, value) pairs of a dict, for {@code for k, v in d|items}. */
    static final Filter ITEMS = new Filter() {
        @Override
        public String getName() {
            return "items";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var == null) {
                return java.util.List.of();
            }
            if (!(var instanceof Map<?, ?> m)) {
                throw new TemplateCallException("items filter expects a dict, got " + PyTypes.name(var));
            }
            return new java.util.ArrayList<>(m.entrySet());
        }
    };

    static final Filter TRIM = new Filter() {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String chars = args.length > 0 ? args[0] : null;
            return var == null ? "" : PyStrings.strip(var.toString(), chars, true, true);
        }
    };
}
