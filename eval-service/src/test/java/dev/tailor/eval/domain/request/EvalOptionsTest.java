package dev.tailor.eval.domain.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.eval.domain.gate.GatePolicy;
import dev.tailor.eval.domain.metrics.Chrf;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void nothingGivenIsTheCarefulDefault() {
        EvalOptions o = EvalOptions.parse(null, EvalOptions.DEFAULT);
        assertEquals(GatePolicy.careful(), o.gate());
        assertEquals(128, o.generation().maxNewTokens());
        assertTrue(o.generation().greedy());
        assertEquals(Chrf.CHRF, o.metrics().chrfVariant());
        assertTrue(o.metrics().embeddings());
        assertNull(o.judge());
        assertEquals(500, o.maxExamples());
    }

    @Test
    void groupsMergeFieldByFieldOverTheServiceDefaultsAndTheGateReplacesTheDefaultGate() throws Exception {
        EvalOptions service = EvalOptions.parse(json("{\"generation\": {\"maxNewTokens\": 64, \"temperature\": 0.7}}"),
                EvalOptions.DEFAULT);
        EvalOptions o = EvalOptions.parse(json("{\"generation\": {\"seed\": 7}, \"metrics\": {\"chrf\": \"chrF++\"},"
                + " \"gate\": {\"loss\": {\"minRelativeImprovement\": 0.02}}, \"slices\": [\"product\"]}"), service);
        assertEquals(64, o.generation().maxNewTokens());
        assertEquals(0.7, o.generation().temperature());
        assertEquals(7L, o.generation().seed());
        assertEquals(Chrf.CHRF_PLUS_PLUS, o.metrics().chrfVariant());
        assertEquals(0.02, o.gate().loss().minRelativeImprovement());
        assertEquals(List.of(), o.gate().metrics(), "a given gate is the whole gate");
        assertNull(o.gate().forgetting());
        assertEquals(List.of("product"), o.slices());
    }

    @Test
    void mistakesNameTheField() {
        assertMessage("{\"generation\": {\"maxNewTokens\": 0}}", "generation.maxNewTokens");
        assertMessage("{\"generation\": {\"temprature\": 1}}", "temprature");
        assertMessage("{\"metrics\": {\"chrf\": \"bleu\"}}", "metrics.chrf");
        assertMessage("{\"gate\": {}}", "at least one condition");
        assertMessage("{\"judge\": {\"url\": \"http://x/v1\"}}", "judge.model");
        assertMessage("{\"generalText\": [\"/tmp/x\"]}", "generalText");
        assertMessage("{\"metrics\": 3}", "metrics must be a JSON object");
    }

    @Test
    void theKeyIsNotWrittenDown() throws Exception {
        EvalOptions o = EvalOptions.parse(json("{\"judge\": {\"url\": \"http://x/v1\", \"model\": \"m\", "
                + "\"apiKey\": \"sk-1\"}}"), EvalOptions.DEFAULT);
        assertEquals("sk-1", o.judge().apiKey());
        assertTrue(!o.redacted().toJson().toString().contains("sk-1"));
    }

    private static void assertMessage(String json, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvalOptions.parse(JSON.readTree(json), EvalOptions.DEFAULT));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
