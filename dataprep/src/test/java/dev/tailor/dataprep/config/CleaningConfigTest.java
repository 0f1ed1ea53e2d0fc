package dev.tailor.dataprep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleaningConfigTest {
    /** The example of the README's "Cleaning" section, in the flat form of earlier versions. */
    static final String README_FLAT = """
            {"trainRatio": 0.9, "validationRatio": 0.05, "testRatio": 0.05,
             "systemPrompt": "You are ACME support.",
             "fieldMapping": {"prompt": "ticket", "completion": "resolution"},
             "fields": {"product": {"action": "lookup", "table": "catalog.csv", "key": "sku"}},
             "piiPatterns": {"ORDER_ID": "ORD-[0-9]{8}"},
             "nearDuplicateThreshold": 0.85, "semanticDuplicates": true,
             "languages": ["en"], "spamThreshold": 0.99, "emailThreads": "conversations"}
            """;
    static final String README_NESTED = """
            {"splits": {"trainRatio": 0.9, "validationRatio": 0.05, "testRatio": 0.05},
             "examples": {"systemPrompt": "You are ACME support.",
                          "fieldMapping": {"prompt": "ticket", "completion": "resolution"},
                          "fields": {"product": {"action": "lookup", "table": "catalog.csv", "key": "sku"}}},
             "pii": {"piiPatterns": {"ORDER_ID": "ORD-[0-9]{8}"}},
             "dedup": {"nearDuplicateThreshold": 0.85, "semanticDuplicates": true},
             "language": {"languages": ["en"]}, "spam": {"spamThreshold": 0.99},
             "email": {"emailThreads": "conversations"}}
            """;

    @Test
    void theFlatFormOfEarlierVersionsReadsAsTheNestedForm() {
        CleaningConfig flat = CleaningConfig.fromJson(README_FLAT);
        CleaningConfig nested = CleaningConfig.fromJson(README_NESTED);
        assertEquals(nested, flat);
        assertEquals(0.9, flat.splits().trainRatio());
        assertEquals("ticket", flat.examples().fieldMapping().get("prompt"));
        assertEquals("sku", flat.examples().fields().get("product").key());
        assertEquals(List.of("en"), flat.language().languages());
        assertEquals(EmailSettings.ThreadMode.CONVERSATIONS, flat.email().emailThreads());
        assertEquals(CleaningConfig.defaults().quality(), flat.quality(), "keys left out keep their defaults");
        CleaningConfig mixed = CleaningConfig.fromJson("{\"trainRatio\": 0.9, \"splits\": {\"validationRatio\": 0.05, \"testRatio\": 0.05}}");
        assertEquals(new SplitSettings(0.9, 0.05, 0.05, true), mixed.splits());
    }

    @Test
    void theNestedFormRoundTripsAndIsWhatToJsonWrites() throws Exception {
        CleaningConfig c = CleaningConfig.fromJson(README_FLAT);
        assertEquals(c, CleaningConfig.fromJson(c.toJson()));
        JsonNode json = new ObjectMapper().readTree(c.toJson());
        assertEquals(List.of("archives", "dedup", "documents", "email", "examples", "input", "language", "pii", "quality",
                "report", "spam", "splits"), fieldNames(json));
        assertEquals(0.9, json.at("/splits/trainRatio").asDouble());
        assertEquals("conversations", json.at("/email/emailThreads").asText());
        assertTrue(json.at("/splits").isObject() && !json.has("trainRatio"), json.toString());
        assertEquals(json.toString(), new ObjectMapper().valueToTree(c.asMap()).toString());
    }

    /** The hashes of the flat settings before they were grouped: dataset versions (derived from them) stay the same. */
    @Test
    void theHashIsTheOneOfTheFlatSettingsBeforeTheyWereGrouped() {
        assertEquals("1e7bc2978e932beb1c0e000afc30c5a0fa610f9174850d008721eafe0f6f1995", CleaningConfig.defaults().hash());
        assertEquals("59d8fcfadd71d232e42f3de3e14d07b4514b28bb6482a47908770752695b6b6a", CleaningConfig.fromJson(README_FLAT).hash());
        assertEquals(CleaningConfig.fromJson(README_FLAT).hash(), CleaningConfig.fromJson(README_NESTED).hash());
    }

    @Test
    void mistakesAreErrorsNamingTheSetting() {
        assertTrue(error("{\"trainRatio\": 2}").contains("ratios"));
        assertTrue(error("{\"splits\": {\"trainRatio\": 0.5}}").contains("must sum to 1"));
        String unknown = error("{\"trainingRatio\": 0.9}");
        assertTrue(unknown.contains("'trainingRatio'") && unknown.contains("splits") && unknown.contains("trainRatio"), unknown);
        String unknownInside = error("{\"splits\": {\"train\": 0.9}}");
        assertTrue(unknownInside.contains("'splits.train'") && unknownInside.contains("trainRatio"), unknownInside);
        assertTrue(error("{\"splits\": 0.9}").contains("must be an object"));
        assertTrue(error("{\"trainRatio\": 0.9, \"splits\": {\"trainRatio\": 0.8}}").contains("given twice"));
        assertTrue(error("{\"email\": {\"emailThreads\": \"threads\"}}").contains("\"pairs\" or \"conversations\""));
        String type = error("{\"quality\": {\"minChars\": \"many\"}}");
        assertTrue(type.contains("quality.minChars"), type);
        assertTrue(error("{\"csvDelimiter\": \";;\"}").contains("one character"));
        assertTrue(error("{\"piiPatterns\": {\"ORDER\": \"ORD-[\"}}").contains("piiPatterns.ORDER"));
        assertTrue(error("[1]").contains("JSON object"));
        assertTrue(error("{\"languages\": [\"english\"]}").contains("ISO 639-1"));
    }

    @Test
    void aComponentLeftOutGetsItsDefaults() {
        assertEquals(CleaningConfig.defaults(), new CleaningConfig(null, null, null, null, null, null, null, null, null,
                null, null, null));
        assertEquals(EmailSettings.ThreadMode.PAIRS, EmailSettings.ThreadMode.of(" Pairs "));
    }

    private static String error(String json) {
        return assertThrows(IllegalArgumentException.class, () -> CleaningConfig.fromJson(json)).getMessage();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
