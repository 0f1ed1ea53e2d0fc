package dev.tailor.eval.domain.request;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A model in an evaluation: a base model ({@code adapter} null) or a tuned model on its base.
 *
 * @param id        the model's id: a base model's name or a tuned model's id
 * @param baseModel the base model it runs on (its own name for a base model)
 * @param adapter   s3 URI of the tuned model's folder (PEFT adapter or full checkpoint), null for a base model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSide(String id, String baseModel, String adapter) {
    public ModelSide {
        if (id == null || id.isBlank() || baseModel == null || baseModel.isBlank()) {
            throw new IllegalArgumentException("a model needs its id and base model");
        }
    }

    public static ModelSide base(String name) {
        return new ModelSide(name, name, null);
    }

    public boolean isBase() {
        return adapter == null;
    }
}
