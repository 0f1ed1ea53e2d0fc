package dev.tailor.ingest.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.testkit.TailorInfraResource;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two replicas' claims on one source, on the real test S3 server: one holds it until it ends or releases it. */
class SourceLeaseTest {
    @Test
    void oneReplicaHoldsASourceUntilItsLeaseEndsOrIsReleased() throws Exception {
        SourceStore sources = new SourceStore();
        sources.store = TailorInfraResource.objectStore();
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        assertTrue(sources.claim(tenant, "src-a", "replica-1", Duration.ofMinutes(1)));
        assertFalse(sources.claim(tenant, "src-a", "replica-2", Duration.ofMinutes(1)), "held by replica-1");
        assertTrue(sources.claim(tenant, "src-a", "replica-1", Duration.ofMinutes(1)), "the holder may renew");
        assertEquals("replica-1", sources.lease(tenant, "src-a").orElseThrow().holder());
        sources.release(tenant, "src-a", "replica-2"); // not its lease: nothing happens
        assertFalse(sources.claim(tenant, "src-a", "replica-2", Duration.ofMinutes(1)));
        sources.release(tenant, "src-a", "replica-1");
        assertTrue(sources.claim(tenant, "src-a", "replica-2", Duration.ofMillis(300)));
        Thread.sleep(400); // a replica that died holding it: its lease runs out
        assertTrue(sources.claim(tenant, "src-a", "replica-1", Duration.ofMinutes(1)), "an expired lease is taken over");
    }
}
