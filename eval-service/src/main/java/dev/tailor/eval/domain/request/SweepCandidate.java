package dev.tailor.eval.domain.request;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A tuned model that is one candidate of a training sweep.
 *
 * @param sweepId    the sweep
 * @param index      this candidate's position (0-based)
 * @param candidates how many candidates the sweep has
 * @param best       the candidate the sweep promoted, once decided (null before)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepCandidate(String sweepId, int index, int candidates, String best) {
    public SweepCandidate {
        if (sweepId == null || candidates < 1 || index < 0 || index >= candidates) {
            throw new IllegalArgumentException("a sweep candidate needs the sweep id and 0 <= index < candidates");
        }
    }
}
