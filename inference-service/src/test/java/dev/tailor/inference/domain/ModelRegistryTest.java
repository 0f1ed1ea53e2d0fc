package dev.tailor.inference.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

    @Test
    void aliasesResolveToTunedModelsOnTheirBase() {
        ModelRegistry r = new ModelRegistry();
        r.addBase("base", 1);
        r.addTuned("ft-1", "base", "ft-1", 2);
        r.setAlias("latest", "ft-1", 3);
        assertEquals(new ModelRegistry.Target("ft-1", "base", "ft-1"), r.resolve("latest").orElseThrow());
        assertEquals(new ModelRegistry.Target("base", "base", null), r.resolve("base").orElseThrow());
        assertEquals(List.of("base", "ft-1", "latest"), r.list().stream().map(ModelRegistry.Entry::id).toList());
        assertEquals(List.of("base", "tuned", "alias"), r.list().stream().map(ModelRegistry.Entry::kind).toList());

        r.addTuned("ft-2", "base", "ft-2", 4);
        r.setAlias("latest", "ft-2", 5);
        assertEquals("ft-2", r.resolve("latest").orElseThrow().id());
        r.removeAlias("latest");
        assertTrue(r.resolve("latest").isEmpty());
        assertTrue(r.resolve("ft-1").isPresent());
    }

    @Test
    void leastRecentlyUsedTunedModelsWithoutAliasAreEvicted() {
        ModelRegistry r = new ModelRegistry();
        r.addBase("base", 1);
        r.addTuned("ft-1", "base", "ft-1", 1);
        r.addTuned("ft-2", "base", "ft-2", 1);
        r.addTuned("full-3", "full-3", null, 1); // a full fine-tune is a model of its own
        r.setAlias("prod", "ft-1", 1);
        r.resolve("ft-2");
        assertEquals(List.of(), r.evictable(3));
        assertEquals(List.of("full-3"), r.evictable(2).stream().map(ModelRegistry.Target::id).toList());
        assertEquals(List.of("full-3", "ft-2"), r.evictable(1).stream().map(ModelRegistry.Target::id).toList());
        assertEquals("tuned", r.list().stream().filter(e -> e.id().equals("full-3")).findFirst().orElseThrow().kind());
        r.remove("ft-1");
        assertTrue(r.resolve("prod").isEmpty(), "an alias of a removed model goes too");
    }

    @Test
    void anAliasNeedsALoadedModelAndCannotShadowOne() {
        ModelRegistry r = new ModelRegistry();
        r.addBase("base", 1);
        assertThrows(IllegalArgumentException.class, () -> r.setAlias("x", "missing", 1));
        assertThrows(IllegalArgumentException.class, () -> r.setAlias("base", "base", 1));
    }
}
