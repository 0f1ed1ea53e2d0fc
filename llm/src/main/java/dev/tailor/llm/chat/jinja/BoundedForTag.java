package dev.tailor.llm.chat.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.TagNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Jinjava's {@code for} with every iteration paid for up front from the render's budget, so nested loops with
 * empty bodies (which render no node to count) cannot spin without bound.
 */
final class BoundedForTag extends ForTag {

    @Override
    public String renderForCollection(TagNode tagNode, JinjavaInterpreter interpreter, List<String> loopVars,
                                      Object collection) {
        RenderBudget.current().charge(size(collection));
        return super.renderForCollection(tagNode, interpreter, loopVars, collection);
    }

    private static long size(Object collection) {
        if (collection instanceof Collection<?> c) {
            return c.size();
        }
        if (collection instanceof Map<?, ?> m) {
            return m.size();
        }
        if (collection instanceof CharSequence s) {
            return s.length();
        }
        if (collection instanceof Object[] a) {
            return a.length;
        }
        return 1;
    }
}
