package dev.tailor.inference.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatRequestParserTest {

    private static JsonNode json(String s) {
        return Json.read(s, JsonNode.class);
    }

    @Test
    void readsTheOpenAiFields() {
        ChatRequest r = ChatRequestParser.chat(json("""
                {"model":"m","messages":[{"role":"developer","content":"be brief"},
                 {"role":"user","content":[{"type":"text","text":"hi "},{"type":"text","text":"there"}]}],
                 "max_completion_tokens":7,"max_tokens":99,"temperature":0,"top_p":0.5,"stop":"\\n","seed":3,
                 "n":1,"stream":true,"stream_options":{"include_usage":true},"user":"u1"}"""));
        assertEquals("m", r.model());
        assertEquals(List.of(new ChatRequest.Message("system", "be brief"), new ChatRequest.Message("user", "hi there")),
                r.messages());
        assertEquals(7, r.maxTokens());
        assertEquals(0.0, r.temperature());
        assertEquals(0.5, r.topP());
        assertEquals(List.of("\n"), r.stop());
        assertEquals(3L, r.seed());
        assertTrue(r.stream() && r.includeUsage());
    }

    @Test
    void defaultsAndStopArrays() {
        ChatRequest r = ChatRequestParser.chat(json(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":[\"a\",\"b\"]}"));
        assertNull(r.maxTokens());
        assertEquals(1.0, r.temperature());
        assertEquals(List.of("a", "b"), r.stop());
        assertNull(r.seed());
    }

    @Test
    void badFieldsAreNamed() {
        assertEquals("messages", param("{\"model\":\"m\",\"messages\":[]}"));
        assertEquals("model", param("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        assertEquals("n", param("{\"model\":\"m\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        assertEquals("temperature",
                param("{\"model\":\"m\",\"temperature\":3,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        assertEquals("max_tokens",
                param("{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        assertEquals("messages[0].role", param("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"));
        assertEquals("stop", param("{\"model\":\"m\",\"stop\":[1],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
    }

    private static String param(String body) {
        OpenAiException e = assertThrows(OpenAiException.class, () -> ChatRequestParser.chat(json(body)));
        assertEquals("invalid_request_error", e.type()); // answered with 400 (OpenAiErrorMapperTest)
        assertEquals(null, e.code());
        return e.param();
    }
}
