package dev.tailor.eval.domain.report;

import dev.tailor.eval.domain.gate.GatePolicy;
import dev.tailor.eval.domain.gate.GateVerdict;

/** The gate that was applied and what it decided. */
public record GateReport(GatePolicy policy, GateVerdict verdict) {
    public GateReport {
        if (policy == null || verdict == null) {
            throw new IllegalArgumentException("a gate report needs the policy and the verdict");
        }
    }
}
