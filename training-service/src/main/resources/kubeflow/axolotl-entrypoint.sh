# Entrypoint of a Tailor TrainJob's trainer pods (axolotl image; `bash -c` runs this text). Every node fetches the base
# model, the parent model's adapter when the job continues one (axolotl's lora_model_dir), and the dataset version's
# splits from S3, restores the checkpoints of an earlier attempt, runs axolotl under
# torchrun (Kubeflow's torch runtime sets PET_NNODES, PET_NPROC_PER_NODE, PET_NODE_RANK, PET_MASTER_ADDR/PORT), and
# node 0 mirrors checkpoints to S3 while training and uploads the PEFT adapter to the model's prefix at the end; the
# training service then writes training.json and manifest.json next to it, as for a local job.
set -euo pipefail
work=/workspace/tailor
mkdir -p "$work/model" "$work/data" "$work/output"
printf '%s\n' "$TAILOR_AXOLOTL_CONFIG" > "$work/axolotl.yaml"
s3() { aws --endpoint-url "$AWS_ENDPOINT_URL" s3 "$@" --only-show-errors; }
s3 cp --recursive "$TAILOR_BASE_MODEL_URI" "$work/model"
if [ -n "${TAILOR_PARENT_MODEL_URI:-}" ]; then
  mkdir -p "$work/parent"
  s3 cp "${TAILOR_PARENT_MODEL_URI}adapter_config.json" "$work/parent/adapter_config.json"
  s3 cp "${TAILOR_PARENT_MODEL_URI}adapter_model.safetensors" "$work/parent/adapter_model.safetensors"
fi
s3 cp "$TAILOR_TRAIN_URI" "$work/data/train.jsonl"
if [ -n "${TAILOR_VALIDATION_URI:-}" ]; then
  s3 cp "$TAILOR_VALIDATION_URI" "$work/data/validation.jsonl"
fi
rank="${PET_NODE_RANK:-0}"
if [ "$rank" = "0" ]; then
  s3 sync "${TAILOR_OUTPUT_URI}checkpoints/" "$work/output/" || true
  ( while sleep 60; do s3 sync "$work/output/" "${TAILOR_OUTPUT_URI}checkpoints/" --exclude '*' \
      --include 'checkpoint-*' || true; done ) &
  mirror=$!
fi
torchrun -m axolotl.cli.train "$work/axolotl.yaml"
if [ "$rank" = "0" ]; then
  kill "$mirror" 2>/dev/null || true
  last=$(ls -d "$work"/output/checkpoint-* 2>/dev/null | sort -t- -k2 -n | tail -n 1 || true)
  if [ -n "$last" ] && [ -f "$last/trainer_state.json" ]; then
    cp "$last/trainer_state.json" "$work/output/trainer_state.json"
  fi
  s3 sync "$work/output/" "$TAILOR_OUTPUT_URI" --exclude 'checkpoint-*' --exclude '*.bin' --exclude 'README.md'
fi
