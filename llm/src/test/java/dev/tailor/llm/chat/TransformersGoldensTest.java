package dev.tailor.llm.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.llm.chat.jinja.JinjaSandbox;
import dev.tailor.llm.chat.jinja.RenderLimits;
import dev.tailor.llm.chat.jinja.TemplateRenderException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chat templates of Llama 3/3.1/3.2, Qwen2.5, Mistral v0.1–v0.3, SmolLM2 and TinyLlama render exactly what
 * transformers renders for the same conversations (typical ones, tool calls, and hostile message contents);
 * sources of templates and expected strings in {@code src/test/resources/chat-templates/README.md}.
 */
class TransformersGoldensTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JinjaSandbox SANDBOX = new JinjaSandbox();
    private static final List<String> SPECIAL_KEYS = List.of("bos_token", "eos_token", "unk_token", "pad_token");

    static Stream<Arguments> goldens() throws IOException {
        JsonNode all;
        try (InputStream in = TransformersGoldensTest.class.getResourceAsStream("/chat-templates/goldens.json")) {
            all = JSON.readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode g : all) {
            out.add(Arguments.of(g.path("template").asText() + " / " + g.path("case").asText() + " / gen="
                    + g.path("add_generation_prompt").asBoolean(), g));
        }
        return out.stream();
    }

    private static String template(JsonNode golden) throws IOException {
        try (InputStream in = TransformersGoldensTest.class.getResourceAsStream("/chat-templates/"
                + golden.path("template_file").asText())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Clock clock(JsonNode golden) {
        JsonNode fixed = golden.path("strftime_now_fixed");
        return fixed.isTextual() ? Clock.fixed(LocalDateTime.parse(fixed.asText()).toInstant(ZoneOffset.UTC),
                ZoneOffset.UTC) : Clock.systemUTC();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void rendersWhatTransformersRenders(String name, JsonNode golden) throws IOException {
        Map<String, Object> vars = new HashMap<>();
        for (String key : SPECIAL_KEYS) {
            if (golden.path(key).isTextual()) {
                vars.put(key, golden.path(key).asText());
            }
        }
        vars.put("messages", JSON.convertValue(golden.path("messages"), new TypeReference<List<Object>>() { }));
        vars.put("tools", golden.path("tools").isNull() ? null
                : JSON.convertValue(golden.path("tools"), new TypeReference<List<Object>>() { }));
        vars.put("documents", null);
        vars.put("add_generation_prompt", golden.path("add_generation_prompt").asBoolean());
        if (golden.path("date_string").isTextual()) {
            vars.put("date_string", golden.path("date_string").asText());
        }
        String source = template(golden);
        RenderLimits limits = RenderLimits.forConversation(100_000, 100);
        if (golden.has("error")) {
            var e = assertThrows(TemplateRenderException.class, () -> SANDBOX.render(source, vars, limits,
                    clock(golden)));
            assertEquals(TemplateRenderException.Kind.REFUSED, e.kind());
            assertEquals(golden.path("error").asText(), e.getMessage());
            return;
        }
        assertEquals(List.of(), SANDBOX.check(source), "filters the engine lacks");
        String got = SANDBOX.render(source, vars, limits, clock(golden));
        assertEquals(golden.path("expected").asText(), got);
    }

    /** The same through {@link ChatTemplate} (plain role/content conversations), with every content located. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void chatTemplateRendersTheSameAndLocatesEveryContent(String name, JsonNode golden) throws IOException {
        if (!golden.path("tools").isNull() || golden.has("error") || golden.path("date_string").isTextual()
                || name.contains("strftime")) {
            return; // tools, explicit date_string and fixed clocks are exercised through the sandbox above
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : golden.path("messages")) {
            if (m.size() != 2 || !m.has("role") || !m.has("content")) {
                return;
            }
            messages.add(new ChatMessage(m.path("role").asText(), m.path("content").asText()));
        }
        Map<String, String> specials = new LinkedHashMap<>();
        for (String key : SPECIAL_KEYS) {
            if (golden.path(key).isTextual()) {
                specials.put(key, golden.path(key).asText());
            }
        }
        ChatTemplate t = new ChatTemplate(template(golden), specials, golden.path("template").asText(),
                Clock.systemUTC());
        String expected = golden.path("expected").asText();
        if (expected.contains("Today Date:")) { // Llama 3.1+/3.2 print today's date through strftime_now
            return;
        }
        RenderedChat chat = t.render(messages, golden.path("add_generation_prompt").asBoolean());
        assertEquals(expected, chat.text());
        List<RenderedChat.Span> spans = chat.contentSpans().orElseThrow(
                () -> new AssertionError("contents not located in " + name));
        for (RenderedChat.Span s : spans) {
            String content = messages.get(s.message()).content();
            String found = expected.substring(s.start(), s.end());
            assertTrue(found.equals(content) || found.equals(content.strip()), name + ": " + found);
        }
    }
}
