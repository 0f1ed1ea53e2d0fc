package dev.tailor.common.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checked-in JSON Schemas are what the records generate: change a record, regenerate, commit both. */
class SchemaFilesTest {
    @Test
    void everyCheckedInSchemaIsTheGeneratedOne() throws IOException {
        for (Map.Entry<String, String> e : SchemaFiles.all().entrySet()) {
            String resource = "schemas/" + e.getKey();
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
                assertNotNull(in, resource + " is missing: run `" + SchemaFiles.REGENERATE + "`"
                        + " and commit common/src/main/resources/" + resource);
                assertEquals(e.getValue(), new String(in.readAllBytes(), StandardCharsets.UTF_8), resource
                        + " is stale (its record changed): run `" + SchemaFiles.REGENERATE + "`"
                        + " and commit the regenerated file");
            }
        }
    }
}
