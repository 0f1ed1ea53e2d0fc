package dev.tailor.training.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.events.Sweep;
import dev.tailor.common.values.Checks;

/**
 * What a job carries besides its data and parameters.
 *
 * @param parentModel a tuned model to continue from (its adapter is the starting point), or null
 * @param sweep       the sweep the job is a candidate of, or null
 * @param evaluation  evaluation settings for the tuned model, handed to eval with model.trained, or null
 */
public record JobContext(String parentModel, Sweep sweep, ObjectNode evaluation) {
    public static final JobContext NONE = new JobContext(null, null, null);

    public JobContext {
        Checks.optionalId("parentModel", parentModel);
    }

    public JobContext withSweep(Sweep candidate) {
        return new JobContext(parentModel, candidate, evaluation);
    }
}
