package dev.tailor.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.values.Checks;

/**
 * What an upload asked of training, kept with the upload (its ingest manifest) and read by training when the
 * dataset is cleaned: cleaning never sees these.
 *
 * @param autoTrain  whether the cleaned dataset should start a training job on its own
 * @param baseModel  base model to fine-tune, or null for the training service's default
 * @param params     training parameters, or null for the training service's auto-train parameters
 * @param evaluation evaluation settings for the models trained on this upload (the eval service's settings
 *                   object: generation, metrics, judge, gate, slices), or null for its defaults
 */
public record TrainingOptions(boolean autoTrain, String baseModel, TrainingParams params,
                              @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode evaluation) {
    public TrainingOptions {
        baseModel = baseModel == null || baseModel.isBlank() ? null : Checks.notBlank("baseModel", baseModel);
    }

    public TrainingOptions(boolean autoTrain, String baseModel, TrainingParams params) {
        this(autoTrain, baseModel, params, null);
    }

    /** No auto-training. */
    public static TrainingOptions none() {
        return new TrainingOptions(false, null, null);
    }
}
