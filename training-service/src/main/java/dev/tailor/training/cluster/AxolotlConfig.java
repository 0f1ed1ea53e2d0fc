package dev.tailor.training.cluster;

import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.training.domain.Placement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The axolotl (v0.18.0, image {@code axolotlai/axolotl:0.18.0}) configuration of a training job, from its parameters:
 * LoRA rank/alpha/dropout/targets (or full fine-tuning), learning rate, schedule and warm-up, epochs or steps, batch
 * and accumulation, sequence length and packing, the base model's own chat template ({@code tokenizer_default}) with
 * the loss on assistant turns only, validation every N steps with early stopping, checkpoints it resumes from, bf16
 * on the GPUs, and FSDP across GPUs when there is more than one. Keys and types follow axolotl's config schema
 * ({@code src/axolotl/utils/schemas/}; checked by a test against the schema generated from that source).
 */
public final class AxolotlConfig {
    /** Paths inside the trainer pods (the entrypoint downloads there, axolotl reads and writes there). */
    static final String ROOT = "/workspace/tailor";
    static final String MODEL_DIR = ROOT + "/model";
    static final String DATA_DIR = ROOT + "/data";
    /** The parent model's PEFT adapter, when the job continues a tuned model. */
    static final String PARENT_DIR = ROOT + "/parent";
    static final String OUTPUT_DIR = ROOT + "/output";

    private AxolotlConfig() {
    }

    /** A job that starts from fresh adapters. */
    public static Map<String, Object> of(TrainingParams p, ModelConfig shape, Placement placement,
                                         int checkpointEvery, boolean hasValidation) {
        return of(p, shape, placement, checkpointEvery, hasValidation, false);
    }

    /**
     * @param hasValidation whether the version has a validation split
     * @param hasParent     whether the job continues a tuned model: its adapter ({@link #PARENT_DIR}) is the starting
     *                      point ({@code lora_model_dir}), as for a local job
     * @throws IllegalArgumentException for parameters axolotl cannot express (a fractional LoRA alpha, a parent
     *                                  model with full fine-tuning)
     */
    public static Map<String, Object> of(TrainingParams p, ModelConfig shape, Placement placement,
                                         int checkpointEvery, boolean hasValidation, boolean hasParent) {
        if (hasParent && !p.usesLora()) {
            throw new IllegalArgumentException("continuing from a parent model's adapter needs method=lora; to "
                    + "continue a full fine-tune, use the tuned checkpoint as the base model");
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("base_model", MODEL_DIR);
        c.put("chat_template", "tokenizer_default");
        c.put("datasets", List.of(dataset(DATA_DIR + "/train.jsonl")));
        if (hasValidation) {
            c.put("test_datasets", List.of(dataset(DATA_DIR + "/validation.jsonl")));
        }
        c.put("val_set_size", 0.0);
        c.put("train_on_inputs", false);
        c.put("dataset_prepared_path", ROOT + "/prepared");
        c.put("output_dir", OUTPUT_DIR);
        if (p.usesLora()) {
            TrainingParams.Lora l = p.lora();
            if (l.alpha() != Math.rint(l.alpha())) {
                throw new IllegalArgumentException("lora.alpha " + l.alpha() + " is fractional; axolotl takes a whole"
                        + " lora_alpha: use a whole number for backend kubeflow");
            }
            c.put("adapter", "lora");
            c.put("lora_r", l.rank());
            c.put("lora_alpha", (int) l.alpha());
            c.put("lora_dropout", l.dropout());
            c.put("lora_target_modules", l.targetModules().stream().map(Projection::moduleName).toList());
            if (hasParent) {
                c.put("lora_model_dir", PARENT_DIR);
            }
        }
        TrainingParams.Data d = p.data();
        c.put("sequence_len", Math.min(d.maxSeqLength(), shape.maxPositionEmbeddings()));
        c.put("sample_packing", d.packing());
        c.put("micro_batch_size", d.batchSize());
        c.put("gradient_accumulation_steps", d.gradientAccumulation());
        TrainingParams.Schedule s = p.schedule();
        c.put("num_epochs", (double) s.epochs());
        if (s.maxSteps() > 0) {
            c.put("max_steps", s.maxSteps());
        }
        c.put("optimizer", "adamw_torch");
        c.put("learning_rate", p.optimizer().learningRate());
        c.put("lr_scheduler", switch (s.scheduler()) {
            case "constant" -> s.warmupRatio() > 0 ? "constant_with_warmup" : "constant";
            default -> s.scheduler(); // cosine, linear: Hugging Face scheduler names
        });
        c.put("warmup_ratio", s.warmupRatio());
        c.put("weight_decay", p.optimizer().weightDecay());
        c.put("max_grad_norm", p.optimizer().maxGradNorm());
        c.put("seed", (int) p.seed());
        if (hasValidation && p.evaluation().evalEvery() > 0) {
            c.put("eval_steps", p.evaluation().evalEvery());
        }
        if (hasValidation && p.evaluation().earlyStoppingPatience() > 0) {
            c.put("early_stopping_patience", p.evaluation().earlyStoppingPatience());
        }
        c.put("save_steps", checkpointEvery);
        c.put("save_total_limit", 2);
        c.put("auto_resume_from_checkpoints", true);
        c.put("logging_steps", 1);
        c.put("bf16", !placement.precision().equals("fp32"));
        c.put("gradient_checkpointing", true);
        c.put("sdp_attention", true);
        if (placement.gpus() > 1) {
            c.put("fsdp_version", 2);
            Map<String, Object> fsdp = new LinkedHashMap<>();
            fsdp.put("auto_wrap_policy", "TRANSFORMER_BASED_WRAP");
            fsdp.put("transformer_layer_cls_to_wrap", decoderLayer(shape));
            fsdp.put("state_dict_type", "FULL_STATE_DICT");
            fsdp.put("reshard_after_forward", true);
            fsdp.put("offload_params", false);
            c.put("fsdp_config", fsdp);
        }
        return c;
    }

    /** A chat split: the loss on the assistant turns only, each turn ending at its end-of-turn token. */
    private static Map<String, Object> dataset(String path) {
        Map<String, Object> ds = new LinkedHashMap<>();
        ds.put("path", path);
        ds.put("ds_type", "json");
        ds.put("split", "train");
        ds.put("type", "chat_template");
        ds.put("field_messages", "messages");
        ds.put("roles_to_train", List.of("assistant"));
        ds.put("train_on_eos", "turn");
        return ds;
    }

    /** transformers' decoder layer class of the architecture (what FSDP wraps). */
    static String decoderLayer(ModelConfig shape) {
        String arch = shape.architecture();
        if (arch.startsWith("Qwen2")) {
            return "Qwen2DecoderLayer";
        }
        if (arch.startsWith("Mistral")) {
            return "MistralDecoderLayer";
        }
        return "LlamaDecoderLayer";
    }
}
