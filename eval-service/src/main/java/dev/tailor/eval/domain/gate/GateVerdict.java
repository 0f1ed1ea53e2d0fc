package dev.tailor.eval.domain.gate;

import java.util.List;

/**
 * The gate's verdict.
 *
 * @param decision   PROMOTE or REJECT
 * @param deciding   the condition that decided: the first that failed, or the quality condition that passed
 * @param conditions every condition checked, in the policy's order (loss, metrics or judge, forgetting)
 * @param sentence   the verdict with its numbers, for people
 */
public record GateVerdict(Decision decision, ConditionResult deciding, List<ConditionResult> conditions,
                          String sentence) {

    public GateVerdict {
        conditions = List.copyOf(conditions);
        if (decision == null || deciding == null || conditions.isEmpty() || sentence == null) {
            throw new IllegalArgumentException("a verdict needs its decision, deciding condition, conditions and "
                    + "sentence");
        }
        if ((decision == Decision.PROMOTE) != conditions.stream().allMatch(ConditionResult::passed)) {
            throw new IllegalArgumentException("PROMOTE exactly when every condition passed");
        }
    }

    public boolean promoted() {
        return decision == Decision.PROMOTE;
    }
}
