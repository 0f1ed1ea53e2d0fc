package dev.tailor.llm.chat.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaProcessors;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.el.TypeConvertingMapELResolver;
import com.hubspot.jinjava.el.ext.JinjavaListELResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.OutputTooBigException;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TagCycleException;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.Tag;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import jinjava.javax.el.ArrayELResolver;
import jinjava.javax.el.CompositeELResolver;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeBuilder;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * Jinja rendering for chat templates, sandboxed the way transformers sandboxes it (Jinja's
 * ImmutableSandboxedEnvironment) and bounded:
 * <ul>
 * <li>variables are data: rendered output is never parsed again (jinjava's nested interpretation is off), so
 *     {@code {{ 7*7 }}} inside a message stays those characters;</li>
 * <li>no access to Java objects: only Python's str methods, read-only dict/list methods and {@code loop.*}
 *     ({@link SandboxResolver}); no include/import/extends, no {@code render} filter, only Jinja's own filters and
 *     functions plus transformers' {@code raise_exception}, {@code strftime_now} and {@code tojson};</li>
 * <li>bounded by {@link RenderLimits}: output size, string size, loop iterations and nodes, {@code range()}
 *     size, macro recursion and wall-clock time;</li>
 * <li>Jinja's whitespace control, including {@code {{-} and {@code -}}} on expressions, and Python operator
 *     precedence.</li>
 * </ul>
 * Thread-safe; one instance serves every template.
 */
public final class JinjaSandbox {

    /** Jinja's control tags (their end tags too); no include, import, from, extends or block. */
    private static final Set<String> TAGS = Set.of("if", "elif", "else", "for", "set", "macro", "call", "raw", "do",
            "break", "continue", "autoescape", "print", "generation");
    private static final Set<String> FILTERS = Set.of("abs", "attr", "batch", "capitalize", "center", "count",
            "d", "default", "dictsort", "e", "escape", "filesizeformat", "first", "float", "forceescape", "format",
            "groupby", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min",
            "pprint", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice",
            "sort", "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper",
            "urlencode", "wordcount", "wordwrap", "xmlattr");
    /** Jinja's globals that jinjava has, plus transformers' own (jinjava names them with a ':' prefix). */
    private static final Set<String> FUNCTIONS = Set.of(":range", ":namespace", ":raise_exception",
            ":strftime_now");
    private static final int MAX_COLLECTION_SIZE = 100_000;
    private static final ELResolver RESOLVER = new CompositeELResolver() {
        {
            add(new ArrayELResolver(true));
            add(new JinjavaListELResolver(true));
            add(new TypeConvertingMapELResolver(true));
            add(new SandboxResolver());
        }
    };
    private static final LegacyOverrides PYTHON_SEMANTICS = LegacyOverrides.newBuilder()
            .withUseTrimmingForNotesAndExpressions(true)
            .withParseWhitespaceControlStrictly(true)
            .withUseNaturalOperatorPrecedence(true)
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withKeepNullableLoopValues(true)
            .build();

    private final Map<Context.Library, Set<String>> disabled;
    private final Jinjava jinjava;

    public JinjaSandbox() {
        this.disabled = withOwnClassLoader(JinjaSandbox::disabledNames);
        this.jinjava = withOwnClassLoader(() -> {
            Jinjava j = new PyJinjava(config(new RenderLimits(1 << 20, 1_000_000, 100_000,
                    java.time.Duration.ofSeconds(5))));
            Context global = j.getGlobalContext();
            global.registerFunction(new ELFunctionDefinition("", "raise_exception", TemplateFunctions.class,
                    "raiseException", Object.class));
            global.registerFunction(new ELFunctionDefinition("", "strftime_now", Strftime.class, "strftimeNow",
                    String.class));
            global.registerFilter(PyFilters.TO_JSON);
            global.registerFilter(PyFilters.TRIM);
            global.registerFilter(PyFilters.ITEMS);
            global.registerExpTest(PyTests.ITERABLE);
            global.registerExpTest(PyTests.SEQUENCE);
            global.registerTag(new BoundedForTag());
            global.registerTag(new GenerationTag());
            return j;
        });
    }

    /** jinjava with {@link PySyntaxBuilder}'s expression syntax. */
    private static final class PyJinjava extends Jinjava {
        private final ExpressionFactory expressions;

        PyJinjava(JinjavaConfig config) {
            super(config);
            Properties syntax = new Properties();
            syntax.setProperty(TreeBuilder.class.getName(), PySyntaxBuilder.class.getName());
            this.expressions = new ExpressionFactoryImpl(syntax, new TruthyTypeConverter());
        }

        @Override
        public ExpressionFactory getExpressionFactory() {
            return expressions;
        }
    }

    /** Everything jinjava offers beyond what Jinja's sandbox gives chat templates. */
    private static Map<Context.Library, Set<String>> disabledNames() {
        Context all = new Jinjava().getGlobalContext();
        Set<String> tags = new HashSet<>();
        for (Tag t : all.getAllTags()) {
            String name = t.getName();
            if (!TAGS.contains(name) && !(name.startsWith("end") && TAGS.contains(name.substring(3)))) {
                tags.add(name);
            }
        }
        Set<String> filters = new HashSet<>();
        for (Filter f : all.getAllFilters()) {
            if (!FILTERS.contains(f.getName())) {
                filters.add(f.getName());
            }
        }
        Set<String> functions = new HashSet<>();
        for (ELFunctionDefinition f : all.getAllFunctions()) {
            if (!FUNCTIONS.contains(f.getName())) {
                functions.add(f.getName());
            }
        }
        return Map.of(Context.Library.TAG, tags, Context.Library.FILTER, filters, Context.Library.FUNCTION,
                functions);
    }

    private JinjavaConfig config(RenderLimits limits) {
        return JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withNestedInterpretationEnabled(false)
                .withLegacyOverrides(PYTHON_SEMANTICS)
                .withElResolver(RESOLVER)
                .withDisabled(disabled)
                .withFailOnUnknownTokens(false)
                .withMaxOutputSize(limits.maxOutputChars())
                .withMaxStringLength(limits.maxOutputChars())
                .withMaxListSize(MAX_COLLECTION_SIZE)
                .withMaxMapSize(MAX_COLLECTION_SIZE)
                .withRangeLimit(limits.maxRange())
                .withMaxRenderDepth(10)
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(50)
                .withLocale(Locale.ROOT)
                .withTimeZone(ZoneOffset.UTC)
                .withInterperterFactory(PyInterpreter.FACTORY)
                .withProcessors(JinjavaProcessors.newBuilder()
                        .withNodePreProcessor((node, interpreter) -> RenderBudget.current().charge(1))
                        .build())
                .build();
    }

    /**
     * Problems a template has before it runs: filters it names that the engine lacks (each as "line N: filter
     * 'x'"); empty when there is none.
     */
    public List<String> check(String template) {
        Set<String> known = new HashSet<>(FILTERS);
        known.removeIf(f -> jinjava.getGlobalContext().getFilter(f) == null);
        return withOwnClassLoader(() -> NameCheck.unknownFilters(template, jinjava.getGlobalConfig(), known));
    }

    /**
     * Renders {@code template} once with {@code bindings} as its variables.
     *
     * @throws TemplateRenderException naming the line and what went wrong (a syntax error, a refusal raised by
     *                                 the template, a call it may not make, or a limit it ran into)
     */
    public String render(String template, Map<String, Object> bindings, RenderLimits limits, Clock clock) {
        JinjavaConfig config = config(limits);
        RenderResult result;
        try (RenderBudget budget = RenderBudget.open(limits, clock)) {
            result = withOwnClassLoader(() -> jinjava.renderForResult(template, bindings, config));
        } catch (TemplateLimitError e) {
            throw new TemplateRenderException(TemplateRenderException.Kind.LIMIT, -1, e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new TemplateRenderException(TemplateRenderException.Kind.LIMIT, -1,
                    "the template nests too deeply", null);
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw failure(error, lines(template, config, error));
            }
            if (error.getException() instanceof TagCycleException) { // jinjava warns; Jinja raises RecursionError
                throw new TemplateRenderException(TemplateRenderException.Kind.LIMIT, lines(template, config, error),
                        error.getMessage(), error.getException());
            }
        }
        return result.getOutput();
    }

    /** The real line of an error (see {@link TemplateLines}); only computed when a render fails. */
    private static int lines(String template, JinjavaConfig config, TemplateError error) {
        return withOwnClassLoader(() -> new TemplateLines(template, config).realLine(error.getLineno(),
                error.getFieldName()));
    }

    private static TemplateRenderException failure(TemplateError error, int line) {
        for (Throwable c = error.getException(); c != null; c = c.getCause()) {
            if (c instanceof TemplateFunctions.Raised raised) {
                return new TemplateRenderException(TemplateRenderException.Kind.REFUSED, line, raised.getMessage(),
                        raised);
            }
            if (c instanceof TemplateLimitError || c instanceof OutputTooBigException) {
                return new TemplateRenderException(TemplateRenderException.Kind.LIMIT, line, c.getMessage(), c);
            }
            if (c instanceof StackOverflowError) {
                return new TemplateRenderException(TemplateRenderException.Kind.LIMIT, line,
                        "the template nests too deeply", null);
            }
        }
        String message = error.getMessage() == null ? String.valueOf(error.getReason()) : error.getMessage();
        if (error.getReason() == TemplateError.ErrorReason.OUTPUT_TOO_BIG
                || error.getReason() == TemplateError.ErrorReason.COLLECTION_TOO_BIG) {
            return new TemplateRenderException(TemplateRenderException.Kind.LIMIT, line, message,
                    error.getException());
        }
        return new TemplateRenderException(TemplateRenderException.Kind.ERROR, line, message, error.getException());
    }

    /**
     * Runs {@code work} with this class's loader as the thread's context class loader (restored after): jinjava's
     * EL loads its classes through the context loader, and a framework's worker thread (Quarkus, a training pool)
     * may carry a loader with its own copy of jinjava, which fails with a ClassCastException.
     */
    private static <T> T withOwnClassLoader(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        ClassLoader own = JinjaSandbox.class.getClassLoader();
        if (previous == own) {
            return work.get();
        }
        thread.setContextClassLoader(own);
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
