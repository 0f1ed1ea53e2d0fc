/**
 * Fine-tuning and pretraining on DJL's PyTorch engine.
 *
 * <p>{@link dev.tailor.llm.train.Trainer} is the facade: examples are encoded by the model's
 * {@code ExampleEncoder} (only answer tokens are targets), then {@link dev.tailor.llm.train.TrainingLoop}
 * runs optimizer steps: {@link dev.tailor.llm.train.BatchPlan} gives each step the same data for a
 * given seed (per-epoch seeded permutation, right padding, optional {@link dev.tailor.llm.train.Packing}),
 * each micro-batch's loss sum ({@link dev.tailor.llm.train.AnswerLoss}) is divided by the answer tokens of
 * the whole step so gradient accumulation equals one big batch, gradients are clipped by global norm and
 * applied by {@link dev.tailor.llm.train.AdamW} on the {@link dev.tailor.llm.train.LrSchedule}.
 *
 * <p>Reproducibility and resume: the torch RNG (LoRA dropout) is re-seeded from (seed, step, micro-batch)
 * before each forward pass, so a {@link dev.tailor.llm.train.Checkpoints checkpoint} only needs the trainable
 * weights, the AdamW moments and the step; a resumed run reproduces the uninterrupted run's losses.
 *
 * <p>Native memory: every step runs inside an {@code NDScope} and its own manager (DJL otherwise leaks
 * ~60 MB per step); AdamW moments are allocated once. One training run per JVM at a time (DJL allows a
 * single gradient collector per process).
 *
 * <p>Outputs in the output folder: the PEFT adapter (LoRA) or HF checkpoint (full), {@code training.json}
 * (config and result), {@code metrics.jsonl} (one line per step), {@code checkpoints/step-N/}.
 */
package dev.tailor.llm.train;
