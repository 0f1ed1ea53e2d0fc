package dev.tailor.cleaning.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.config.CleaningConfig;
import org.junit.jupiter.api.Test;

/** The id of a cleaned version: the same data, settings and rules give the same id; any of them changed, another. */
class CleanedVersionTest {
    private static final String CONTENT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void dataSettingsAndRulesEachMakeANewVersion() {
        String hash = CleaningConfig.defaults().hash();
        String v = CleaningRunner.version(CONTENT, hash, CleaningPipeline.RULES_VERSION);
        assertTrue(v.matches("v-[0-9a-f]{16}"), v);
        assertEquals(v, CleaningRunner.version(CONTENT, hash, CleaningPipeline.RULES_VERSION), "deterministic");
        assertNotEquals(v, CleaningRunner.version(CONTENT, hash, CleaningPipeline.RULES_VERSION + 1),
                "newer rules clean the same upload again");
        assertNotEquals(v, CleaningRunner.version(CONTENT.replace('9', '8'), hash, CleaningPipeline.RULES_VERSION));
        String other = CleaningConfig.merge(CleaningConfig.defaults(),
                dev.tailor.common.json.Json.read("{\"redactPii\": false}",
                        com.fasterxml.jackson.databind.JsonNode.class)).hash();
        assertNotEquals(hash, other);
        assertNotEquals(v, CleaningRunner.version(CONTENT, other, CleaningPipeline.RULES_VERSION));
    }
}
