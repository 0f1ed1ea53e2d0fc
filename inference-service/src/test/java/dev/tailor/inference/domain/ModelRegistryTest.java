package dev.tailor.inference.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.events.DeploymentTarget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {
    private static final ModelRegistry.ModelInfo INFO = new ModelRegistry.ModelInfo("base", "s3://b/m/", "ds", "v1",
            "PROMOTE", "better");

    private static ModelRegistry.Route route(String alias, String model, String canary, int percent) {
        return new ModelRegistry.Route(alias, model, canary, percent, false, new DeploymentTarget(model, "base",
                null, null), canary == null ? null : new DeploymentTarget(canary, "base", null, null));
    }

    @Test
    void aliasesResolveToTunedModelsOnTheirBase() {
        ModelRegistry r = new ModelRegistry();
        r.addBase("base", 1);
        r.addTuned("ft-1", "base", "ft-1", INFO, 2);
        r.setAlias(route("latest", "ft-1", null, 0), 3);
        ModelRegistry.Resolved viaAlias = r.resolve("latest", null).orElseThrow();
        assertEquals("ft-1", viaAlias.target().id());
        assertEquals("base", viaAlias.target().model());
        assertEquals("latest", viaAlias.route().alias());
        assertEquals(null, r.resolve("base", null).orElseThrow().route(), "called by its own name");
        assertEquals(List.of("base", "ft-1", "latest"), r.list().stream().map(ModelRegistry.Entry::id).toList());
        assertEquals(List.of("base", "tuned", "alias"), r.list().stream().map(ModelRegistry.Entry::kind).toList());
        assertEquals(INFO, r.list().get(2).info(), "an alias shows its model's lineage");

        r.addTuned("ft-2", "base", "ft-2", INFO, 4);
        r.setAlias(route("latest", "ft-2", null, 0), 5);
        assertEquals("ft-2", r.resolve("latest", null).orElseThrow().target().id());
        r.removeAlias("latest");
        assertTrue(r.resolve("latest", null).isEmpty());
        assertTrue(r.resolve("ft-1", null).isPresent());
    }

    @Test
    void aCanaryAnswersItsShareOfTheRequestsAndAUserAlwaysTheSameModel() {
        ModelRegistry r = new ModelRegistry();
        r.addBase("base", 1);
        r.addTuned("ft-1", "base", "ft-1", INFO, 1);
        r.addTuned("ft-2", "base", "ft-2", INFO, 1);
        r.setAlias(route("bot", "ft-1", "ft-2", 20), 1);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            counts.merge(r.resolve("bot", null).orElseThrow().target().id(), 1, Integer::sum);
        }
        assertEquals(Map.of("ft-1", 800, "ft-2", 200), counts, "evenly spread: exactly 20 % over 1000 requests");
        ModelRegistry.Resolved canary = r.resolve("bot", "user-1").orElseThrow();
        for (int i = 0; i < 20; i++) {
            assertEquals(canary.target().id(), r.resolve("bot", "user-1").orElseThrow().target().id());
        }
        assertEquals(canary.target().id(), canary.deployed().modelId(), "the deployment target that answered");
        long users = java.util.stream.IntStream.range(0, 2000)
                .filter(u -> r.resolve("bot", "user-" + u).orElseThrow().target().id().equals("ft-2")).count();
        assertTrue(users > 300 && users < 500, "about 20 % of users on the canary: " + users);
    }

    @Test
    void leastRecentlyUsedTunedModelsWithoutAliasAreEvicted() {
        ModelRegistry r = new ModelRegistry();
        r.addBase("base", 1);
        r.addTuned("ft-1", "base", "ft-1", INFO, 1);
        r.addTuned("ft-2", "base", "ft-2", INFO, 1);
        r.addTuned("full-3", "full-3", null, INFO, 1); // a full fine-tune is a model of its own
        r.addTuned("ft-4", "base", "ft-4", INFO, 1);
        r.setAlias(route("prod", "ft-1", "ft-4", 5), 1);
        r.resolve("ft-2", null);
        assertEquals(List.of(), r.evictable(4));
        assertEquals(List.of("full-3"), r.evictable(3).stream().map(ModelRegistry.Target::id).toList());
        assertEquals(List.of("full-3", "ft-2"), r.evictable(2).stream().map(ModelRegistry.Target::id).toList(),
                "neither an alias's model nor its canary is evicted");
        assertEquals("tuned", r.list().stream().filter(e -> e.id().equals("full-3")).findFirst().orElseThrow().kind());
        r.remove("ft-4");
        assertTrue(r.resolve("prod", null).isEmpty(), "an alias whose canary was removed goes too");
    }

    @Test
    void anAliasNeedsLoadedModelsAndCannotShadowOne() {
        ModelRegistry r = new ModelRegistry();
        r.addBase("base", 1);
        assertThrows(IllegalArgumentException.class, () -> r.setAlias(route("x", "missing", null, 0), 1));
        assertThrows(IllegalArgumentException.class, () -> r.setAlias(route("x", "base", "missing", 10), 1));
        assertThrows(IllegalArgumentException.class, () -> r.setAlias(route("base", "base", null, 0), 1));
    }
}
