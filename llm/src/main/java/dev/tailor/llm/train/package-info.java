/**
 * The training loop on DJL's PyTorch engine (the fine-tune recipe in {@code dev.tailor.llm.finetune} drives it).
 *
 * <p>{@link dev.tailor.llm.train.TrainingLoop} runs optimizer steps over a {@link dev.tailor.llm.train.TrainingModel}
 * (LoRA adapters on a frozen base, or every weight): {@code train.batch.BatchPlan} gives each step the same data for a
 * given seed (per-epoch seeded permutation, right padding, optional packing), each micro-batch's loss sum
 * ({@link dev.tailor.llm.train.AnswerLoss}) is divided by the answer tokens of the whole step so gradient accumulation
 * equals one big batch, gradients are clipped by global norm and applied by {@code train.optim.AdamW} on the
 * {@code train.optim.LrSchedule}. What to train with comes from the {@code TrainingParams}; how to run (output
 * folder, checkpoints, listener, cancellation) from {@link dev.tailor.llm.train.RunOptions}.
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
 * (parameters and result), {@code metrics.jsonl} (one line per step), {@code checkpoints/step-N/}.
 */
package dev.tailor.llm.train;
