package dev.tailor.training.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import org.junit.jupiter.api.Test;

class ParamsParserTest {

    private static JsonNode json(String s) {
        return Json.read(s, JsonNode.class);
    }

    @Test
    void partialParamsAreMergedOverDefaults() {
        TrainingParams p = ParamsParser.parse(json("{\"loraRank\": 4, \"maxSteps\": 10}"));
        assertEquals(4, p.lora().rank());
        assertEquals(10, p.schedule().maxSteps());
        assertEquals(TrainingParams.defaults().optimizer().learningRate(), p.optimizer().learningRate());
        assertEquals(TrainingParams.defaults(), ParamsParser.parse(null));
        assertEquals(p, ParamsParser.parse(json("{\"lora\": {\"rank\": 4}, \"schedule\": {\"maxSteps\": 10}}")));
    }

    @Test
    void jsonTextSuchAsTheAutoTrainSettingIsReadTheSameWay() {
        TrainingParams p = ParamsParser.parseText("{\"maxSeqLength\": 512, \"epochs\": 3}");
        assertEquals(512, p.data().maxSeqLength());
        assertEquals(3, p.schedule().epochs());
        assertEquals(TrainingParams.defaults().lora().rank(), p.lora().rank());
        JobRejected broken = assertThrows(JobRejected.class, () -> ParamsParser.parseText("{\"epochs\": "));
        assertEquals("params", broken.field());
    }

    @Test
    void outOfRangeNamesTheFieldAndTheRange() {
        JobRejected e = assertThrows(JobRejected.class, () -> ParamsParser.parse(json("{\"loraRank\": 0}")));
        assertEquals(JobRejected.Reason.INVALID, e.reason());
        assertEquals("params.loraRank", e.field());
        assertTrue(e.getMessage().contains("between 1 and 256"), e.getMessage());
        JobRejected nested = assertThrows(JobRejected.class, () -> ParamsParser.parse(json("{\"lora\": {\"rank\": 0}}")));
        assertEquals("params.lora.rank", nested.field());
        assertTrue(nested.getMessage().contains("between 1 and 256"), nested.getMessage());
    }

    @Test
    void unknownNamesAndWrongTypesAreRejected() {
        JobRejected unknown = assertThrows(JobRejected.class, () -> ParamsParser.parse(json("{\"lr\": 0.1}")));
        assertEquals("params.lr", unknown.field());
        assertTrue(unknown.getMessage().contains("learningRate"), unknown.getMessage());
        JobRejected type = assertThrows(JobRejected.class, () -> ParamsParser.parse(json("{\"epochs\": \"many\"}")));
        assertEquals("params.epochs", type.field());
        JobRejected notObject = assertThrows(JobRejected.class, () -> ParamsParser.parse(json("[1]")));
        assertEquals("params", notObject.field());
    }
}
