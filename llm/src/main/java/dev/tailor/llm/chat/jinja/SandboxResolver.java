package dev.tailor.llm.chat.jinja;

import com.hubspot.jinjava.el.ext.JinjavaBeanELResolver;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.util.ForLoop;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.MethodNotFoundException;
import jinjava.javax.el.PropertyNotWritableException;

/**
 * What a template may reach of the Java objects behind its values, as in Jinja's immutable sandbox that
 * transformers renders chat templates in: Python's str methods (implemented with Python semantics by
 * {@link PyStrings}), the read-only methods of dicts and lists, {@code loop.*}, and the filters and tests jinjava
 * calls internally. Any other method or property of any object is refused: a template cannot call
 * {@code getClass()}, {@code repeat(1e9)}, {@code clear()} or anything else Java happens to offer.
 */
final class SandboxResolver extends JinjavaBeanELResolver {
    private static final Set<String> MAP_METHODS = Set.of("items", "keys", "values", "get");
    private static final Set<String> LIST_METHODS = Set.of("index", "count");

    SandboxResolver() {
        super(true);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base instanceof ForLoop) {
            return super.getValue(context, base, property);
        }
        if (base != null) { // attributes of other objects are undefined, as in Jinja for unknown attributes
            context.setPropertyResolved(true);
        }
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        if (base != null) {
            context.setPropertyResolved(true);
        }
        return null;
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        if (base != null) {
            context.setPropertyResolved(true);
        }
        return true;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        throw new PropertyNotWritableException("chat templates cannot change '" + property + "' of a "
                + PyTypes.name(base));
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base == null || method == null) {
            return null;
        }
        String name = method.toString();
        if (base instanceof CharSequence s && PyStrings.supports(name)) {
            context.setPropertyResolved(true);
            try {
                return PyStrings.call(s.toString(), name, params);
            } catch (IllegalArgumentException e) { // jinjava turns IllegalArgumentException into None
                throw new TemplateCallException(e.getMessage());
            }
        }
        if (allowed(base, name)) {
            return super.invoke(context, base, method, paramTypes, params);
        }
        throw new MethodNotFoundException("calling '" + name + "' on a " + PyTypes.name(base)
                + " is not allowed in a chat template");
    }

    private static boolean allowed(Object base, String name) {
        return (base instanceof Filter && name.equals("filter"))
                || (base instanceof ExpTest && (name.equals("evaluate") || name.equals("evaluateNegated")))
                || (base instanceof Map && MAP_METHODS.contains(name))
                || (base instanceof List && LIST_METHODS.contains(name))
                || (base instanceof ForLoop && name.equals("cycle"));
    }
}
