package dev.tailor.training.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.TailorInfraResource;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tailor.training.keep-checkpoints} on the testkit's real S3: after a job succeeds, its intermediate
 * checkpoints beyond the newest N go (steps compared as numbers), the final model's files stay.
 */
class CheckpointRetentionTest {
    private static final ObjectLayout LAYOUT = new ObjectLayout("retention");

    private final ObjectStore store = TailorInfraResource.objectStore();
    private final TrainingStore training = new TrainingStore(store);

    @BeforeEach
    void bucket() {
        store.ensureBucket();
    }

    private static String model(ObjectStore store) {
        String modelId = "ft-keep-" + UUID.randomUUID().toString().substring(0, 8);
        String prefix = LAYOUT.tunedModel(modelId);
        for (int step : new int[] {2, 9, 10, 40}) {
            store.putString(ObjectLayout.checkpoint(prefix, step) + "adapter_model.safetensors", "w" + step, "application/octet-stream");
            store.putString(ObjectLayout.checkpoint(prefix, step) + "trainer_state.json", "{}", "application/json");
        }
        store.putString(prefix + "adapter_model.safetensors", "final", "application/octet-stream");
        store.putString(ObjectLayout.manifest(prefix), "{}", "application/json");
        return modelId;
    }

    private static List<String> checkpointKeys(ObjectStore store, String modelId) {
        return store.list(ObjectLayout.checkpoints(LAYOUT.tunedModel(modelId))).stream().map(ObjectInfo::key).toList();
    }

    @Test
    void keepsTheNewestNByStepAndTheFinalModel() {
        String modelId = model(store);
        String prefix = LAYOUT.tunedModel(modelId);

        assertEquals(2, training.pruneCheckpoints(LAYOUT, modelId, 2));
        List<String> left = checkpointKeys(store, modelId);
        assertEquals(4, left.size(), left.toString());
        assertTrue(left.stream().allMatch(k -> k.contains("/step-10/") || k.contains("/step-40/")), left.toString());
        assertEquals(0, training.pruneCheckpoints(LAYOUT, modelId, 2), "nothing more to delete");
        assertTrue(store.exists(prefix + "adapter_model.safetensors"));
        assertTrue(store.exists(ObjectLayout.manifest(prefix)));
    }

    @Test
    void theDefaultZeroDeletesEveryCheckpoint() {
        String modelId = model(store);

        assertEquals(4, training.pruneCheckpoints(LAYOUT, modelId, 0));
        assertEquals(List.of(), checkpointKeys(store, modelId));
        assertTrue(store.exists(LAYOUT.tunedModel(modelId) + "adapter_model.safetensors"));
        assertThrows(IllegalArgumentException.class, () -> training.pruneCheckpoints(LAYOUT, modelId, -1));
    }
}
