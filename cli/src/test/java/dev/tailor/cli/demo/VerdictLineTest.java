package dev.tailor.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VerdictLineTest {

    @Test
    void everyMetricWithItsInterval() {
        JsonNode view = Json.read(("{\"metrics\":[{\"metric\":\"rouge_l\",\"label\":\"ROUGE-L\",\"comparison\":"
                + "{\"meanGain\":0.0412,\"interval\":{\"lower\":0.0121,\"upper\":0.0705}}},{\"metric\":\"answer_loss\","
                + "\"label\":\"answer loss\",\"comparison\":{\"meanGain\":0.52,\"interval\":{\"lower\":0.4,"
                + "\"upper\":0.61}}}]}").getBytes(StandardCharsets.UTF_8), JsonNode.class);
        assertEquals("ROUGE-L +0.041 [+0.012, +0.071] · answer loss +0.520 [+0.400, +0.610]", VerdictLine.of(view));
        assertEquals("", VerdictLine.of(null));
    }
}
