package dev.tailor.common.events;

import dev.tailor.common.values.Checks;

/**
 * What an upload asked of training, kept with the upload (its ingest manifest) and read by training when the
 * dataset is cleaned: cleaning never sees these.
 *
 * @param autoTrain whether the cleaned dataset should start a training job on its own
 * @param baseModel base model to fine-tune, or null for the training service's default
 * @param params    training parameters, or null for the training service's auto-train parameters
 */
public record TrainingOptions(boolean autoTrain, String baseModel, TrainingParams params) {
    public TrainingOptions {
        baseModel = baseModel == null || baseModel.isBlank() ? null : Checks.notBlank("baseModel", baseModel);
    }

    /** No auto-training. */
    public static TrainingOptions none() {
        return new TrainingOptions(false, null, null);
    }
}
