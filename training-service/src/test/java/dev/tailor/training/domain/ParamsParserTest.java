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
        assertEquals(4, p.loraRank());
        assertEquals(10, p.maxSteps());
        assertEquals(TrainingParams.defaults().learningRate(), p.learningRate());
        assertEquals(TrainingParams.defaults(), ParamsParser.parse(null));
    }

    @Test
    void jsonTextSuchAsTheAutoTrainSettingIsReadTheSameWay() {
        TrainingParams p = ParamsParser.parseText("{\"maxSeqLength\": 512, \"epochs\": 3}");
        assertEquals(512, p.maxSeqLength());
        assertEquals(3, p.epochs());
        assertEquals(TrainingParams.defaults().loraRank(), p.loraRank());
        JobRejected broken = assertThrows(JobRejected.class, () -> ParamsParser.parseText("{\"epochs\": "));
        assertEquals("params", broken.field());
    }

    @Test
    void outOfRangeNamesTheFieldAndTheRange() {
        JobRejected e = assertThrows(JobRejected.class, () -> ParamsParser.parse(json("{\"loraRank\": 0}")));
        assertEquals(JobRejected.Reason.INVALID, e.reason());
        assertEquals("params.loraRank", e.field());
        assertTrue(e.getMessage().contains("between 1 and 256"), e.getMessage());
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
