package dev.tailor.common.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The one JSON configuration of Tailor events and documents: ISO-8601 instants, unknown properties
 * ignored (new optional fields must not break old readers), nulls not written.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private Json() {
    }

    /** The shared, configured mapper. Do not reconfigure it; {@code mapper().copy()} for variations. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(message(type, e), e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException(message(type, e), e);
        }
    }

    private static String message(Class<?> type, IOException e) {
        // a record's compact-constructor message is the useful part; Jackson wraps it
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String detail = cause instanceof IllegalArgumentException ? cause.getMessage()
                : e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return "invalid JSON for " + type.getSimpleName() + ": " + detail;
    }
}
