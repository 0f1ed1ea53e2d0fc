package dev.tailor.common.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tailor.common.values.Checks;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A training job that is one candidate of a small hyper-parameter sweep: the sweep's candidates are trained one
 * after another, each is evaluated, and only the best by the gate's metric is promoted.
 *
 * @param sweepId    the sweep, the same for all its candidates
 * @param index      this candidate's position, 0-based
 * @param candidates how many candidates the sweep has
 */
@JsonClassDescription("one candidate of a training sweep")
public record Sweep(
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String sweepId,
        @Min(0) @JsonPropertyDescription("0-based position of this candidate") int index,
        @Min(1) @Max(MAX_CANDIDATES) int candidates) {
    /** The most candidates one sweep may have. */
    public static final int MAX_CANDIDATES = 16;

    public Sweep {
        Checks.id("sweepId", sweepId);
        Checks.between("sweep.candidates", candidates, 1, MAX_CANDIDATES, "");
        Checks.between("sweep.index", index, 0, candidates - 1, " (0-based, below candidates)");
    }
}
