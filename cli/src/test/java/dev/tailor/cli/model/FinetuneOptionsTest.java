package dev.tailor.cli.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tailor.llm.train.TrainConfig;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FinetuneOptionsTest {

    @Test
    void everyTrainingParameterHasAnOptionAndOnlyGivenOnesOverride() {
        FinetuneCommand cmd = new FinetuneCommand();
        new CommandLine(cmd).parseArgs("--model", "m", "--train", "t.jsonl", "--lora-rank", "4",
                "--learning-rate", "5e-3", "--packing");
        Map<String, Object> flags = cmd.flags();
        List<String> names = Arrays.stream(TrainConfig.class.getRecordComponents()).map(RecordComponent::getName).toList();
        assertEquals(names, List.copyOf(flags.keySet()));
        assertEquals(4, flags.get("loraRank"));
        assertEquals(5e-3, flags.get("learningRate"));
        assertEquals(true, flags.get("packing"));
        assertNull(flags.get("epochs"));

        TrainConfig merged = TrainConfig.defaults().with(flags);
        assertEquals(4, merged.loraRank());
        assertEquals(TrainConfig.defaults().epochs(), merged.epochs());
    }
}
