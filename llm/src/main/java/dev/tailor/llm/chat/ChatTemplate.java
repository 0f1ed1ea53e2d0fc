package dev.tailor.llm.chat;

import dev.tailor.llm.chat.jinja.JinjaSandbox;
import dev.tailor.llm.chat.jinja.RenderLimits;
import dev.tailor.llm.chat.jinja.TemplateRenderException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code chat_template} of a model, rendered as transformers' {@code apply_chat_template} renders it: once,
 * with the conversation as data ({@code messages}, {@code add_generation_prompt}, {@code tools}/{@code documents}
 * as None, the special tokens as strings), in a sandbox ({@link JinjaSandbox}: no Java objects, no re-parsing of
 * output, bounded work, output and time). Message text is never template code: {@code {{ 7*7 }}} in a message
 * reaches the prompt as those nine characters.
 */
public final class ChatTemplate {

    /** Used when a tokenizer has no chat_template: role headers, one turn per line. */
    public static final String FALLBACK = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
            + "{% if add_generation_prompt %}assistant: {% endif %}";

    private static final JinjaSandbox SANDBOX = new JinjaSandbox();
    private static final List<String> SPECIAL_TOKEN_KEYS = List.of("bos_token", "eos_token", "unk_token", "pad_token",
            "sep_token", "cls_token", "mask_token");

    private final String template;
    private final Map<String, Object> specialTokens;
    private final String model;
    private final Clock clock;
    private List<String> problems;

    /**
     * @param template      Jinja source, or null for {@link #FALLBACK}
     * @param specialTokens the tokenizer's special tokens by key ({@code bos_token} …) as templates see them
     * @param model         the model's name, for error messages
     * @param clock         what {@code strftime_now} reads
     */
    public ChatTemplate(String template, Map<String, String> specialTokens, String model, Clock clock) {
        this.template = template == null ? FALLBACK : template;
        this.specialTokens = new HashMap<>(specialTokens);
        this.model = model == null || model.isBlank() ? "the model" : model;
        this.clock = clock;
    }

    public ChatTemplate(String template, Map<String, String> specialTokens) {
        this(template, specialTokens, null, Clock.systemUTC());
    }

    /** From a tokenizer's tokenizer_config.json (chat_template plus its special tokens). */
    public static ChatTemplate of(TextTokenizer tokenizer, String model) {
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
        for (String key : SPECIAL_TOKEN_KEYS) {
            String v = tokenizer.specialToken(key);
            if (v != null || key.equals("bos_token") || key.equals("eos_token")) {
                specials.put(key, v == null ? "" : v);
            }
        }
        return new ChatTemplate(tpl, specials, model, Clock.systemUTC());
    }

    public String template() {
        return template;
    }

    public String model() {
        return model;
    }

    /**
     * Renders a conversation.
     *
     * @throws ChatTemplateException when the template refuses it or fails (message names the model and line)
     */
    public RenderedChat render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        String text = renderWith(messages, addGenerationPrompt, false);
        return new RenderedChat(text, messages, () -> locate(text, messages, addGenerationPrompt));
    }

    private Optional<List<RenderedChat.Span>> locate(String text, List<ChatMessage> messages,
                                                     boolean addGenerationPrompt) {
        String skeleton;
        try {
            skeleton = renderWith(messages, addGenerationPrompt, true);
        } catch (ChatTemplateException e) {
            return Optional.empty();
        }
        return RenderedChat.align(text, skeleton, messages);
    }

    /** What {@link JinjaSandbox#check} finds in this template, checked once. */
    private synchronized List<String> problems() {
        if (problems == null) {
            problems = SANDBOX.check(template);
        }
        return problems;
    }

    private String renderWith(List<ChatMessage> messages, boolean addGenerationPrompt, boolean sentinels) {
        if (!problems().isEmpty()) {
            String first = problems().get(0);
            int line = Integer.parseInt(first.substring(5, first.indexOf(':')));
            throw new ChatTemplateException(ChatTemplateException.Kind.TEMPLATE_ERROR, model, line, "The chat "
                    + "template of " + model + " uses what Tailor's Jinja engine does not have: "
                    + String.join(", ", problems()) + " (fix chat_template in its tokenizer_config.json)", null);
        }
        List<Map<String, Object>> msgs = new ArrayList<>(messages.size());
        long chars = 0;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("role", m.role());
            e.put("content", sentinels ? RenderedChat.Sentinels.of(i) : m.content());
            msgs.add(e);
            chars += m.content().length() + m.role().length();
        }
        Map<String, Object> vars = new HashMap<>(specialTokens);
        vars.put("messages", msgs);
        vars.put("add_generation_prompt", addGenerationPrompt);
        vars.put("tools", null);
        vars.put("documents", null);
        try {
            return SANDBOX.render(template, vars, RenderLimits.forConversation(chars, messages.size()), clock);
        } catch (TemplateRenderException e) {
            String where = e.line() > 0 ? " at line " + e.line() : "";
            throw switch (e.kind()) {
                case REFUSED -> new ChatTemplateException(ChatTemplateException.Kind.REFUSED, model, e.line(),
                        "The chat template of " + model + " refused the conversation" + where + ": "
                                + e.getMessage(), e);
                case LIMIT -> new ChatTemplateException(ChatTemplateException.Kind.LIMIT, model, e.line(),
                        "The chat template of " + model + " stopped" + where + ": " + e.getMessage(), e);
                case ERROR -> new ChatTemplateException(ChatTemplateException.Kind.TEMPLATE_ERROR, model, e.line(),
                        "The chat template of " + model + " failed" + where + ": " + e.getMessage()
                                + " (fix chat_template in its tokenizer_config.json)", e);
            };
        }
    }
}
