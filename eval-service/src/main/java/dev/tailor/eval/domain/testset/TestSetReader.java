package dev.tailor.eval.domain.testset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.eval.domain.slices.SourceKind;
import dev.tailor.llm.chat.ChatExample;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a test split or eval set: one example per JSONL line ({@code messages}, {@code prompt}/{@code completion}
 * or {@code text}), with cleaning's optional {@code source} ({@code file}, {@code kind}) and {@code metadata}
 * fields. Blank lines are skipped; a line that is not an example fails with the source and line number.
 */
public final class TestSetReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestSetReader() {
    }

    /** At most {@code max} examples of {@code in}; {@code source} names it in errors (an s3:// URI). */
    public static List<TestCase> read(InputStream in, String source, int max) throws IOException {
        return ChatExample.readJsonl(in, source, max, (n, line) -> parse(String.valueOf(n), line));
    }

    static TestCase parse(String id, String line) {
        ChatExample example = ChatExample.fromJson(line);
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("Example is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode src = node.path("source");
        String file = src.path("file").isTextual() ? src.path("file").asText() : null;
        String kind = src.path("kind").isTextual() ? src.path("kind").asText()
                : node.path("kind").isTextual() ? node.path("kind").asText() : null;
        Map<String, String> metadata = new LinkedHashMap<>();
        node.path("metadata").fields().forEachRemaining(f -> {
            if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                metadata.put(f.getKey(), f.getValue().asText());
            }
        });
        return new TestCase(id, example, SourceKind.of(kind), file, metadata);
    }
}
