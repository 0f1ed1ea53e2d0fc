package dev.tailor.llm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RopeScalingTest {

    @Test
    void llama3ScalingParsesRoundTripsAndScalesLowFrequencies(@TempDir Path dir) throws Exception {
        String json = """
                {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 96,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 1, "vocab_size": 320,
                 "max_position_embeddings": 131072, "rope_theta": 500000.0, "rms_norm_eps": 1e-5,
                 "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                   "original_max_position_embeddings": 8192, "rope_type": "llama3"},
                 "tie_word_embeddings": true, "bos_token_id": 128000, "eos_token_id": [128001, 128009]}
                """;
        Files.writeString(dir.resolve("config.json"), json);
        ModelConfig c = ModelConfig.read(dir);
        assertEquals(new ModelConfig.RopeScaling("llama3", 32, 1, 4, 8192), c.ropeScaling());
        assertEquals(java.util.List.of(128001, 128009), c.eosTokenIds());
        Files.writeString(dir.resolve("config.json"), c.toJson());
        assertEquals(c, ModelConfig.read(dir));
        assertEquals("llama3", new ObjectMapper().readTree(c.toJson()).path("rope_scaling").path("rope_type").asText());

        float high = 1.0f;                                  // wavelength 6.3 < 8192/4: unchanged
        assertEquals(high, Rope.scaled(c, high));
        float low = (float) (2 * Math.PI / 20000);          // wavelength 20000 > 8192: divided by the factor
        assertEquals(low / 32, Rope.scaled(c, low), 1e-12);
        float mid = (float) (2 * Math.PI / 4096);           // between: smooth = (8192/4096 - 1) / 3 = 1/3
        assertEquals((2.0 / 3) * mid / 32 + (1.0 / 3) * mid, Rope.scaled(c, mid), 1e-9);
    }
}
