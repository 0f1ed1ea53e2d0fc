package dev.tailor.training.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobIdentityTest {

    @Test
    void sameInputsGiveSameIdsAndAnyChangeGivesNewOnes() {
        JobIdentity a = JobIdentity.derive("t", "ds", "v1", "tiny", "{\"epochs\":1}");
        assertEquals(a, JobIdentity.derive("t", "ds", "v1", "tiny", "{\"epochs\":1}"));
        assertNotEquals(a, JobIdentity.derive("t", "ds", "v2", "tiny", "{\"epochs\":1}"));
        assertNotEquals(a, JobIdentity.derive("t", "ds", "v1", "other", "{\"epochs\":1}"));
        assertNotEquals(a, JobIdentity.derive("t", "ds", "v1", "tiny", "{\"epochs\":2}"));
        assertNotEquals(a, JobIdentity.derive("u", "ds", "v1", "tiny", "{\"epochs\":1}"));
        assertTrue(a.jobId().matches("job-[0-9a-f]{16}"), a.jobId());
        assertEquals(a.modelId(), JobIdentity.modelIdOf(a.jobId()).orElseThrow());
        assertTrue(JobIdentity.modelIdOf("someone-elses-id").isEmpty());
    }
}
