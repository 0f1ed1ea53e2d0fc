package dev.tailor.eval.domain.gate;

/**
 * One gate condition checked.
 *
 * @param name      what was checked, e.g. {@code ROUGE-L gain}
 * @param passed    whether the condition holds
 * @param value     the number compared, in the units of the condition (null when it was not measured)
 * @param threshold the number it was compared with
 * @param detail    the check with its numbers, as a clause a person reads
 */
public record ConditionResult(String name, boolean passed, Double value, double threshold, String detail) {

    public ConditionResult {
        if (name == null || name.isBlank() || detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("a condition result needs a name and a detail");
        }
    }
}
