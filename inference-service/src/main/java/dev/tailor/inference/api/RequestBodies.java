package dev.tailor.inference.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.inference.domain.OpenAiException;
import java.io.IOException;
import java.util.Locale;

/**
 * Request bodies of this API read by hand, so that every way a body can be wrong is answered with an OpenAI error
 * object naming it: a missing or non-JSON Content-Type (415), an empty body or malformed JSON (400). Oversized
 * bodies are refused before they are read ({@link BodyLimitFilter}).
 */
final class RequestBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestBodies() {
    }

    /** The body as JSON. */
    static JsonNode json(String contentType, byte[] body) {
        if (contentType == null || contentType.isBlank()) {
            throw new UnsupportedType("The request has no Content-Type header; send the body as JSON with"
                    + " 'Content-Type: application/json'");
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !type.endsWith("+json")) {
            throw new UnsupportedType("Content-Type must be application/json, got '" + contentType + "'; send the"
                    + " body as JSON");
        }
        if (body == null || body.length == 0) {
            throw OpenAiException.invalid("The request body is empty; send a JSON object", null);
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw OpenAiException.invalid("The request body is empty; send a JSON object", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            // a limit of the parser (nesting depth, string length) has no location
            var at = e.getLocation();
            throw OpenAiException.invalid("We could not parse the JSON body of your request: "
                    + e.getOriginalMessage() + (at == null ? "" : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")"), null);
        } catch (IOException e) {
            throw OpenAiException.invalid("The request body could not be read: " + e.getMessage(), null);
        }
    }

    /** A body of a media type this API does not take: 415 in OpenAI's shape. */
    static final class UnsupportedType extends RuntimeException {
        UnsupportedType(String message) {
            super(message);
        }
    }
}
