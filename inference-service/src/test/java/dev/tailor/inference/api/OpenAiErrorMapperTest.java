package dev.tailor.inference.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tailor.inference.domain.OpenAiException;
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
}
