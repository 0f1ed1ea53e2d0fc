package dev.tailor.llm;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code chat_template} of tokenizer_config.json rendered with jinjava, with the variables transformers gives
 * it: {@code messages}, {@code add_generation_prompt}, the special tokens ({@code bos_token}, {@code eos_token} …)
 * and the {@code raise_exception} helper; blocks trimmed as in transformers (trim_blocks, lstrip_blocks).
 */
public final class ChatTemplate {

    /** Used when a tokenizer has no chat_template: role headers, one turn per line. */
    public static final String FALLBACK = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
            + "{% if add_generation_prompt %}assistant: {% endif %}";

    private static final String REFUSED = "Chat template refused the conversation: ";

    private final String template;
    private final Map<String, Object> specialTokens;
    private final Jinjava jinjava;

    public ChatTemplate(String template, Map<String, String> specialTokens) {
        this.template = stripExpressionWhitespace(template == null ? FALLBACK : template);
        this.specialTokens = new HashMap<>(specialTokens);
        this.jinjava = withOwnClassLoader(() -> {
            Jinjava j = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
            j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                    ChatTemplate.class, "raiseException", String.class));
            return j;
        });
    }

    /**
     * Runs {@code work} with this class's loader as the thread's context class loader (restored after): jinjava's
     * EL loads its classes through the context loader, and a framework's worker thread (Quarkus, a training pool)
     * may carry a loader with its own copy of jinjava, which fails with a ClassCastException.
     */
    private static <T> T withOwnClassLoader(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        ClassLoader own = ChatTemplate.class.getClassLoader();
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

    /**
     * Jinja's {@code {{-} and {@code -}}} strip the whitespace next to an expression; jinjava only honours the
     * block form ({@code {%-}), so the expression form is applied here before parsing.
     */
    static String stripExpressionWhitespace(String template) {
        return template.replaceAll("\\s*\\{\\{-", "{{").replaceAll("-}}\\s*", "}}");
    }

    /** From a tokenizer's tokenizer_config.json (chat_template plus its special tokens). */
    public static ChatTemplate of(TextTokenizer tokenizer) {
        var cfg = tokenizer.tokenizerConfig();
        String tpl = cfg.path("chat_template").isTextual() ? cfg.path("chat_template").asText() : null;
        if (cfg.path("chat_template").isArray()) { // named templates: take "default"
            for (var n : cfg.path("chat_template")) {
                if (n.path("name").asText().equals("default")) {
                    tpl = n.path("template").asText();
                }
            }
        }
        Map<String, String> specials = new LinkedHashMap<>();
        for (String key : List.of("bos_token", "eos_token", "pad_token", "unk_token")) {
            String v = tokenizer.specialToken(key);
            specials.put(key, v == null ? "" : v);
        }
        return new ChatTemplate(tpl, specials);
    }

    /** Called by templates as {@code raise_exception('message')}. */
    public static String raiseException(String message) {
        throw new IllegalArgumentException(REFUSED + message);
    }

    public String template() {
        return template;
    }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> msgs = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("role", m.role());
            e.put("content", m.content());
            msgs.add(e);
        }
        Map<String, Object> ctx = new HashMap<>(specialTokens);
        ctx.put("messages", msgs);
        ctx.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result = withOwnClassLoader(() -> jinjava.renderForResult(template, ctx));
        for (TemplateError err : result.getErrors()) {
            if (err.getSeverity() == TemplateError.ErrorType.FATAL) {
                for (Throwable c = err.getException(); c != null; c = c.getCause()) {
                    if (c.getMessage() != null && c.getMessage().startsWith(REFUSED)) {
                        throw new IllegalArgumentException(c.getMessage(), c);
                    }
                }
                throw new IllegalArgumentException("Cannot render chat template: " + err.getMessage());
            }
        }
        return result.getOutput();
    }
}
