package dev.tailor.inference.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.llm.chat.ChatTemplateException;
import org.junit.jupiter.api.Test;

/** The HTTP status of each refusal is decided here, in the API, from OpenAI's error type and code. */
class OpenAiErrorMapperTest {
    @Test
    void invalidRequestsAre400AndUnknownModels404() {
        assertEquals(400, OpenAiErrorMapper.status(OpenAiException.invalid("max_tokens must be positive", "max_tokens")));
        assertEquals(400, OpenAiErrorMapper.status(new OpenAiException("too long", OpenAiException.INVALID_REQUEST,
                "messages", "context_length_exceeded")));
        assertEquals(404, OpenAiErrorMapper.status(OpenAiException.unknownModel("nope")));
        assertEquals(404, new OpenAiErrorMapper().map(OpenAiException.unknownModel("nope")).getStatus());
    }

    @Test
    void overloadIs429WithRetryAfterAndTheGateAndHistoryRefuse409() {
        var overloaded = new OpenAiErrorMapper().map(OpenAiException.overloaded("default/tiny", 64, 3));
        assertEquals(429, overloaded.getStatus());
        assertEquals("3", String.valueOf(overloaded.getHeaderString("Retry-After")));
        assertEquals(408, OpenAiErrorMapper.status(OpenAiException.timeout(java.time.Duration.ofSeconds(120), "tailor.inference.request-timeout")));
        assertEquals(409, OpenAiErrorMapper.status(new OpenAiException("rejected", OpenAiException.INVALID_REQUEST,
                "model", OpenAiException.GATE_REJECTED)));
        assertEquals(409, OpenAiErrorMapper.status(new OpenAiException("nothing before", OpenAiException.INVALID_REQUEST,
                "alias", OpenAiException.NO_PREVIOUS_TARGET)));
        assertEquals(404, OpenAiErrorMapper.status(new OpenAiException("gone", OpenAiException.INVALID_REQUEST,
                "alias", OpenAiException.DEPLOYMENT_NOT_FOUND)));
    }

    @Test
    void aTemplateThatRefusesTheCallerIs400AndOneThatFailsOnItsOwn422() {
        assertEquals(400, OpenAiErrorMapper.status(OpenAiException.chatTemplate("m", new ChatTemplateException(
                ChatTemplateException.Kind.REFUSED, "m", 3, "roles must alternate", null))));
        assertEquals(422, OpenAiErrorMapper.status(OpenAiException.chatTemplate("m", new ChatTemplateException(
                ChatTemplateException.Kind.TEMPLATE_ERROR, "m", 3, "unknown filter", null))));
    }
}
