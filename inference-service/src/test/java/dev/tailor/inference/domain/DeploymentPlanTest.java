package dev.tailor.inference.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.events.DeploymentTarget;
import dev.tailor.common.events.ModelDeployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each record carries the history rollback needs, whatever replica reads only the compacted topic. */
class DeploymentPlanTest {
    private static DeploymentTarget t(String id) {
        return new DeploymentTarget(id, "base", "s3://tailor/default/models/tuned/" + id + "/", "ds");
    }

    private static DeploymentPlan.Request to(String id) {
        return new DeploymentPlan.Request(t(id), null, 0, null, false);
    }

    @Test
    void deploymentsStackTheirHistoryAndRollbackUnstacksIt() {
        ModelDeployment d1 = DeploymentPlan.deploy("acme", "bot", null, to("m1"));
        assertEquals(List.of(), d1.history());
        ModelDeployment d2 = DeploymentPlan.deploy("acme", "bot", d1, to("m2"));
        ModelDeployment d3 = DeploymentPlan.deploy("acme", "bot", d2, new DeploymentPlan.Request(t("m3"), t("m4"), 10,
                null, true));
        assertEquals(List.of("m2", "m1"), d3.history().stream().map(DeploymentTarget::modelId).toList());
        assertEquals("m4", d3.canary().modelId());
        assertEquals(10, d3.canaryPercent());
        ModelDeployment same = DeploymentPlan.deploy("acme", "bot", d3, to("m3"));
        assertEquals(d3.history(), same.history(), "redeploying the same model adds nothing to the history");
        assertEquals(null, same.canary(), "the canary ends with a deployment that names none");

        ModelDeployment back = DeploymentPlan.rollback("acme", "bot", d3);
        assertEquals("m2", back.modelId());
        assertEquals(List.of("m1"), back.history().stream().map(DeploymentTarget::modelId).toList());
        assertEquals(null, back.canary());
        assertTrue(back.logCompletions(), "logging stays as it was");
        ModelDeployment first = DeploymentPlan.rollback("acme", "bot", back);
        assertEquals("m1", first.modelId());
        OpenAiException none = assertThrows(OpenAiException.class, () -> DeploymentPlan.rollback("acme", "bot", first));
        assertEquals(OpenAiException.NO_PREVIOUS_TARGET, none.code());
    }

    @Test
    void undeployKeepsTheHistoryAndRefusesWhatIsNotActive() {
        ModelDeployment d2 = DeploymentPlan.deploy("acme", "bot", DeploymentPlan.deploy("acme", "bot", null, to("m1")),
                to("m2"));
        ModelDeployment off = DeploymentPlan.undeploy("acme", "bot", d2);
        assertFalse(off.active());
        assertEquals(d2.history(), off.history());
        assertEquals(OpenAiException.DEPLOYMENT_NOT_FOUND,
                assertThrows(OpenAiException.class, () -> DeploymentPlan.undeploy("acme", "bot", off)).code());
        assertEquals(OpenAiException.DEPLOYMENT_NOT_FOUND,
                assertThrows(OpenAiException.class, () -> DeploymentPlan.rollback("acme", "bot", off)).code());
        ModelDeployment again = DeploymentPlan.deploy("acme", "bot", off, to("m3"));
        assertEquals(List.of("m1"), again.history().stream().map(DeploymentTarget::modelId).toList(),
                "an undeployed target is not rolled back to");
    }

    @Test
    void requestsAndAliasesAreChecked() {
        assertThrows(OpenAiException.class, () -> DeploymentPlan.checkAlias("Bad Alias"));
        assertThrows(OpenAiException.class, () -> DeploymentPlan.checkAlias("x".repeat(65)));
        assertEquals("support-bot.v2", DeploymentPlan.checkAlias("support-bot.v2"));
        assertEquals("canary.percent", assertThrows(OpenAiException.class,
                () -> new DeploymentPlan.Request(t("m1"), t("m2"), 100, null, false)).param());
        assertEquals("canary.model", assertThrows(OpenAiException.class,
                () -> new DeploymentPlan.Request(t("m1"), t("m1"), 10, null, false)).param());
        assertEquals("canary.model", assertThrows(OpenAiException.class,
                () -> new DeploymentPlan.Request(t("m1"), null, 10, null, false)).param());
    }

    @Test
    void theCanarySplitIsExactOverAnyHundredRequests() {
        for (int percent : new int[] {1, 10, 33, 50, 99}) {
            int n = 0;
            for (long i = 0; i < 100; i++) {
                n += CanarySplit.canary(i + 1234, percent) ? 1 : 0;
            }
            assertEquals(percent, n, "percent " + percent);
        }
    }
}
